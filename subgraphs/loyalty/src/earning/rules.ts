import type { EarningRules } from '@herethere/db';
import { currencyExponent } from './money';

export type Rounding = EarningRules['rounding'];

/** Integer division with the merchant's rounding rule (operands are non-negative). */
function divide(numerator: bigint, denominator: bigint, rounding: Rounding): number {
  const q = numerator / denominator;
  const r = numerator % denominator;
  if (r === 0n || rounding === 'floor') return Number(q);
  if (rounding === 'ceil') return Number(q + 1n);
  return Number(r * 2n >= denominator ? q + 1n : q);
}

/** pointsPerCurrencyUnit allows two decimals (0.25 points per $1), kept as integer hundredths. */
export const rateHundredths = (rules: Pick<EarningRules, 'pointsPerCurrencyUnit'>): bigint => BigInt(Math.round(rules.pointsPerCurrencyUnit * 100));

/**
 * Points for an earning base in minor units, with multipliers in basis points applied before the
 * single rounding, so 1.5× on 333 points is 499 (floor), never a sum of rounded parts.
 */
export function pointsFor(baseMinor: number, currency: string, rules: Pick<EarningRules, 'pointsPerCurrencyUnit' | 'rounding'>, multipliersBp: number[] = []): number {
  if (baseMinor <= 0) return 0;
  let numerator = BigInt(baseMinor) * rateHundredths(rules);
  let denominator = 10n ** BigInt(currencyExponent(currency)) * 100n;
  for (const bp of multipliersBp) {
    numerator *= BigInt(bp);
    denominator *= 10_000n;
  }
  return divide(numerator, denominator, rules.rounding);
}

export interface MultiplierInput {
  kind: 'tier' | 'campaign';
  bp: number;
  campaignId?: string;
  label: string;
}

/**
 * The merchant's stacking policy: `multiply` applies the tier multiplier and every campaign
 * multiplier in turn; `max` applies only the largest one. Returns the multipliers that apply.
 */
export function applicableMultipliers(all: MultiplierInput[], policy: 'multiply' | 'max'): MultiplierInput[] {
  const effective = all.filter((m) => m.bp !== 10_000);
  if (policy === 'multiply' || effective.length <= 1) return effective;
  return [effective.reduce((best, m) => (m.bp > best.bp ? m : best))];
}

/**
 * Clawback for a refund, at the rate the order earned: the order's points times the share of its
 * earning base refunded so far (cumulative, so several partial refunds add up exactly), minus what
 * was already clawed back. A full refund claws back everything left.
 */
export function clawbackFor(pointsEarned: number, alreadyClawed: number, earningBaseMinor: number, cumulativeRefundedBaseMinor: number, fullyRefunded: boolean): number {
  const remaining = Math.max(0, pointsEarned - alreadyClawed);
  if (fullyRefunded || earningBaseMinor <= 0 || cumulativeRefundedBaseMinor >= earningBaseMinor) return remaining;
  const target = Number((BigInt(pointsEarned) * BigInt(cumulativeRefundedBaseMinor)) / BigInt(earningBaseMinor));
  return Math.max(0, Math.min(remaining, target - alreadyClawed));
}
