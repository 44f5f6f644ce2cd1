import { describe, expect, it } from 'vitest';
import { validateReward } from './data';

const given = (o: object) => new Set(Object.keys(o));
const check = (kind: Parameters<typeof validateReward>[0], o: Record<string, unknown>) => validateReward(kind, o, given(o)).map((e) => e.message);

describe('validateReward', () => {
  it('accepts a complete reward of each kind', () => {
    expect(check('fixed_amount', { name: '$5', pointsCost: 500, valueMinor: 500 })).toEqual([]);
    expect(check('percentage', { name: '10%', pointsCost: 800, percentageBp: 1000 })).toEqual([]);
    expect(check('free_shipping', { name: 'Ship', pointsCost: 300, minOrderMinor: 0 })).toEqual([]);
    expect(check('free_product', { name: 'Socks', pointsCost: 900, productVariantId: 'gid://shopify/ProductVariant/4455' })).toEqual([]);
    expect(check('points_slider', { name: 'Slider', pointsPerStep: 100, valueMinorPerStep: 100, maxSteps: 10 })).toEqual([]);
  });

  it('names each problem and its field', () => {
    expect(check('fixed_amount', { name: 'x', pointsCost: 0 })).toEqual(['pointsCost must be a whole number from 1 to 10,000,000', 'valueMinor is required for this kind of reward']);
    expect(check('points_slider', { name: 'x', pointsPerStep: 1, valueMinorPerStep: 1, maxSteps: 1001, pointsCost: 5 })).toEqual(['pointsCost does not apply to a points_slider reward', 'maxSteps must be a whole number from 1 to 1,000']);
    expect(check('free_product', { name: 'x', pointsCost: 1, productVariantId: 'socks' })[0]).toMatch(/productVariantId must be a Shopify product variant id/);
    expect(check('percentage', { name: 'x', pointsCost: 1, percentageBp: 1000, codeExpiryDays: 0, perCustomerLimit: 1.5 })).toEqual([
      'codeExpiryDays must be a whole number from 1 to 3,650', 'perCustomerLimit must be a whole number from 1 to 1,000,000',
    ]);
  });
});
