import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ConnectionType, UserError } from '@herethere/runtime';

/** Same names and values as merchant-config's enums (composition requires them to agree). */
export enum VipThresholdKindEnum {
  MONEY_SPENT = 'money_spent',
  POINTS_EARNED = 'points_earned',
  ORDER_COUNT = 'order_count',
}
registerEnumType(VipThresholdKindEnum, { name: 'VipThresholdKind', description: 'What a tier threshold counts: money spent (minor units of the shop currency, net of refunds), points earned (net of clawbacks) or orders.' });

export enum VipQualificationWindowEnum {
  LIFETIME = 'lifetime',
  ROLLING_12_MONTHS = 'rolling_12_months',
  CALENDAR_YEAR = 'calendar_year',
}
registerEnumType(VipQualificationWindowEnum, { name: 'VipQualificationWindow', description: 'Which span counts toward a tier: all time, the last 12 months of local dates, or the current calendar year (the shop’s time zone).' });

/** merchant-config owns tiers; loyalty only points at them. */
@ObjectType({ description: 'A level of the shop’s VIP program.' })
@Directive('@key(fields: "id", resolvable: false)')
export class VipTier {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'How far the customer is toward the next tier, in the program’s measure.' })
export class VipProgress {
  @Field(() => Int, { description: 'The value that counts now (minor units, points or orders).' }) current!: number;
  @Field(() => Int, { nullable: true, description: 'The next tier’s threshold; null at the top tier.' }) target?: number | null;
  @Field(() => Int, { nullable: true, description: 'What is still missing; null at the top tier.' }) remaining?: number | null;
  @Field(() => Int, { description: 'current / target, 0 to 100, rounded down; 100 at the top tier.' }) percent!: number;
  @Field(() => VipThresholdKindEnum) measure!: string;
  @Field(() => String, { nullable: true, description: 'ISO currency of money amounts (MONEY_SPENT only).' }) currency?: string | null;
}

@ObjectType({ description: 'A manual tier override; visible to the merchant and platform admins only.' })
export class VipTierOverride {
  @Field(() => VipTier, { nullable: true, description: 'The pinned tier; null pins the customer outside the ladder.' }) tier?: { id: string } | null;
  @Field(() => Date, { nullable: true, description: 'When it ends; null for good.' }) until?: Date | null;
  @Field(() => String) reason!: string;
  @Field(() => String, { description: 'Who set it, e.g. merchant:shop.myshopify.com or admin:adm_…' }) by!: string;
}

@ObjectType({ description: 'A customer’s place in the VIP program.' })
export class VipStatus {
  @Field(() => VipTier, { nullable: true, description: 'The tier in effect (earning multiplier, perks); null outside the ladder.' }) tier?: { id: string } | null;
  @Field(() => VipTier, { nullable: true, description: 'The tier above; null at the top.' }) nextTier?: { id: string } | null;
  @Field(() => VipTier, { nullable: true, description: 'What today’s value alone qualifies for (lower than `tier` during retention).' }) qualifiedTier?: { id: string } | null;
  @Field(() => VipProgress) progress!: VipProgress;
  @Field(() => VipQualificationWindowEnum) window!: string;
  @Field(() => Date, { nullable: true, description: 'Start of the counted span; null for LIFETIME.' }) windowStart?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Since when the current tier is held.' }) tierSince?: Date | null;
  @Field(() => Date, { nullable: true, description: 'While no longer qualifying: the tier is kept until then. Null otherwise (or when kept indefinitely, see `retained`).' }) retainedUntil?: Date | null;
  @Field(() => Boolean, { description: 'True while the tier is held on retention rather than qualification.' }) retained!: boolean;
  @Field(() => Boolean, { description: 'True while a manual override pins the tier.' }) overridden!: boolean;
  @Field(() => VipTierOverride, { nullable: true }) override?: VipTierOverride | null;
}

@ObjectType({ description: 'One move of a customer between tiers, with the facts that decided it.' })
export class VipTierChange {
  @Field(() => ID) id!: string;
  @Field(() => VipTier, { nullable: true }) fromTier?: { id: string } | null;
  @Field(() => VipTier, { nullable: true }) toTier?: { id: string } | null;
  @Field(() => String, { description: 'qualified, retention_expired, no_longer_qualified, tier_removed, override, override_expired or override_cleared.' }) reason!: string;
  @Field(() => String, { description: 'Why, in words: the measure, the window, the value against the threshold, the retention that ran out.' }) explanation!: string;
  @Field(() => String) actor!: string;
  @Field(() => Date) createdAt!: Date;
}

export const VipTierChangeConnection = ConnectionType(VipTierChange, 'VipTierChange');

@InputType({ description: 'Pins a customer to a tier (or outside the ladder) regardless of their spend, until a date or for good. Audited.' })
export class VipTierOverrideSetInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true, description: 'The tier to pin; null pins the customer outside the ladder.' }) tierId?: string | null;
  @Field(() => Date, { nullable: true, description: 'When the override ends (the customer then gets the tier they qualify for); null for good.' }) until?: Date | null;
  @Field(() => String, { description: 'Why (kept in the audit log and the tier history).' }) reason!: string;
  @Field(() => ID, { nullable: true, description: 'Platform admins only: the shop. Merchants always act on their own shop.' }) merchantId?: string | null;
}

@InputType({ description: 'Ends a customer’s override now; they get the tier they qualify for. Audited.' })
export class VipTierOverrideClearInput {
  @Field(() => ID) customerId!: string;
  @Field(() => String) reason!: string;
  @Field(() => ID, { nullable: true, description: 'Platform admins only: the shop.' }) merchantId?: string | null;
}

@ObjectType()
export class VipTierOverridePayload {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => VipStatus, { nullable: true }) vipStatus?: VipStatus | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType({ description: 'A ladder to try against today’s customers (nothing is saved).' })
export class VipTierPreviewInput {
  @Field(() => VipThresholdKindEnum) thresholdKind!: string;
  @Field(() => VipQualificationWindowEnum) qualificationWindow!: string;
  @Field(() => [Int], { description: 'Thresholds from the lowest tier up, strictly increasing; the first may be 0.' }) thresholds!: number[];
}

@ObjectType()
export class VipTierPreviewBucket {
  @Field(() => Int) threshold!: number;
  @Field(() => Int, { description: 'Members who would sit in this tier (they reach this threshold but not the next).' }) customers!: number;
}

@ObjectType({ description: 'How many members would sit in each tier with these thresholds, from current data (retention not applied).' })
export class VipTierPreview {
  @Field(() => [VipTierPreviewBucket]) tiers!: VipTierPreviewBucket[];
  @Field(() => Int, { description: 'Members below the lowest threshold.' }) belowLowest!: number;
  @Field(() => Int) totalMembers!: number;
  @Field(() => Date, { nullable: true }) windowStart?: Date | null;
}

@ObjectType({ description: 'A tier change, pushed live.' })
export class VipTierEvent {
  @Field(() => ID) customerId!: string;
  @Field(() => ID, { nullable: true }) fromTierId?: string | null;
  @Field(() => String, { nullable: true }) fromTierName?: string | null;
  @Field(() => ID, { nullable: true }) toTierId?: string | null;
  @Field(() => String, { nullable: true }) toTierName?: string | null;
  @Field(() => String) reason!: string;
  @Field(() => ID) changeId!: string;
  @Field(() => String) at!: string;
}
