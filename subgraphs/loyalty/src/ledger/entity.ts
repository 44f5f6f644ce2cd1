import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

@ObjectType({ description: 'One posted entry of a customer’s points ledger. Entries are never changed.' })
export class PointsTransaction {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'purchase, signup, review, birthday, referral, redemption, refund_clawback, expiry, admin_adjust, …' }) type!: string;
  @Field(() => Int, { description: 'Positive for credits, negative for debits.' }) points!: number;
  @Field(() => Int) balanceAfter!: number;
  @Field(() => String) reason!: string;
  @Field(() => String) source!: string;
  @Field(() => String, { nullable: true }) orderId?: string | null;
  @Field(() => Date) createdAt!: Date;
}

export const PointsTransactionConnection = ConnectionType(PointsTransaction, 'PointsTransaction');
