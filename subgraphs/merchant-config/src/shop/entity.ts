import { Directive, Field, ID, ObjectType } from 'type-graphql';

@ObjectType({ description: 'A Shopify shop running the loyalty program: the tenant.' })
@Directive('@key(fields: "id")')
export class Merchant {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The shop’s myshopify.com domain.' }) shopDomain!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'ISO 4217 code of the shop currency; points are earned on shop money.' }) currency!: string;
  @Field(() => String, { description: 'IANA time zone used for birthdays and daily jobs.' }) timezone!: string;
  @Field(() => String) defaultLanguage!: string;
  @Field(() => [String]) languages!: string[];
  @Field(() => String, { description: 'active, uninstalled or redacted.' }) status!: string;
  @Field(() => Date) installedAt!: Date;
}
