import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

@ObjectType({ description: 'A shopper of the shop, with their loyalty state.' })
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: 'The Shopify customer id (numeric string).' }) shopifyCustomerId?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => Int, { description: 'Spendable points.' }) pointsBalance!: number;
  @Field(() => Int, { description: 'Points earned but still in their approval period: visible, not spendable.' }) pointsPending!: number;
  @Field(() => Int) totalPointsEarned!: number;
  @Field(() => Int) totalPointsRedeemed!: number;
  @Field(() => Int) totalPointsExpired!: number;
  @Field(() => Int) ordersCount!: number;
  @Field(() => String, { description: 'member, guest or redacted.' }) state!: string;
  @Field(() => Date) createdAt!: Date;
}

export const CustomerConnection = ConnectionType(Customer, 'Customer');

/** Merchant is owned by merchant-config; loyalty adds the shop's customers to it. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Merchant {
  @Field(() => ID) id!: string;
}
