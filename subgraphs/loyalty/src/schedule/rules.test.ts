import { describe, expect, it } from 'vitest';
import { monthsBefore, pointsLabel, rollingExpiryAmount } from './rules';

/** What FIFO consumption leaves of the batches earned before `cutoff`: the reference the formula must match. */
function fifoRemainingBefore(entries: { at: number; points: number }[], cutoff: number): number {
  const batches: { at: number; left: number }[] = [];
  for (const e of [...entries].sort((a, b) => a.at - b.at)) {
    if (e.points > 0) batches.push({ at: e.at, left: e.points });
    else {
      let debit = -e.points;
      for (const b of batches) {
        const used = Math.min(b.left, debit);
        b.left -= used;
        debit -= used;
        if (!debit) break;
      }
    }
  }
  return batches.filter((b) => b.at < cutoff).reduce((s, b) => s + b.left, 0);
}

/** A small deterministic generator so a failure can be replayed from its seed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('rolling expiry arithmetic', () => {
  it('expires what is left of the old batches after every debit, never more than the balance', () => {
    // 100 (Jan) + 50 (Feb) earned, 120 redeemed in Mar: FIFO took all of Jan and 20 of Feb.
    expect(rollingExpiryAmount(30, 150, 120)).toBe(30);
    // Cutoff between Jan and Feb: Jan's 100 were all spent, nothing old is left.
    expect(rollingExpiryAmount(30, 100, 120)).toBe(0);
    // Nothing spent: the old batch expires whole, the new one stays.
    expect(rollingExpiryAmount(150, 100, 0)).toBe(100);
    // A clawback took the balance below what is "left": expire only what is there.
    expect(rollingExpiryAmount(10, 100, 20)).toBe(10);
    expect(rollingExpiryAmount(0, 100, 0)).toBe(0);
  });

  it('matches a batch-by-batch FIFO simulation on random histories', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rand = rng(seed);
      const entries: { at: number; points: number }[] = [];
      let balance = 0;
      for (let t = 0; t < 40; t++) {
        if (rand() < 0.6 || balance === 0) {
          const p = 1 + Math.floor(rand() * 500);
          entries.push({ at: t, points: p });
          balance += p;
        } else {
          const p = 1 + Math.floor(rand() * balance);
          entries.push({ at: t, points: -p });
          balance -= p;
        }
      }
      const cutoff = Math.floor(rand() * 41);
      const credits = entries.filter((e) => e.points > 0 && e.at < cutoff).reduce((s, e) => s + e.points, 0);
      const debits = -entries.filter((e) => e.points < 0).reduce((s, e) => s + e.points, 0);
      const expected = fifoRemainingBefore(entries, cutoff);
      expect(rollingExpiryAmount(balance, credits, debits), `seed ${seed}`).toBe(expected);

      // Expiring it is itself a debit: the next run at the same cutoff finds nothing more.
      if (expected > 0) entries.push({ at: 41, points: -expected });
      const debitsAfter = debits + expected;
      expect(rollingExpiryAmount(balance - expected, credits, debitsAfter)).toBe(0);
      expect(fifoRemainingBefore(entries, cutoff)).toBe(0);
    }
  });
});

describe('months before, on the shop’s calendar', () => {
  it('clamps to the end of shorter months', () => {
    expect(monthsBefore(new Date('2025-03-31T12:00:00Z'), 1, 'UTC').toISOString()).toBe('2025-02-28T12:00:00.000Z');
    expect(monthsBefore(new Date('2024-03-31T12:00:00Z'), 1, 'UTC').toISOString()).toBe('2024-02-29T12:00:00.000Z');
    expect(monthsBefore(new Date('2025-01-15T00:00:00Z'), 12, 'UTC').toISOString()).toBe('2024-01-15T00:00:00.000Z');
    expect(monthsBefore(new Date('2025-01-15T00:00:00Z'), 120, 'UTC').toISOString()).toBe('2015-01-15T00:00:00.000Z');
  });

  it('keeps the local wall-clock time across a daylight saving change', () => {
    // 10:00 in New York on 15 July (EDT, UTC-4) six months back is 10:00 on 15 January (EST, UTC-5).
    expect(monthsBefore(new Date('2025-07-15T14:00:00Z'), 6, 'America/New_York').toISOString()).toBe('2025-01-15T15:00:00.000Z');
  });

  it('labels amounts with the program’s names', () => {
    expect(pointsLabel(1, { singular: 'Star', plural: 'Stars' })).toBe('1 Star');
    expect(pointsLabel(1500, { singular: 'Star', plural: 'Stars' })).toBe('1,500 Stars');
  });
});
