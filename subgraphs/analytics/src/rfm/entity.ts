import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Recency, frequency and monetary scores (1–5) and the segment they place the customer in.' })
export class RfmScore {
  @Field(() => Int) recency!: number;
  @Field(() => Int) frequency!: number;
  @Field(() => Int) monetary!: number;
  @Field(() => String, { nullable: true }) segment?: string | null;
  @Field(() => String, { nullable: true, description: 'When the scores were last computed (ISO 8601).' }) computedAt?: string | null;
}

/** Customer is owned by loyalty; analytics adds its RFM scores. */
@ObjectType()
@Directive('@key(fields: "id")')
export class Customer {
  @Field(() => ID) id!: string;
}
