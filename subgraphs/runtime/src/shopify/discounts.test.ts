import { describe, expect, it } from 'vitest';
import { testConfig } from '../config';
import { AdminApiUnavailable, throttleWaitMs } from './client';
import { discountMutation, discountProviderForMerchant, generateDiscountCode, isIssuedDiscountCode, minorToDecimal, type DiscountRequest } from './discounts';

const base: DiscountRequest = {
  title: 'Loyalty reward', code: 'HT-AAAA-BBBB-CCCC-DDDD', kind: 'fixed_amount', currency: 'USD', amountMinor: 500,
  shopifyCustomerId: '123', startsAt: new Date('2026-01-01T00:00:00Z'), endsAt: new Date('2026-02-01T00:00:00Z'),
  usageLimit: 1, appliesOncePerCustomer: true, combinesWith: { order: false, product: true, shipping: false }, minimumSubtotalMinor: 2500,
};

describe('discount requests', () => {
  it('converts minor units without floats, by currency exponent', () => {
    expect(minorToDecimal(1234, 'USD')).toBe('12.34');
    expect(minorToDecimal(5, 'EUR')).toBe('0.05');
    expect(minorToDecimal(1500, 'JPY')).toBe('1500');
    expect(minorToDecimal(1234, 'KWD')).toBe('1.234');
  });

  it('draws unguessable, readable codes', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => generateDiscountCode()));
    expect(codes.size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^HT-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(generateDiscountCode('REF')).toMatch(/^REF-/);
  });

  it('tells codes it may have issued from the merchant\'s own, so orders with only those skip the look-ups', () => {
    for (let i = 0; i < 200; i++) {
      expect(isIssuedDiscountCode(generateDiscountCode())).toBe(true);
      expect(isIssuedDiscountCode(generateDiscountCode('REF').toLowerCase())).toBe(true);
    }
    expect(isIssuedDiscountCode(' ht-ab12-cd34-ef56-gh78 ')).toBe(true);
    for (const code of ['BF2026', 'WELCOME10', 'HT-ABCD', 'HTX-ABCD-EFGH-JKMN-PQRS', 'HT-ABCD-EFGH-JKMN-PQRS-TVWX', 'REF_ABCD_EFGH_JKMN_PQRS', '']) {
      expect(isIssuedDiscountCode(code)).toBe(false);
    }
  });

  it('builds discountCodeBasicCreate restricted to the customer, single use', () => {
    const m = discountMutation(base);
    expect(m.mutation).toBe('discountCodeBasicCreate');
    expect(m.query).toContain('discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount)');
    expect(m.variables).toEqual({
      basicCodeDiscount: {
        title: 'Loyalty reward', code: 'HT-AAAA-BBBB-CCCC-DDDD', startsAt: '2026-01-01T00:00:00.000Z', endsAt: '2026-02-01T00:00:00.000Z',
        customerSelection: { customers: { add: ['gid://shopify/Customer/123'] } },
        minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: '25.00' } },
        usageLimit: 1, appliesOncePerCustomer: true,
        combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: false },
        customerGets: { value: { discountAmount: { amount: '5.00', appliesOnEachItem: false } }, items: { all: true } },
      },
    });
  });

  it('uses discountCodeFreeShippingCreate for free shipping, percentages as fractions, variants as GIDs', () => {
    const ship = discountMutation({ ...base, kind: 'free_shipping', shopifyCustomerId: null, minimumSubtotalMinor: null });
    expect(ship.mutation).toBe('discountCodeFreeShippingCreate');
    expect(ship.variables.freeShippingCodeDiscount).toMatchObject({ destination: { all: true }, customerSelection: { all: true }, minimumRequirement: null });
    expect((discountMutation({ ...base, kind: 'percentage', percentageBp: 1250 }).variables.basicCodeDiscount as { customerGets: unknown }).customerGets).toEqual({ value: { percentage: 0.125 }, items: { all: true } });
    const product = discountMutation({ ...base, kind: 'free_product', productVariantId: '42', amountMinor: null });
    expect((product.variables.basicCodeDiscount as { customerGets: unknown }).customerGets).toEqual({ value: { percentage: 1 }, items: { products: { productVariantsToAdd: ['gid://shopify/ProductVariant/42'] } } });
  });

  it('waits as long as the leaky bucket needs to refill for the query', () => {
    expect(throttleWaitMs({ requestedQueryCost: 100, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 20, restoreRate: 50 } }, 999)).toBe(1600);
    expect(throttleWaitMs({ requestedQueryCost: 10, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 9, restoreRate: 100 } }, 999)).toBe(50);
    expect(throttleWaitMs(undefined, 999)).toBe(999);
  });
});

describe('provider choice', () => {
  const db = {} as never;
  it('records in embedded mode, but never hands out unbacked codes in production', async () => {
    expect(discountProviderForMerchant({ config: testConfig(), db: { db } }, { id: 'mer_1', shopDomain: 's.myshopify.com', accessTokenSealed: null }).name).toBe('dev');
    const prod = discountProviderForMerchant({ config: { ...testConfig(), mode: 'production', nodeEnv: 'production' }, db: { db } }, { id: 'mer_1', shopDomain: 's.myshopify.com', accessTokenSealed: null });
    await expect(prod.create(base)).rejects.toBeInstanceOf(AdminApiUnavailable);
    await expect(prod.findByCode('X')).rejects.toThrow(/has not granted Admin API access/);
  });
});
