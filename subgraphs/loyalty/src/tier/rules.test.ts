import { describe, expect, it } from 'vitest';
import { formatLocal } from '@herethere/runtime/zoned-time';
import { decideTier, EMPTY_STATUS, qualificationWindow, qualifiedTier, tierProgress, type StoredTierStatus, type TierDef } from './rules';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

const tier = (id: string, position: number, threshold: number, retentionDays: number | null = 30): TierDef => ({
  id, name: id[0].toUpperCase() + id.slice(1), position, threshold, kind: 'money_spent', window: 'rolling_12_months',
  multiplierBp: 10_000 + position * 2500, retentionDays, entryPoints: null, entryRewardId: null, perks: [],
});
const LADDER = [tier('bronze', 0, 0), tier('silver', 1, 10_000), tier('gold', 2, 50_000, 30), tier('platinum', 3, 200_000, null)];
const status = (over: Partial<StoredTierStatus>): StoredTierStatus => ({ ...EMPTY_STATUS, ...over });
const win = (when: Date, tz = NY) => qualificationWindow('rolling_12_months', when, tz);

describe('qualification windows', () => {
  it('rolling 12 months: the 12 months of local dates ending today, from local midnight', () => {
    const w = qualificationWindow('rolling_12_months', at('2025-03-15T16:00:00Z'), NY);
    expect(w.start!.toISOString()).toBe('2024-03-16T04:00:00.000Z'); // 16 March 2024, 00:00 EDT
    expect(w.end.toISOString()).toBe('2025-03-15T16:00:00.000Z');
  });

  it('rolling 12 months uses the merchant’s date, not UTC’s (late evening in New York is tomorrow in UTC)', () => {
    // 2025-03-16T02:00Z is still 15 March in New York.
    expect(qualificationWindow('rolling_12_months', at('2025-03-16T02:00:00Z'), NY).start!.toISOString()).toBe('2024-03-16T04:00:00.000Z');
    expect(qualificationWindow('rolling_12_months', at('2025-03-16T02:00:00Z'), 'UTC').start!.toISOString()).toBe('2024-03-17T00:00:00.000Z');
  });

  it('rolling 12 months on a leap day and on the day after', () => {
    expect(qualificationWindow('rolling_12_months', at('2024-02-29T12:00:00Z'), 'UTC').start!.toISOString()).toBe('2023-03-01T00:00:00.000Z');
    expect(qualificationWindow('rolling_12_months', at('2025-02-28T12:00:00Z'), 'UTC').start!.toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(qualificationWindow('rolling_12_months', at('2025-03-01T12:00:00Z'), 'UTC').start!.toISOString()).toBe('2024-03-02T00:00:00.000Z');
  });

  it('calendar year starts at local midnight on 1 January, hours before or after UTC’s', () => {
    // 2024-12-31T12:00Z is already 1 January 2025, 01:00 in Auckland (NZDT, +13).
    const nz = qualificationWindow('calendar_year', at('2024-12-31T12:00:00Z'), 'Pacific/Auckland');
    expect(nz.start!.toISOString()).toBe('2024-12-31T11:00:00.000Z');
    // …while in New York it is still 2024.
    expect(qualificationWindow('calendar_year', at('2024-12-31T12:00:00Z'), NY).start!.toISOString()).toBe('2024-01-01T05:00:00.000Z');
    expect(qualificationWindow('calendar_year', at('2025-01-01T04:59:59Z'), NY).start!.toISOString()).toBe('2024-01-01T05:00:00.000Z');
    expect(qualificationWindow('calendar_year', at('2025-01-01T05:00:00Z'), NY).start!.toISOString()).toBe('2025-01-01T05:00:00.000Z');
  });

  it('lifetime has no start', () => {
    expect(qualificationWindow('lifetime', at('2025-01-01T00:00:00Z'), NY).start).toBeNull();
  });
});

describe('qualified tier', () => {
  it('is the highest tier whose threshold is met, thresholds inclusive', () => {
    expect(qualifiedTier(LADDER, 0)?.id).toBe('bronze');
    expect(qualifiedTier(LADDER, 9_999)?.id).toBe('bronze');
    expect(qualifiedTier(LADDER, 10_000)?.id).toBe('silver');
    expect(qualifiedTier(LADDER, 49_999)?.id).toBe('silver');
    expect(qualifiedTier(LADDER, 1_000_000)?.id).toBe('platinum');
    expect(qualifiedTier(LADDER.slice(1), 500)).toBeNull();
  });
});

describe('tier decisions', () => {
  const now = at('2025-06-01T16:00:00Z');

  it('places a new customer and moves up at once', () => {
    const d = decideTier({ stored: null, tiers: LADDER, value: 12_000, window: win(now), at: now, timeZone: NY });
    expect(d.next.tierId).toBe('silver');
    expect(d.move).toMatchObject({ from: null, to: 'silver', reason: 'qualified', up: true });
    expect(d.move!.details).toMatchObject({ value: 12_000, qualifiedThreshold: 10_000, window: 'rolling_12_months' });
    const up = decideTier({ stored: d.next, tiers: LADDER, value: 60_000, window: win(now), at: now, timeZone: NY });
    expect(up.move).toMatchObject({ from: 'silver', to: 'gold', reason: 'qualified', up: true });
  });

  it('writes nothing when nothing changes, and nothing for a customer outside the ladder', () => {
    const held = status({ tierId: 'silver', qualifiedTierId: 'silver', tierSince: now });
    expect(decideTier({ stored: held, tiers: LADDER, value: 20_000, window: win(now), at: now, timeZone: NY }).changed).toBe(false);
    expect(decideTier({ stored: null, tiers: LADDER.slice(1), value: 500, window: win(now), at: now, timeZone: NY }).changed).toBe(false);
  });

  it('starts retention when the customer stops qualifying and keeps the tier until it ends', () => {
    const held = status({ tierId: 'gold', qualifiedTierId: 'gold', tierSince: at('2025-01-01T00:00:00Z') });
    const d = decideTier({ stored: held, tiers: LADDER, value: 20_000, window: win(now), at: now, timeZone: NY });
    expect(d.move).toBeNull();
    expect(d.next).toMatchObject({ tierId: 'gold', qualifiedTierId: 'silver', belowSince: now });
    expect(formatLocal(d.next.retainedUntil!, NY)).toBe('2025-07-01T12:00:00');
    expect(d.changed).toBe(true);
  });

  it('demotes exactly when retention runs out, not a millisecond earlier', () => {
    const since = at('2025-06-01T16:00:00Z');
    const held = status({ tierId: 'gold', qualifiedTierId: 'silver', belowSince: since, retainedUntil: at('2025-07-01T16:00:00Z') });
    const justBefore = at('2025-07-01T15:59:59.999Z');
    const keep = decideTier({ stored: held, tiers: LADDER, value: 20_000, window: win(justBefore), at: justBefore, timeZone: NY });
    expect(keep.next.tierId).toBe('gold');
    expect(keep.move).toBeNull();
    const edge = at('2025-07-01T16:00:00Z');
    const drop = decideTier({ stored: held, tiers: LADDER, value: 20_000, window: win(edge), at: edge, timeZone: NY });
    expect(drop.next).toMatchObject({ tierId: 'silver', belowSince: null, retainedUntil: null });
    expect(drop.move).toMatchObject({ from: 'gold', to: 'silver', reason: 'retention_expired', up: false });
    expect(drop.move!.details).toMatchObject({ retentionDays: 30, belowSince: since.toISOString(), heldThreshold: 50_000 });
  });

  it('counts retention in local calendar days across a DST change (30 days = 719 hours in spring)', () => {
    const since = at('2025-03-01T17:00:00Z'); // 12:00 EST
    const held = status({ tierId: 'gold', qualifiedTierId: 'gold' });
    const d = decideTier({ stored: held, tiers: LADDER, value: 0, window: win(since), at: since, timeZone: NY });
    expect(formatLocal(d.next.retainedUntil!, NY)).toBe('2025-03-31T12:00:00');
    expect(d.next.retainedUntil!.getTime() - since.getTime()).toBe((30 * 24 - 1) * 3_600_000);
  });

  it('cancels retention when the customer qualifies again', () => {
    const held = status({ tierId: 'gold', qualifiedTierId: 'silver', belowSince: at('2025-05-20T00:00:00Z'), retainedUntil: at('2025-06-19T00:00:00Z') });
    const d = decideTier({ stored: held, tiers: LADDER, value: 50_000, window: win(now), at: now, timeZone: NY });
    expect(d.next).toMatchObject({ tierId: 'gold', qualifiedTierId: 'gold', belowSince: null, retainedUntil: null });
    expect(d.move).toBeNull();
  });

  it('keeps a tier without retention period indefinitely, and drops at once with a 0-day retention', () => {
    const plat = status({ tierId: 'platinum', qualifiedTierId: 'platinum' });
    const kept = decideTier({ stored: plat, tiers: LADDER, value: 0, window: win(now), at: now, timeZone: NY });
    expect(kept.next).toMatchObject({ tierId: 'platinum', belowSince: now, retainedUntil: null });
    const instant = [tier('bronze', 0, 0), tier('silver', 1, 10_000, 0)];
    const gone = decideTier({ stored: status({ tierId: 'silver', qualifiedTierId: 'silver' }), tiers: instant, value: 5, window: win(now), at: now, timeZone: NY });
    expect(gone.move).toMatchObject({ from: 'silver', to: 'bronze', reason: 'no_longer_qualified' });
  });

  it('holds an override until it expires, then moves straight to the qualified tier', () => {
    const pinned = status({ tierId: 'platinum', overrideActive: true, overrideTierId: 'platinum', overrideUntil: at('2025-07-01T00:00:00Z'), overrideReason: 'VIP guest', overrideBy: 'merchant:x' });
    const during = decideTier({ stored: pinned, tiers: LADDER, value: 100, window: win(now), at: now, timeZone: NY });
    expect(during.next.tierId).toBe('platinum');
    expect(during.move).toBeNull();
    const later = at('2025-07-01T00:00:00Z');
    const after = decideTier({ stored: pinned, tiers: LADDER, value: 100, window: win(later), at: later, timeZone: NY });
    expect(after.next).toMatchObject({ tierId: 'bronze', overrideActive: false, overrideTierId: null, overrideUntil: null });
    expect(after.move).toMatchObject({ from: 'platinum', to: 'bronze', reason: 'override_expired' });
  });

  it('moves members of a deleted tier to what they qualify for', () => {
    const orphan = status({ tierId: 'tier_gone', qualifiedTierId: 'tier_gone' });
    const d = decideTier({ stored: orphan, tiers: LADDER, value: 15_000, window: win(now), at: now, timeZone: NY });
    expect(d.move).toMatchObject({ from: 'tier_gone', to: 'silver', reason: 'tier_removed' });
  });
});

describe('progress', () => {
  it('measures toward the tier above the one held, rounding the percentage down', () => {
    expect(tierProgress(LADDER, 'silver', 20_000)).toMatchObject({ nextTier: { id: 'gold' }, current: 20_000, target: 50_000, remaining: 30_000, percent: 40 });
    expect(tierProgress(LADDER, 'silver', 49_999).percent).toBe(99);
    expect(tierProgress(LADDER.slice(1), null, 2_500)).toMatchObject({ nextTier: { id: 'silver' }, target: 10_000, remaining: 7_500, percent: 25 });
  });

  it('retained above the value: progress still points up, remaining never negative; 100% at the top', () => {
    expect(tierProgress(LADDER, 'gold', 20_000)).toMatchObject({ nextTier: { id: 'platinum' }, remaining: 180_000, percent: 10 });
    expect(tierProgress(LADDER, 'platinum', 999_999)).toMatchObject({ nextTier: null, target: null, remaining: null, percent: 100 });
  });
});
