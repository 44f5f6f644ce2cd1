import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

@ObjectType({ description: 'One entry of a customer’s points history: a posted ledger entry (never changed afterwards) or, when `pending` is true, purchase points still in their approval period.' })
export class PointsTransaction {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'purchase, signup, review, birthday, referral, redemption, refund_clawback, expiry, admin_adjust, …' }) type!: string;
  @Field(() => Int, { description: 'Positive for credits, negative for debits.' }) points!: number;
  @Field(() => Int, { nullable: true, description: 'The balance after this entry; null for pending points, which are not in the balance yet.' }) balanceAfter!: number | null;
  @Field(() => String) reason!: string;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true }) orderId?: string | null;
  @Field(() => String, { nullable: true, description: 'The bonus campaign that earned this entry, if any.' }) campaignId?: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const PointsTransactionConnection = ConnectionType(PointsTransaction, 'PointsTransaction');
