import { Args, ArgsType, Ctx, Field, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { decodeCursor, forbidden, pageSize, toConnection, type Context, type Principal } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import type { CustomerRow } from '../customer/data';
import { PointsTransaction, PointsTransactionConnection } from '../ledger/entity';
import { checkAfter, checkFilter, historyPage, type HistoryItem } from './data';

@ArgsType()
class PointsHistoryArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => [String], { nullable: true, description: 'Only these entry types (purchase, signup, review, birthday, referral, redemption, refund_clawback, cancellation, expiry, admin_adjust, campaign, tier_bonus, custom, …).' }) types?: string[];
  @Field(() => Date, { nullable: true, description: 'Only entries created at or after this instant.' }) since?: Date;
  @Field(() => Date, { nullable: true, description: 'Only entries created before this instant.' }) until?: Date;
}

/** The customer themselves, or the shop (merchant, developer key with read_customers). */
export function mayReadHistory(p: Principal, c: Pick<CustomerRow, 'merchantId' | 'id'>): boolean {
  switch (p.kind) {
    case 'customer':
      return p.merchantId === c.merchantId && p.customerId === c.id;
    case 'merchant':
      return p.merchantId === c.merchantId;
    case 'developer':
      return p.merchantId === c.merchantId && p.scopes.includes('read_customers');
    default:
      return false;
  }
}

@Resolver(() => Customer)
export class PointsHistoryResolver {
  @FieldResolver(() => PointsTransactionConnection, {
    description: 'The customer’s points history, newest first, pending points included (pending: true). Visible to the customer and to the shop.',
  })
  async pointsHistory(@Root() customer: CustomerRow, @Args(() => PointsHistoryArgs) args: PointsHistoryArgs, @Ctx() ctx: Context) {
    if (!mayReadHistory(ctx.principal, customer)) throw forbidden('Not allowed to read this customer’s points history');
    const first = pageSize(args.first);
    const filter = checkFilter(args);
    const afterKey = checkAfter(decodeCursor(args.after));
    const rows = await historyPage(ctx.db.db, customer.merchantId, customer.id, first, afterKey, filter);
    return toConnection(rows, first, (r) => r.id, undefined, Boolean(args.after));
  }
}

@Resolver(() => PointsTransaction)
export class PointsTransactionFieldsResolver {
  @FieldResolver(() => Boolean, { description: 'True for purchase points still in their approval period: visible, not yet spendable.' })
  pending(@Root() item: HistoryItem): boolean {
    return item.pending === true;
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When pending points become spendable (pending entries only).' })
  releaseAt(@Root() item: HistoryItem): Date | null {
    return item.pending === true ? item.releaseAt : null;
  }
}
