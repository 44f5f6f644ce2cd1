import type { LedgerEntryType, TierQualificationWindow, TierThresholdKind } from '@herethere/db';
import { addLocalDays, addLocalMonths, fromLocal, toLocal } from '@herethere/runtime/zoned-time';

/**
 * The tier arithmetic, free of I/O so it can be tested at every edge: which window counts, which
 * tier a value qualifies for, what happens to a customer's tier (upgrade at once, demotion only when
 * the retention runs out, overrides pinned until they expire), and the progress to the next tier.
 */

export interface TierDef {
  id: string;
  name: string;
  position: number;
  /** Minor units (money_spent), points (points_earned) or orders (order_count). */
  threshold: number;
  kind: TierThresholdKind;
  window: TierQualificationWindow;
  multiplierBp: number;
  /** Days the tier is kept after the customer stops qualifying; null keeps it indefinitely. */
  retentionDays: number | null;
  entryPoints: number | null;
  entryRewardId: string | null;
  perks: string[];
}

/** Ledger entry types that count as points earned for tier qualification (net of clawbacks; entry rewards excluded). */
export const QUALIFYING_POINT_TYPES: readonly LedgerEntryType[] = [
  'purchase', 'signup', 'review', 'birthday', 'referral', 'campaign', 'custom', 'import', 'pending_release',
  'admin_adjust', 'refund_clawback', 'cancellation',
];

export interface QualificationWindow {
  kind: TierQualificationWindow;
  /** Inclusive; null for lifetime. */
  start: Date | null;
  /** Inclusive: the moment of the computation. */
  end: Date;
}

/**
 * The span whose spend, points or orders count, in the merchant's time zone:
 * - lifetime: everything;
 * - rolling_12_months: the 12 months of local dates ending today — from local midnight of the day
 *   after the same date a year ago (15 March 2025 counts from 16 March 2024 00:00 local);
 * - calendar_year: from local midnight on 1 January of the current local year.
 * Day-granular, so the value only drops at local midnight, when the nightly recompute runs.
 */
