import { describe, expect, it } from 'vitest';
import { ladderErrors, tierFieldErrors } from './validate';

const t = (name: string, threshold: number) => ({ id: name, name, threshold });

describe('tier ladder', () => {
  it('accepts strictly increasing thresholds, the first possibly 0', () => {
    expect(ladderErrors([t('Bronze', 0), t('Silver', 1), t('Gold', 50_000)])).toEqual([]);
  });

  it('reports tiers with the same threshold as overlapping, wherever they sit', () => {
    const errors = ladderErrors([t('Bronze', 0), t('Silver', 100), t('Gold', 500), t('Gold Plus', 100)]);
    expect(errors.map((e) => e.message)).toEqual(['thresholds overlap: Gold Plus and Silver both ask for 100; each tier needs a higher threshold than the one below']);
  });

  it('reports a tier asking for less than the one below it', () => {
    const errors = ladderErrors([t('Bronze', 0), t('Gold', 500), t('Silver', 100)], ['input', 'thresholds']);
    expect(errors).toEqual([{ code: 'INVALID', field: ['input', 'thresholds'], message: 'thresholds must increase up the ladder: Silver (100) must be above Gold (500), the tier below it' }]);
  });
});

describe('tier fields', () => {
  it('keeps multipliers above 0 and at most 10×, in basis points', () => {
    expect(tierFieldErrors({ earningMultiplierBp: 1 })).toEqual([]);
    expect(tierFieldErrors({ earningMultiplierBp: 100_000 })).toEqual([]);
    for (const bp of [0, -1, 100_001, 1.5]) expect(tierFieldErrors({ earningMultiplierBp: bp })[0].field).toEqual(['input', 'earningMultiplierBp']);
  });

  it('checks thresholds, names, perks, entry rewards and retention', () => {
    expect(tierFieldErrors({ threshold: -1 })[0].field).toEqual(['input', 'threshold']);
    expect(tierFieldErrors({ threshold: 2_147_483_648 })[0].field).toEqual(['input', 'threshold']);
    expect(tierFieldErrors({ name: '  ' })[0].field).toEqual(['input', 'name']);
    expect(tierFieldErrors({ perks: ['ok', ''] })[0].field).toEqual(['input', 'perks']);
    expect(tierFieldErrors({ entryRewardPoints: 0 })[0].field).toEqual(['input', 'entryRewardPoints']);
    expect(tierFieldErrors({ entryRewardPoints: 10, entryRewardId: 'rwd_x' })[0].message).toBe('give either entryRewardPoints or entryRewardId, not both');
    expect(tierFieldErrors({ retentionDays: -1 })[0].field).toEqual(['input', 'retentionDays']);
    expect(tierFieldErrors({ retentionDays: null })).toEqual([]);
  });
});
