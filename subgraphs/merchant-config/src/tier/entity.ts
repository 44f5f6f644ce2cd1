import { Directive, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '@herethere/runtime';

/** Same names and values as loyalty's enums (composition requires them to agree). */
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

export enum TierStackingPolicyEnum {
  MULTIPLY = 'multiply',
  MAX = 'max',
}
registerEnumType(TierStackingPolicyEnum, {
  name: 'TierStackingPolicy',
  description: 'How a tier multiplier and campaign multipliers combine on one order: MULTIPLY applies them all (1.5× tier and 2× campaign earn 3×); MAX applies only the largest (2×).',
});

@ObjectType({ description: 'A level of the shop’s VIP program. Customers sit in the highest tier whose threshold they meet within the window.' })
@Directive('@key(fields: "id")')
export class VipTier {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Place on the ladder, 0 = lowest.' }) position!: number;
  @Field(() => VipThresholdKindEnum) thresholdKind!: string;
  @Field(() => Int, { description: 'What it takes, in the measure’s unit: minor units of the shop currency, points, or orders.' }) threshold!: number;
  @Field(() => VipQualificationWindowEnum) qualificationWindow!: string;
  @Field(() => Int, { description: 'Multiplier on purchase points in basis points (10000 = 1.0×, 15000 = 1.5×).' }) earningMultiplierBp!: number;
  @Field(() => [String], { description: 'Benefits shown in the widget.' }) perks!: string[];
  @Field(() => Int, { nullable: true, description: 'Points given once on entering the tier.' }) entryRewardPoints?: number | null;
  @Field(() => ID, { nullable: true, description: 'A catalogue reward given once on entering the tier.' }) entryRewardId?: string | null;
  @Field(() => String, { nullable: true, description: 'How the entry reward is described to customers.' }) entryRewardDescription?: string | null;
  @Field(() => Int, { nullable: true, description: 'Days a customer keeps the tier after no longer qualifying; null keeps it indefinitely, 0 demotes at once.' }) retentionDays?: number | null;
}

@ObjectType({ description: 'The VIP program as a whole: its measure, its window, how multipliers stack, and the ladder.' })
export class VipProgram {
  @Field(() => VipThresholdKindEnum) thresholdKind!: string;
  @Field(() => VipQualificationWindowEnum) qualificationWindow!: string;
  @Field(() => TierStackingPolicyEnum) tierStackingPolicy!: string;
  @Field(() => [VipTier]) tiers!: VipTier[];
}

@InputType()
class VipTierFieldsInput {
  @Field(() => Int, { nullable: true, description: 'Basis points, 1 to 100000 (above 0×, at most 10×). Default 10000.' }) earningMultiplierBp?: number;
  @Field(() => [String], { nullable: true }) perks?: string[];
  @Field(() => Int, { nullable: true, description: 'Points given once on entering the tier (1 to 1,000,000); exclusive with entryRewardId.' }) entryRewardPoints?: number | null;
  @Field(() => ID, { nullable: true, description: 'A catalogue reward given once on entering the tier.' }) entryRewardId?: string | null;
  @Field(() => String, { nullable: true }) entryRewardDescription?: string | null;
  @Field(() => Int, { nullable: true, description: '0 to 3650 days; null keeps the tier indefinitely.' }) retentionDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'Where on the ladder (0 = lowest); default: on top (create) or unchanged (update).' }) position?: number;
}

@InputType({ description: 'A new tier. The first tier also sets the program’s measure and window (change them later with vipProgramUpdate).' })
export class VipTierCreateInput extends VipTierFieldsInput {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'Whole number ≥ 0 in the program’s measure; must be above the tier below and below the tier above.' }) threshold!: number;
  @Field(() => VipThresholdKindEnum, { nullable: true, description: 'Must match the program’s; required for the first tier.' }) thresholdKind?: string;
  @Field(() => VipQualificationWindowEnum, { nullable: true, description: 'Must match the program’s; default LIFETIME for the first tier.' }) qualificationWindow?: string;
}

@InputType({ description: 'Only the fields given change.' })
export class VipTierUpdateInput extends VipTierFieldsInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => Int, { nullable: true, description: 'Whole number ≥ 0; must stay above the tier below and below the tier above.' }) threshold?: number;
}

@InputType()
export class VipTierDeleteInput {
  @Field(() => ID) id!: string;
}

@InputType()
export class VipTierThresholdInput {
  @Field(() => ID) tierId!: string;
  @Field(() => Int) threshold!: number;
}

@InputType({ description: 'Program-wide VIP settings. Changing the measure needs a new threshold for every tier.' })
export class VipProgramUpdateInput {
  @Field(() => VipThresholdKindEnum, { nullable: true }) thresholdKind?: string;
  @Field(() => VipQualificationWindowEnum, { nullable: true }) qualificationWindow?: string;
  @Field(() => TierStackingPolicyEnum, { nullable: true }) tierStackingPolicy?: string;
  @Field(() => [VipTierThresholdInput], { nullable: true }) thresholds?: VipTierThresholdInput[];
}

@ObjectType()
export class VipTierPayload {
  @Field(() => VipTier, { nullable: true }) vipTier?: VipTier | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class VipTierDeletePayload {
  @Field(() => ID, { nullable: true }) deletedVipTierId?: string | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@ObjectType()
export class VipProgramPayload {
  @Field(() => VipProgram, { nullable: true }) vipProgram?: VipProgram | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
