import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { decodeCursor, describePrincipal, forbidden, pageSize, shopOf, toConnection, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import { customerByKey, loadCustomer, type CustomerRow } from '../customer/data';
import { Redemption, RedemptionConnection, Reward } from './entity';
import { listRedemptions, listRewards, rewardByKey, toRewardView, type RewardView } from './data';
import { redeem, type RedemptionRow } from './service';

@InputType({ description: 'Spend points on a reward. Sending the same idempotencyKey again returns the same redemption and code.' })
class RewardRedeemInput {
  @Field(() => ID) rewardId!: string;
  @Field(() => String, { description: 'Chosen by the caller, e.g. a UUID per click; 1–100 characters of letters, digits and . _ : -' }) idempotencyKey!: string;
  @Field(() => Int, { nullable: true, description: 'Points slider only: how many steps to redeem.' }) steps?: number | null;
  @Field(() => ID, { nullable: true, description: 'Merchants redeeming on a customer’s behalf name the customer; customers leave it out.' }) customerId?: string | null;
}

@ObjectType()
class RewardRedeemPayload {
  @Field(() => Redemption, { nullable: true }) redemption?: RedemptionRow | null;
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ArgsType()
class PageArgs {
  @Field(() => Int, { nullable: true, description: '1 to 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@Resolver(() => Reward)
export class RewardListResolver {
  @Authorized('customer', 'visitor', 'merchant', 'developer')
  @Query(() => [Reward], { description: 'The shop’s rewards: enabled ones for shoppers (with `affordable` for a signed-in customer), all of them for the merchant.' })
  async rewards(@Ctx() ctx: Context): Promise<RewardView[]> {
    const p = shopOf(ctx);
    return listRewards(ctx, p.merchantId, p.kind === 'customer' || p.kind === 'visitor');
  }

  @FieldResolver(() => Boolean, { nullable: true })
  async affordable(@Root() reward: RewardView, @Ctx() ctx: Context): Promise<boolean | null> {
    const p = ctx.principal;
    if (p.kind !== 'customer' || p.merchantId !== reward.merchantId) return null;
    const customer = await loadCustomer(ctx, p.merchantId, p.customerId);
    return (customer?.pointsBalance ?? 0) >= reward.pointsCost;
  }

  @Authorized('customer', 'merchant')
  @Mutation(() => RewardRedeemPayload, { description: 'Spends points on a reward and issues a single-use discount code restricted to the customer.' })
  async rewardRedeem(@Arg('input', () => RewardRedeemInput) input: RewardRedeemInput, @Ctx() ctx: Context): Promise<RewardRedeemPayload> {
    const p = shopOf(ctx, 'customer', 'merchant');
    let customerId: string;
    if (p.kind === 'customer') {
      if (input.customerId && input.customerId !== p.customerId) throw forbidden('A customer can only redeem for themselves');
      customerId = p.customerId;
    } else {
      if (!input.customerId) return { userErrors: [userError(UserErrorCode.INVALID, 'customerId is required when a merchant redeems', ['input', 'customerId'])] };
      customerId = input.customerId;
    }
    const result = await redeem(ctx, { merchantId: p.merchantId, customerId, rewardId: input.rewardId, idempotencyKey: input.idempotencyKey, steps: input.steps, actor: describePrincipal(ctx.principal) });
    const key = `${p.merchantId}/${customerId}` as const;
    // The balance moved: never answer with a row loaded before the redemption. An issued
    // redemption brings the row its own transaction read; otherwise it is read again.
    customerByKey(ctx).clear(key);
    if (result.ok && result.customer) customerByKey(ctx).prime(key, result.customer);
    const customer = await loadCustomer(ctx, p.merchantId, customerId);
    if (!result.ok) return { redemption: result.redemption ?? null, customer, userErrors: [result.error] };
    if (result.reward) rewardByKey(ctx).prime(`${p.merchantId}/${result.reward.id}`, toRewardView(result.reward));
    return { redemption: result.redemption, customer, userErrors: [] };
  }
}

@Resolver(() => Redemption)
export class RedemptionResolver {
  @FieldResolver(() => Reward, { nullable: true })
  async reward(@Root() r: RedemptionRow, @Ctx() ctx: Context): Promise<RewardView | null> {
    return rewardByKey(ctx).load(`${r.merchantId}/${r.rewardId}`);
  }

  @FieldResolver(() => String, { nullable: true })
  code(@Root() r: RedemptionRow): string | null {
    // A code is only handed out once Shopify has it.
    return r.status === 'reserved' || r.status === 'voided' ? null : r.discountCode;
  }
}

@Resolver(() => Customer)
export class CustomerRedemptionsResolver {
  @FieldResolver(() => RedemptionConnection, { description: 'The customer’s reward codes, newest first.' })
  async redemptions(@Root() customer: CustomerRow, @Args(() => PageArgs) args: PageArgs, @Ctx() ctx: Context) {
    const first = pageSize(args.first);
    const rows = await listRedemptions(ctx, customer.merchantId, customer.id, { first, after: decodeCursor(args.after) });
    return toConnection(rows, first, (r) => r.id, undefined, Boolean(args.after));
  }
}

/** Reward references from other subgraphs: the caller's own shop only. */
export async function resolveRewardReference(ref: { id: string }, ctx: Context): Promise<RewardView | null> {
  const p = ctx.principal;
  if (!('merchantId' in p)) return null;
  return rewardByKey(ctx).load(`${p.merchantId}/${ref.id}`);
}
