import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Reward, RewardKindEnum, RewardSettings, UsedRewardRefundPolicyEnum } from './entity';
import {
  createReward, deleteReward, findReward, getRewardSettings, setRewardSettings, toView, updateReward, validateReward,
  type RewardFields, type RewardView,
} from './data';

@InputType()
class RewardCombinesWithInput {
  @Field(() => Boolean) order!: boolean;
  @Field(() => Boolean) product!: boolean;
  @Field(() => Boolean) shipping!: boolean;
}

@InputType({ description: 'Fields every kind shares; the kind decides which of the amount fields are required.' })
class RewardFieldsInput {
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => Int, { nullable: true, description: 'Required except for a points slider.' }) pointsCost?: number | null;
  @Field(() => Int, { nullable: true, description: 'FIXED_AMOUNT (required), FREE_PRODUCT (the variant’s price, optional): minor units.' }) valueMinor?: number | null;
  @Field(() => Int, { nullable: true, description: 'PERCENTAGE: basis points, 1 to 10000.' }) percentageBp?: number | null;
  @Field(() => String, { nullable: true, description: 'FREE_PRODUCT: the product variant id.' }) productVariantId?: string | null;
  @Field(() => Int, { nullable: true, description: 'POINTS_SLIDER: points per step.' }) pointsPerStep?: number | null;
  @Field(() => Int, { nullable: true, description: 'POINTS_SLIDER: minor units off per step.' }) valueMinorPerStep?: number | null;
  @Field(() => Int, { nullable: true, description: 'POINTS_SLIDER: most steps in one redemption.' }) maxSteps?: number | null;
  @Field(() => Int, { nullable: true }) minOrderMinor?: number | null;
  @Field(() => Int, { nullable: true }) codeExpiryDays?: number | null;
  @Field(() => Int, { nullable: true }) perCustomerLimit?: number | null;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
  @Field(() => RewardCombinesWithInput, { nullable: true }) combinesWith?: RewardCombinesWithInput;
  @Field(() => Int, { nullable: true }) sortOrder?: number;
}

@InputType()
class RewardCreateInput extends RewardFieldsInput {
  @Field(() => RewardKindEnum) kind!: RewardKindEnum;
  @Field(() => String) name!: string;
}

@InputType({ description: 'Only the fields given change; the kind cannot change.' })
class RewardUpdateInput extends RewardFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string;
}

@InputType()
class RewardDeleteInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
class RewardPayload {
  @Field(() => Reward, { nullable: true }) reward?: RewardView | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
class RewardDeletePayload {
  @Field(() => ID, { nullable: true }) deletedRewardId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
class RewardSettingsUpdateInput {
  @Field(() => UsedRewardRefundPolicyEnum) usedRewardOnFullRefund!: UsedRewardRefundPolicyEnum;
}

@ObjectType()
class RewardSettingsPayload {
  @Field(() => RewardSettings, { nullable: true }) rewardSettings?: RewardSettings | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

/** The fields a caller actually sent (GraphQL leaves the others undefined). */
function sent(input: object): { fields: RewardFields; given: Set<string> } {
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined && k !== 'id' && k !== 'kind') fields[k] = v;
  if (fields.combinesWith) fields.combinesWith = { ...(fields.combinesWith as object) };
  return { fields: fields as RewardFields, given: new Set(Object.keys(fields)) };
}

const NOT_FOUND = () => userError(UserErrorCode.NOT_FOUND, 'No reward with that id in this shop', ['input', 'id']);

/** The catalogue is the merchant's to manage; shoppers list it through the loyalty `rewards` query. */
@Resolver(() => Reward)
export class RewardResolver {
  @Authorized('merchant', 'developer')
  @Query(() => Reward, { nullable: true, description: 'One of the shop’s rewards, enabled or not.' })
  async reward(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RewardView | null> {
    const row = await findReward(ctx, shopOf(ctx, 'merchant', 'developer').merchantId, id);
    return row ? toView(row) : null;
  }

  @Authorized('merchant')
  @Mutation(() => RewardPayload, { description: 'Adds a reward to the catalogue.' })
  async rewardCreate(@Arg('input', () => RewardCreateInput) input: RewardCreateInput, @Ctx() ctx: Context): Promise<RewardPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const { fields, given } = sent(input);
    const errors = validateReward(input.kind as never, fields, given);
    if (errors.length) return { reward: null, userErrors: errors };
    return { reward: toView(await createReward(ctx, merchantId, input.kind as never, fields)), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => RewardPayload, { description: 'Changes a reward; set enabled: false to take it off the storefront.' })
  async rewardUpdate(@Arg('input', () => RewardUpdateInput) input: RewardUpdateInput, @Ctx() ctx: Context): Promise<RewardPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const current = await findReward(ctx, merchantId, input.id);
    if (!current) return { reward: null, userErrors: [NOT_FOUND()] };
    const { fields, given } = sent(input);
    const merged: RewardFields = { ...current, ...fields } as RewardFields;
    const errors = validateReward(current.kind, merged, given);
    if (errors.length) return { reward: null, userErrors: errors };
    return { reward: toView(await updateReward(ctx, current, merged)), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => RewardDeletePayload, { description: 'Deletes a reward nobody has redeemed. A redeemed reward is disabled instead (rewardUpdate enabled: false).' })
  async rewardDelete(@Arg('input', () => RewardDeleteInput) input: RewardDeleteInput, @Ctx() ctx: Context): Promise<RewardDeletePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const result = await deleteReward(ctx, merchantId, input.id);
    if (result === 'not_found') return { userErrors: [NOT_FOUND()] };
    if (result === 'redeemed') return { userErrors: [userError(UserErrorCode.CONFLICT, 'This reward has been redeemed, so it cannot be deleted; disable it instead', ['input', 'id'])] };
    return { deletedRewardId: input.id, userErrors: [] };
  }

  @Authorized('merchant')
  @Query(() => RewardSettings, { description: 'Merchant-wide redemption rules.' })
  async rewardSettings(@Ctx() ctx: Context) {
    return getRewardSettings(ctx, shopOf(ctx, 'merchant').merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => RewardSettingsPayload)
  async rewardSettingsUpdate(@Arg('input', () => RewardSettingsUpdateInput) input: RewardSettingsUpdateInput, @Ctx() ctx: Context): Promise<RewardSettingsPayload> {
    return { rewardSettings: await setRewardSettings(ctx, shopOf(ctx, 'merchant').merchantId, input.usedRewardOnFullRefund as never), userErrors: [] };
  }
}

/** Another subgraph's Reward reference: only the caller's own shop resolves. */
export async function resolveRewardReference(ref: { id: string }, ctx: Context): Promise<RewardView | null> {
  const p = ctx.principal;
  if (!('merchantId' in p)) return null;
  const row = await findReward(ctx, p.merchantId, ref.id);
  return row ? toView(row) : null;
}
