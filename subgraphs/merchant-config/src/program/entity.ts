import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EarningRules, ExpiryPolicy } from '@herethere/db';

/** GraphQL names in upper case; the stored (jsonb) values are the lower-case strings. */
export enum EarningBase {
  SUBTOTAL_AFTER_DISCOUNTS = 'subtotal_after_discounts',
  TOTAL = 'total',
}
registerEnumType(EarningBase, {
  name: 'EarningBase',
  description: 'What purchase points are computed on, in shop money.',
  valuesConfig: {
    SUBTOTAL_AFTER_DISCOUNTS: { description: 'Line items after discounts; no shipping, tax, tips or gift cards (the default).' },
    TOTAL: { description: 'The order total as charged.' },
  },
});

export enum PointsRounding {
  FLOOR = 'floor',
  ROUND = 'round',
  CEIL = 'ceil',
}
registerEnumType(PointsRounding, { name: 'PointsRounding', description: 'How fractional purchase points become whole points.' });

export enum ExpiryKind {
  NONE = 'none',
  INACTIVITY = 'inactivity',
  ROLLING = 'rolling',
}
registerEnumType(ExpiryKind, {
  name: 'ExpiryKind',
  description: 'When points expire.',
  valuesConfig: {
    NONE: { description: 'Points never expire.' },
    INACTIVITY: { description: 'The whole balance expires after `months` without any points activity.' },
    ROLLING: { description: 'Each batch of points expires `months` after it was earned, oldest first.' },
  },
});

@ObjectType('EarningRules', { description: 'How customers earn points.' })
export class EarningRulesType implements EarningRules {
  @Field(() => Float, { description: 'Points per one major unit of shop currency (two decimals at most), e.g. 1 point per $1.' }) pointsPerCurrencyUnit!: number;
  @Field(() => EarningBase) base!: EarningRules['base'];
  @Field(() => PointsRounding) rounding!: EarningRules['rounding'];
  @Field(() => Int, { description: 'Points for joining the program.' }) signupPoints!: number;
  @Field(() => Int, { description: 'Points for a product review (awarded by a review app).' }) reviewPoints!: number;
  @Field(() => Int, { description: 'Points on the customer’s birthday, once a year; 0 turns the bonus off.' }) birthdayPoints!: number;
  @Field(() => Int, { description: 'Days purchase points stay pending before they can be spent; 0 credits them at once.' }) approvalDays!: number;
}

@ObjectType('ExpiryPolicy', { description: 'When points expire, and when customers are reminded.' })
export class ExpiryPolicyType implements ExpiryPolicy {
  @Field(() => ExpiryKind) kind!: ExpiryPolicy['kind'];
  @Field(() => Int, { nullable: true, description: 'Months of inactivity, or the age of a batch, after which points expire.' }) months?: number;
  @Field(() => Int, { nullable: true, description: 'Days before expiry that a reminder is sent; 0 sends none.' }) reminderDays?: number;
}

@ObjectType({ description: 'The loyalty program’s rules: what it calls its points, whether it runs, how points are earned and expire.' })
export class ProgramSettings {
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => String) pointsCurrencySingular!: string;
  @Field(() => String) pointsCurrencyPlural!: string;
  @Field(() => EarningRulesType) earning!: EarningRules;
  @Field(() => ExpiryPolicyType) expiry!: ExpiryPolicy;
  @Field(() => Date) updatedAt!: Date;
}

@InputType({ description: 'Earning rules to change; fields left out keep their value.' })
export class EarningRulesInput {
  @Field(() => Float, { nullable: true, description: '0 to 10,000, at most two decimals.' }) pointsPerCurrencyUnit?: number;
  @Field(() => EarningBase, { nullable: true }) base?: EarningBase;
  @Field(() => PointsRounding, { nullable: true }) rounding?: PointsRounding;
  @Field(() => Int, { nullable: true, description: '0 to 1,000,000.' }) signupPoints?: number;
  @Field(() => Int, { nullable: true, description: '0 to 1,000,000.' }) reviewPoints?: number;
  @Field(() => Int, { nullable: true, description: '0 to 1,000,000.' }) birthdayPoints?: number;
  @Field(() => Int, { nullable: true, description: '0 to 365.' }) approvalDays?: number;
}

@InputType({ description: 'The expiry policy, replaced as a whole.' })
export class ExpiryPolicyInput {
  @Field(() => ExpiryKind) kind!: ExpiryKind;
  @Field(() => Int, { nullable: true, description: '1 to 120; required unless kind is NONE.' }) months?: number;
  @Field(() => Int, { nullable: true, description: '0 to 90 (default 0: no reminder); must be shorter than the expiry period.' }) reminderDays?: number;
}

@InputType({ description: 'Changes to the program settings. Nothing is written unless every field is valid.' })
export class ProgramSettingsUpdateInput {
  @Field(() => Boolean, { nullable: true }) enabled?: boolean;
  @Field(() => String, { nullable: true, description: 'e.g. "Star"; 1 to 40 characters.' }) pointsCurrencySingular?: string;
  @Field(() => String, { nullable: true, description: 'e.g. "Stars"; 1 to 40 characters.' }) pointsCurrencyPlural?: string;
  @Field(() => EarningRulesInput, { nullable: true }) earning?: EarningRulesInput;
  @Field(() => ExpiryPolicyInput, { nullable: true }) expiry?: ExpiryPolicyInput;
}