export function qualificationWindow(kind: TierQualificationWindow, at: Date, timeZone: string): QualificationWindow {
  if (kind === 'lifetime') return { kind, start: null, end: at };
  const today = toLocal(at, timeZone);
  if (kind === 'calendar_year') {
    return { kind, start: fromLocal({ year: today.year, month: 1, day: 1, hour: 0, minute: 0, second: 0 }, timeZone), end: at };
  }
  const yearAgo = addLocalMonths({ ...today, hour: 0, minute: 0, second: 0 }, -12);
  const next = new Date(Date.UTC(yearAgo.year, yearAgo.month - 1, yearAgo.day + 1));
  const start = fromLocal({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, timeZone);
  return { kind, start, end: at };
}

/** The highest tier whose threshold the value meets (tiers sorted by position, thresholds strictly increasing). */
export function qualifiedTier(tiers: readonly TierDef[], value: number): TierDef | null {
  let found: TierDef | null = null;
  for (const t of tiers) if (value >= t.threshold) found = t;
  return found;
}

/** What is stored per customer (customer_tier_status), or null when nothing is yet. */
export interface StoredTierStatus {
  tierId: string | null;
  tierSince: Date | null;
  qualifiedTierId: string | null;
  belowSince: Date | null;
  retainedUntil: Date | null;
  overrideActive: boolean;
  overrideTierId: string | null;
  overrideUntil: Date | null;
  overrideReason: string | null;
  overrideBy: string | null;
}

export type TierMoveReason = 'qualified' | 'retention_expired' | 'no_longer_qualified' | 'tier_removed' | 'override_expired' | 'override' | 'override_cleared';

export interface TierMove {
  from: string | null;
  to: string | null;
  reason: TierMoveReason;
  /** True when the customer moved to a higher tier (or into the ladder). */
  up: boolean;
  details: Record<string, unknown>;
}

export interface TierDecision {
  next: StoredTierStatus;
  move: TierMove | null;
  /** Whether anything stored differs (a write is needed). */
  changed: boolean;
}

export const EMPTY_STATUS: StoredTierStatus = {
  tierId: null, tierSince: null, qualifiedTierId: null, belowSince: null, retainedUntil: null,
  overrideActive: false, overrideTierId: null, overrideUntil: null, overrideReason: null, overrideBy: null,
};

const time = (d: Date | null) => (d ? d.getTime() : null);

export function sameStatus(a: StoredTierStatus, b: StoredTierStatus): boolean {
  return a.tierId === b.tierId && time(a.tierSince) === time(b.tierSince) && a.qualifiedTierId === b.qualifiedTierId
    && time(a.belowSince) === time(b.belowSince) && time(a.retainedUntil) === time(b.retainedUntil)
    && a.overrideActive === b.overrideActive && a.overrideTierId === b.overrideTierId && time(a.overrideUntil) === time(b.overrideUntil)
    && a.overrideReason === b.overrideReason && a.overrideBy === b.overrideBy;
}

export interface DecideInput {
  stored: StoredTierStatus | null;
  tiers: readonly TierDef[];
  value: number;
  window: QualificationWindow;
  at: Date;
  timeZone: string;
}

function positionOf(tiers: readonly TierDef[], id: string | null): number {
  if (!id) return -1;
  return tiers.find((t) => t.id === id)?.position ?? -1;
}

/**
 * The customer's tier after looking at today's value:
 * - an active override holds until it expires (or its tier is deleted), then the customer goes
 *   straight to the tier they qualify for;
 * - qualifying for a higher tier moves them up at once;
 * - qualifying for less starts the current tier's retention: the tier is kept until
 *   `below_since + retention days` (local calendar days), then they move to what they qualify for;
 *   a null retention keeps the tier; requalifying during retention cancels it.
 */
export function decideTier(input: DecideInput): TierDecision {
  const { tiers, value, window, at, timeZone } = input;
  const stored = input.stored ?? EMPTY_STATUS;
  const q = qualifiedTier(tiers, value);
  const qId = q?.id ?? null;
  const facts = {
    measure: tiers[0]?.kind ?? null,
    window: window.kind,
    windowStart: window.start?.toISOString() ?? null,
    value,
    qualifiedTierId: qId,
    qualifiedThreshold: q?.threshold ?? null,
  };
  const byId = new Map(tiers.map((t) => [t.id, t]));
  const finish = (next: StoredTierStatus, reason: TierMoveReason | null, extra: Record<string, unknown> = {}): TierDecision => {
    let move: TierMove | null = null;
    if (next.tierId !== stored.tierId) {
      const fromPos = positionOf(tiers, stored.tierId);
      const toPos = positionOf(tiers, next.tierId);
      move = {
        from: stored.tierId,
        to: next.tierId,
        reason: reason ?? (toPos > fromPos ? 'qualified' : 'no_longer_qualified'),
        up: next.tierId !== null && toPos > fromPos,
        details: { ...facts, ...extra },
      };
      next = { ...next, tierSince: next.tierId ? at : null };
    }
    return { next, move, changed: !sameStatus(next, stored) };
  };

  if (stored.overrideActive) {
    const expired = stored.overrideUntil !== null && stored.overrideUntil.getTime() <= at.getTime();
    const tierGone = stored.overrideTierId !== null && !byId.has(stored.overrideTierId);
    if (!expired && !tierGone) {
      return finish({ ...stored, tierId: stored.overrideTierId, qualifiedTierId: qId, belowSince: null, retainedUntil: null }, 'override');
    }
    const cleared: StoredTierStatus = { ...stored, tierId: qId, qualifiedTierId: qId, belowSince: null, retainedUntil: null, overrideActive: false, overrideTierId: null, overrideUntil: null, overrideReason: null, overrideBy: null };
    return finish(cleared, tierGone ? 'tier_removed' : 'override_expired', { overrideUntil: stored.overrideUntil?.toISOString() ?? null });
  }

  const current = stored.tierId && byId.has(stored.tierId) ? byId.get(stored.tierId)! : null;
  if (stored.tierId && !current) {
    return finish({ ...stored, tierId: qId, qualifiedTierId: qId, belowSince: null, retainedUntil: null }, 'tier_removed', { removedTierId: stored.tierId });
  }
  const curPos = current?.position ?? -1;
  const qPos = q?.position ?? -1;
  if (qPos >= curPos) {
    return finish({ ...stored, tierId: qId, qualifiedTierId: qId, belowSince: null, retainedUntil: null }, 'qualified', { threshold: q?.threshold ?? null });
  }
  // Qualifies for less than the tier held: retention decides.
  const since = stored.belowSince ?? at;
  const days = current!.retentionDays;
  if (days === null) {
    return finish({ ...stored, qualifiedTierId: qId, belowSince: since, retainedUntil: null }, null);
  }
  const until = addLocalDays(since, days, timeZone);
  if (at.getTime() >= until.getTime()) {
    return finish(
      { ...stored, tierId: qId, qualifiedTierId: qId, belowSince: null, retainedUntil: null },
      days === 0 ? 'no_longer_qualified' : 'retention_expired',
      { belowSince: since.toISOString(), retentionDays: days, retainedUntil: until.toISOString(), heldThreshold: current!.threshold },
    );
  }
  return finish({ ...stored, qualifiedTierId: qId, belowSince: since, retainedUntil: until }, null);
}

export interface TierProgress {
  nextTier: TierDef | null;
  current: number;
  /** The next tier's threshold; null at the top of the ladder. */
  target: number | null;
  remaining: number | null;
  /** 0 to 100, rounded down; 100 at the top. */
  percent: number;
}

/** Progress from the value toward the tier above the one held (the lowest tier when none is held). */
export function tierProgress(tiers: readonly TierDef[], heldTierId: string | null, value: number): TierProgress {
  const heldPos = positionOf(tiers, heldTierId);
  const nextTier = tiers.find((t) => t.position > heldPos) ?? null;
  if (!nextTier) return { nextTier: null, current: value, target: null, remaining: null, percent: 100 };
  const target = nextTier.threshold;
  const remaining = Math.max(0, target - value);
  const percent = target <= 0 ? 100 : Math.max(0, Math.min(100, Math.floor((value * 100) / target)));
  return { nextTier, current: value, target, remaining, percent };
}
