import type { LedgerEntryType } from '@herethere/db';
import { isoWeekKey, monthKey } from '@herethere/runtime/zoned-time';

export type LeaderboardPeriodName = 'week' | 'month' | 'all';

/**
 * Entry types that move a leaderboard score: points earned, net of clawbacks and corrections.
 * Spending (redemptions) and expiry do not lower what a customer earned.
 */
const SCORING: ReadonlySet<LedgerEntryType> = new Set<LedgerEntryType>([
  'purchase', 'signup', 'review', 'birthday', 'referral', 'campaign', 'tier_bonus', 'custom', 'import', 'pending_release',
  'admin_adjust', 'refund_clawback', 'cancellation',
]);

export function scoreDelta(entry: { type: LedgerEntryType; points: number }): number {
  return SCORING.has(entry.type) ? entry.points : 0;
}

/** The period key an instant falls in, in the merchant's time zone: ISO week (`2025-W09`), month (`2025-03`) or `all`. */
export function periodKey(period: LeaderboardPeriodName, at: Date, timeZone: string): string {
  if (period === 'week') return isoWeekKey(at, timeZone);
  if (period === 'month') return monthKey(at, timeZone);
  return 'all';
}

/** Three resolutions of a score for the histogram: exact, thousands, millions. */
export function buckets(score: number): [number, number, number] {
  return [score, Math.floor(score / 1000), Math.floor(score / 1_000_000)];
}

/** "Ada L.": first name and the initial of the last name; never the email or the full last name. */
export function maskedName(firstName: string | null | undefined, lastName: string | null | undefined): string {
  const first = (firstName ?? '').trim().split(/\s+/)[0] ?? '';
  const initial = Array.from((lastName ?? '').trim())[0];
  if (first && initial) return `${first} ${initial.toUpperCase()}.`;
  if (first) return first;
  if (initial) return `${initial.toUpperCase()}.`;
  return 'Anonymous';
}
