import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '@herethere/runtime';

export enum BadgeRuleKindEnum {
  FIRST_PURCHASE = 'first_purchase',
  ORDERS_COUNT = 'orders_count',
  REFERRALS = 'referrals',
  REVIEWS = 'reviews',
  TIER_REACHED = 'tier_reached',
  STREAK = 'streak',
}
registerEnumType(BadgeRuleKindEnum, {
  name: 'BadgeRuleKind',
  description: 'FIRST_PURCHASE: the first order; ORDERS_COUNT / REFERRALS / REVIEWS: at least `threshold` orders, completed referrals or reviews; TIER_REACHED: reaching `tierId` (or a higher tier); STREAK: an order in each of `threshold` consecutive calendar months (shop time).',
});

@ObjectType({ description: 'When a badge is awarded.' })
export class BadgeRule {
  @Field(() => BadgeRuleKindEnum) kind!: string;
  @Field(() => Int, { nullable: true }) threshold?: number | null;
  @Field(() => ID, { nullable: true }) tierId?: string | null;
}

@ObjectType({ description: 'A badge the shop awards, and its rule.' })
export class BadgeDefinition {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Stable handle, unique in the shop (e.g. "ten-orders").' }) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => BadgeRule) rule!: BadgeRule;
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => Date) createdAt!: Date;
}

@InputType()
export class BadgeRuleInput {
  @Field(() => BadgeRuleKindEnum) kind!: string;
  @Field(() => Int, { nullable: true, description: 'ORDERS_COUNT, REFERRALS, REVIEWS, STREAK: at least 1.' }) threshold?: number | null;
  @Field(() => ID, { nullable: true, description: 'TIER_REACHED: a tier of this shop.' }) tierId?: string | null;
}

@InputType()
export class BadgeDefinitionCreateInput {
  @Field(() => String, { description: 'Lowercase letters, digits, - and _; unique in the shop.' }) key!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true, description: 'An https URL.' }) imageUrl?: string | null;
  @Field(() => BadgeRuleInput) rule!: BadgeRuleInput;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' }) enabled?: boolean;
}

@InputType({ description: 'Only the fields given change; the key cannot.' })
export class BadgeDefinitionUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => String, { nullable: true }) imageUrl?: string | null;
  @Field(() => BadgeRuleInput, { nullable: true }) rule?: BadgeRuleInput;
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
}

@ObjectType()
export class BadgeDefinitionPayload {
  @Field(() => BadgeDefinition, { nullable: true }) badgeDefinition?: BadgeDefinition | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
