import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, UserError } from '@herethere/runtime';

export enum BonusCampaignTypeEnum {
  MULTIPLIER = 'multiplier',
  SPEND_GOAL = 'spend_goal',
  PRODUCT_BONUS = 'product_bonus',
  TIER_BONUS = 'tier_bonus',
  SEGMENT_BONUS = 'segment_bonus',
}
registerEnumType(BonusCampaignTypeEnum, {
  name: 'BonusCampaignType',
  description: 'MULTIPLIER: every order earns × multiplierBp; SPEND_GOAL: bonusPoints once when spend inside the campaign reaches goalMinor; PRODUCT_BONUS: bonusPoints on orders with the products or collections; TIER_BONUS / SEGMENT_BONUS: a multiplier and/or bonus for customers in the tiers or the segment.',
});

export enum BonusCampaignStatusEnum {
  DRAFT = 'draft',
  SCHEDULED = 'scheduled',
  ACTIVE = 'active',
  PAUSED = 'paused',
  ENDED = 'ended',
  CANCELLED = 'cancelled',
}
registerEnumType(BonusCampaignStatusEnum, { name: 'BonusCampaignStatus', description: 'SCHEDULED until it starts, ACTIVE while it runs, ENDED after; CANCELLED when ended before it started.' });

@ObjectType({ description: 'Extra conditions on top of the campaign type’s own targeting.' })
export class BonusCampaignConditions {
  @Field(() => Int, { nullable: true, description: 'Orders below this earning base (minor units) do not qualify.' }) minOrderMinor?: number | null;
  @Field(() => Boolean, { nullable: true, description: 'Only the customer’s first order qualifies.' }) firstOrderOnly?: boolean | null;
  @Field(() => Int, { nullable: true, description: 'Orders per customer that can earn from the campaign.' }) maxAwardsPerCustomer?: number | null;
}

@ObjectType({ description: 'A time-boxed points promotion; start and end are instants, shown also in the shop’s time zone.' })
@Directive('@key(fields: "id")')
export class BonusCampaign {
  @Field(() => ID) id!: string;
  merchantId!: string;
  @Field(() => String) name!: string;
  @Field(() => BonusCampaignTypeEnum) type!: string;
  @Field(() => BonusCampaignStatusEnum) status!: string;
  @Field(() => Int, { nullable: true, description: 'Basis points (20000 = 2×).' }) multiplierBp?: number | null;
  @Field(() => Int, { nullable: true }) bonusPoints?: number | null;
  @Field(() => Int, { nullable: true, description: 'SPEND_GOAL: spend to reach, minor units of `currency`.' }) goalMinor?: number | null;
  @Field(() => String, { nullable: true }) currency?: string | null;
  @Field(() => [ID]) productIds!: string[];
  @Field(() => [ID]) collectionIds!: string[];
  @Field(() => [ID]) tierIds!: string[];
  @Field(() => ID, { nullable: true }) segmentId?: string | null;
  @Field(() => BonusCampaignConditions) conditions!: BonusCampaignConditions;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true, description: 'Null: open-ended.' }) endsAt?: Date | null;
  @Field(() => String, { description: 'Start as wall-clock time in the shop’s time zone (YYYY-MM-DDTHH:mm:ss).' }) startsAtLocal!: string;
  @Field(() => String, { nullable: true }) endsAtLocal?: string | null;
  @Field(() => String, { description: 'The shop’s IANA time zone the local times are in.' }) timeZone!: string;
  @Field(() => Date, { nullable: true, description: 'When eligible customers were told it started.' }) notifiedAt?: Date | null;
  @Field(() => Date) createdAt!: Date;
}

export const BonusCampaignConnection = ConnectionType(BonusCampaign, 'BonusCampaign');

@InputType()
export class BonusCampaignConditionsInput {
  @Field(() => Int, { nullable: true }) minOrderMinor?: number | null;
  @Field(() => Boolean, { nullable: true }) firstOrderOnly?: boolean | null;
  @Field(() => Int, { nullable: true }) maxAwardsPerCustomer?: number | null;
}

@InputType()
class BonusCampaignFieldsInput {
  @Field(() => Int, { nullable: true, description: 'Basis points, 1 to 100000 (above 0×, at most 10×).' }) multiplierBp?: number | null;
  @Field(() => Int, { nullable: true, description: '1 to 1,000,000.' }) bonusPoints?: number | null;
  @Field(() => Int, { nullable: true, description: 'SPEND_GOAL: minor units of the shop currency.' }) goalMinor?: number | null;
  @Field(() => [ID], { nullable: true, description: 'PRODUCT_BONUS: Shopify product GIDs (gid://shopify/Product/<n>).' }) productIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'PRODUCT_BONUS: Shopify collection GIDs (gid://shopify/Collection/<n>).' }) collectionIds?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'TIER_BONUS: the VIP tiers it rewards.' }) tierIds?: string[] | null;
  @Field(() => ID, { nullable: true, description: 'SEGMENT_BONUS: the customer segment it rewards.' }) segmentId?: string | null;
  @Field(() => BonusCampaignConditionsInput, { nullable: true }) conditions?: BonusCampaignConditionsInput | null;
  @Field(() => String, { nullable: true, description: 'When it ends: wall-clock time in the shop’s time zone (2025-12-01T00:00) or an instant with an offset; null for open-ended.' }) endsAt?: string | null;
}

@InputType({ description: 'A new campaign. Times without an offset are read in the shop’s time zone.' })
export class BonusCampaignCreateInput extends BonusCampaignFieldsInput {
  @Field(() => String) name!: string;
  @Field(() => BonusCampaignTypeEnum) type!: string;
  @Field(() => String, { description: 'When it starts: wall-clock time in the shop’s time zone (2025-11-28T00:00) or an instant with an offset.' }) startsAt!: string;
}

@InputType({ description: 'Only the fields given change; the type cannot change, nor the start once running.' })
export class BonusCampaignUpdateInput extends BonusCampaignFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) startsAt?: string;
}

@InputType()
export class BonusCampaignEndInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class BonusCampaignPayload {
  @Field(() => BonusCampaign, { nullable: true }) bonusCampaign?: BonusCampaign | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
