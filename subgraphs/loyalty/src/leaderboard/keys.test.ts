import { describe, expect, it } from 'vitest';
import { longestMonthRun } from '../badge/award';
import { buckets, maskedName, periodKey, scoreDelta } from './keys';

describe('leaderboard keys', () => {
  it('masks names: first name and last initial, never more', () => {
    expect(maskedName('Ada', 'Lovelace')).toBe('Ada L.');
    expect(maskedName('  Mary Ann ', 'van der Berg')).toBe('Mary V.');
    expect(maskedName('Ada', null)).toBe('Ada');
    expect(maskedName(null, 'lovelace')).toBe('L.');
    expect(maskedName('', '')).toBe('Anonymous');
    expect(maskedName('Zoë', 'Łukasz')).toBe('Zoë Ł.');
  });

  it('scores points earned net of clawbacks; spending and expiry do not count', () => {
    expect(scoreDelta({ type: 'purchase', points: 100 })).toBe(100);
    expect(scoreDelta({ type: 'refund_clawback', points: -40 })).toBe(-40);
    expect(scoreDelta({ type: 'redemption', points: -500 })).toBe(0);
    expect(scoreDelta({ type: 'expiry', points: -10 })).toBe(0);
    expect(scoreDelta({ type: 'tier_bonus', points: 50 })).toBe(50);
  });

  it('buckets scores at three resolutions and keys periods in the shop’s time zone', () => {
    expect(buckets(1_234_567)).toEqual([1_234_567, 1234, 1]);
    expect(buckets(999)).toEqual([999, 0, 0]);
    const sundayNightUtc = new Date('2026-11-29T23:30:00Z');
    expect(periodKey('week', sundayNightUtc, 'UTC')).toBe('2026-W48');
    expect(periodKey('week', sundayNightUtc, 'Asia/Tokyo')).toBe('2026-W49');
    expect(periodKey('month', new Date('2026-11-30T20:00:00Z'), 'Asia/Tokyo')).toBe('2026-12');
    expect(periodKey('all', sundayNightUtc, 'Asia/Tokyo')).toBe('all');
  });
});

describe('streaks', () => {
  it('counts the longest run of consecutive months, across a year end', () => {
    const m = (y: number, month: number) => y * 12 + month - 1;
    expect(longestMonthRun([])).toBe(0);
    expect(longestMonthRun([m(2026, 1)])).toBe(1);
    expect(longestMonthRun([m(2025, 11), m(2025, 12), m(2026, 1), m(2026, 3)])).toBe(3);
    expect(longestMonthRun([m(2026, 3), m(2026, 1), m(2026, 1), m(2026, 2)])).toBe(3);
  });
});
