import { Arg, Authorized, Ctx, Field, FieldResolver, InputType, ObjectType, Query, Mutation, Resolver, Root } from 'type-graphql';
import { shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Merchant } from './entity';
import { ProgramSettings } from '../program/entity';
import { merchantById, settingsFor, updateShop, type MerchantRow } from './data';

@InputType()
class ShopUpdateInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true, description: 'IANA time zone, e.g. America/New_York.' }) timezone?: string;
  @Field(() => String, { nullable: true }) defaultLanguage?: string;
  @Field(() => [String], { nullable: true }) languages?: string[];
}

@ObjectType()
class ShopUpdatePayload {
  @Field(() => Merchant, { nullable: true }) shop?: MerchantRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const LANGUAGE = /^[a-z]{2}(-[A-Z]{2})?$/;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

@Resolver(() => Merchant)
export class ShopResolver {
  @Authorized('merchant', 'developer', 'customer', 'visitor')
  @Query(() => Merchant, { description: 'The shop the caller belongs to.' })
  async shop(@Ctx() ctx: Context): Promise<MerchantRow | null> {
    return merchantById(ctx).load(shopOf(ctx).merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => ShopUpdatePayload, { description: 'Updates the shop’s name, time zone and languages.' })
  async shopUpdate(@Arg('input', () => ShopUpdateInput) input: ShopUpdateInput, @Ctx() ctx: Context): Promise<ShopUpdatePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const errors: UserError[] = [];
    if (input.name !== undefined && (input.name.trim().length === 0 || input.name.length > 120)) errors.push(userError(UserErrorCode.INVALID, 'name must be 1 to 120 characters', ['input', 'name']));
    if (input.timezone !== undefined && !validTimeZone(input.timezone)) errors.push(userError(UserErrorCode.INVALID, `timezone "${input.timezone}" is not an IANA time zone`, ['input', 'timezone']));
    if (input.defaultLanguage !== undefined && !LANGUAGE.test(input.defaultLanguage)) errors.push(userError(UserErrorCode.INVALID, 'defaultLanguage must be a language code such as "en" or "pt-BR"', ['input', 'defaultLanguage']));
    if (input.languages !== undefined && (input.languages.length === 0 || input.languages.some((l) => !LANGUAGE.test(l)))) errors.push(userError(UserErrorCode.INVALID, 'languages must be a non-empty list of language codes', ['input', 'languages']));
    const current = await merchantById(ctx).load(merchantId);
    const languages = input.languages ?? current?.languages ?? [];
    const defaultLanguage = input.defaultLanguage ?? current?.defaultLanguage;
    if (!errors.length && defaultLanguage && !languages.includes(defaultLanguage)) errors.push(userError(UserErrorCode.INVALID, 'defaultLanguage must be one of languages', ['input', 'defaultLanguage']));
    if (errors.length) return { shop: null, userErrors: errors };
    const shop = await updateShop(ctx, merchantId, { name: input.name?.trim(), timezone: input.timezone, defaultLanguage: input.defaultLanguage, languages: input.languages });
    return { shop, userErrors: [] };
  }

  @FieldResolver(() => ProgramSettings)
  async programSettings(@Root() shop: MerchantRow, @Ctx() ctx: Context) {
    return settingsFor(ctx, shop.id);
  }
}

/**
 * Another subgraph pointing at a Merchant: only the caller's own shop resolves (admins see all),
 * so a forged reference reveals nothing.
 */
export async function resolveMerchantReference(ref: { id: string }, ctx: Context): Promise<MerchantRow | null> {
  const p = ctx.principal;
  if (p.kind !== 'admin' && !('merchantId' in p && p.merchantId === ref.id)) return null;
  return merchantById(ctx).load(ref.id);
}
