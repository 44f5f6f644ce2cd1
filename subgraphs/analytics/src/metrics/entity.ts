import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Headline figures of the loyalty program.' })
export class ProgramMetrics {
  @Field(() => Int) members!: number;
  @Field(() => Int, { description: 'Points credited, all time.' }) pointsIssued!: number;
  @Field(() => Int, { description: 'Points spent on rewards, all time.' }) pointsRedeemed!: number;
  @Field(() => Int) pointsExpired!: number;
  @Field(() => Int, { description: 'Points currently spendable across all members.' }) pointsOutstanding!: number;
}

@ObjectType()
@Directive('@key(fields: "id")')
export class Merchant {
  @Field(() => ID) id!: string;
}
