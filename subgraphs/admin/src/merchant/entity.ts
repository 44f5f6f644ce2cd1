import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { ConnectionType } from '@herethere/runtime';

@ObjectType({ description: 'A billing plan. Prices are integer minor units of `currency`.' })
export class Plan {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { nullable: true, description: 'Monthly orders the plan covers; null means unlimited.' }) orderLimit?: number | null;
  @Field(() => Int) basePriceMinor!: number;
  @Field(() => String, { description: 'ISO 4217 code.' }) currency!: string;
}

/**
 * The tenant, as the admin subgraph sees it: merchant-config owns every other field. Only the key
 * and the admin-owned `plan` are declared here (a field in two subgraphs would need @shareable).
 * The GraphQL name is `Merchant`; the class name differs so embedded mode, which loads every
 * subgraph in one process, never confuses it with merchant-config's class.
 */
@ObjectType('Merchant')
@Directive('@key(fields: "id")')
export class AdminMerchant {
  @Field(() => ID) id!: string;
  // `plan` is a field resolver (see MerchantResolver).
}

export const MerchantConnection = ConnectionType(AdminMerchant, 'Merchant');
