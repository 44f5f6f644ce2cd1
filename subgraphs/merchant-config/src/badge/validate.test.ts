import { describe, expect, it } from 'vitest';
import { badgeFieldErrors, badgeRuleErrors, normalizedRule } from './validate';

const tiers = new Set(['tier_gold']);
const errs = (rule: { kind: string; threshold?: number | null; tierId?: string | null }) => badgeRuleErrors(rule, (id) => tiers.has(id)).map((e) => e.message);

describe('badge rules', () => {
  it('accepts rules that can fire', () => {
    expect(errs({ kind: 'first_purchase' })).toEqual([]);
    expect(errs({ kind: 'orders_count', threshold: 1 })).toEqual([]);
    expect(errs({ kind: 'streak', threshold: 12 })).toEqual([]);
    expect(errs({ kind: 'tier_reached', tierId: 'tier_gold' })).toEqual([]);
  });

  it('refuses rules that can never fire', () => {
    expect(errs({ kind: 'orders_count', threshold: 0 })).toEqual(['threshold 0 can never be reached: a orders_count badge needs a threshold of at least 1']);
    expect(errs({ kind: 'referrals', threshold: -3 })).toHaveLength(1);
    expect(errs({ kind: 'reviews' })).toEqual(['a reviews badge needs a threshold of at least 1']);
    expect(errs({ kind: 'streak', threshold: 121 })).toEqual(['threshold must be at most 120 months']);
    expect(errs({ kind: 'tier_reached', tierId: 'tier_gone' })).toEqual(['No VIP tier tier_gone in this shop: the badge could never be awarded']);
    expect(errs({ kind: 'tier_reached' })).toEqual(['a tier_reached badge needs the tierId it is awarded for']);
  });

  it('refuses fields that do not apply, and stores only what applies', () => {
    expect(errs({ kind: 'first_purchase', threshold: 2 })).toHaveLength(1);
    expect(errs({ kind: 'orders_count', threshold: 2, tierId: 'tier_gold' })).toEqual(['tierId does not apply to a orders_count badge']);
    expect(normalizedRule({ kind: 'first_purchase', threshold: 1 })).toEqual({ kind: 'first_purchase' });
    expect(normalizedRule({ kind: 'tier_reached', tierId: 'tier_gold' })).toEqual({ kind: 'tier_reached', tierId: 'tier_gold' });
  });

  it('checks keys and image URLs', () => {
    expect(badgeFieldErrors({ key: 'ten-orders', imageUrl: 'https://cdn.example.com/a.png' })).toEqual([]);
    expect(badgeFieldErrors({ key: 'Ten Orders' })[0].field).toEqual(['input', 'key']);
    expect(badgeFieldErrors({ imageUrl: 'javascript:alert(1)' })[0].field).toEqual(['input', 'imageUrl']);
  });
});
