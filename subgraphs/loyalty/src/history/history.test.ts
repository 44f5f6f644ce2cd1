import { describe, expect, it } from 'vitest';
import type { Principal } from '@herethere/runtime';
import { checkAfter, checkFilter, sortKey } from './data';
import { mayReadHistory } from './resolver';

const alice = { merchantId: 'mer_a', id: 'cus_alice' };

describe('who may read a points history', () => {
  const cases: [string, Principal, boolean][] = [
    ['the customer themselves', { kind: 'customer', merchantId: 'mer_a', shop: 'a', customerId: 'cus_alice', shopifyCustomerId: '1' }, true],
    ['another customer of the shop', { kind: 'customer', merchantId: 'mer_a', shop: 'a', customerId: 'cus_bob', shopifyCustomerId: '2' }, false],
    ['a customer of another shop with the same id', { kind: 'customer', merchantId: 'mer_b', shop: 'b', customerId: 'cus_alice', shopifyCustomerId: '1' }, false],
    ['the shop', { kind: 'merchant', merchantId: 'mer_a', shop: 'a' }, true],
    ['another shop', { kind: 'merchant', merchantId: 'mer_b', shop: 'b' }, false],
    ['a key with read_customers', { kind: 'developer', merchantId: 'mer_a', shop: 'a', keyId: 'key_1', scopes: ['read_customers'] }, true],
    ['a key without it', { kind: 'developer', merchantId: 'mer_a', shop: 'a', keyId: 'key_2', scopes: ['write_points', 'write_reviews'] }, false],
    ['another shop’s key', { kind: 'developer', merchantId: 'mer_b', shop: 'b', keyId: 'key_3', scopes: ['read_customers'] }, false],
    ['a storefront visitor', { kind: 'visitor', merchantId: 'mer_a', shop: 'a' }, false],
    ['nobody', { kind: 'anonymous' }, false],
  ];
  for (const [name, principal, allowed] of cases) {
    it(`${allowed ? 'allows' : 'refuses'} ${name}`, () => expect(mayReadHistory(principal, alice)).toBe(allowed));
  }
});

describe('history arguments', () => {
  it('accepts known types, dropping repeats, and a since before until', () => {
    const since = new Date('2025-01-01T00:00:00Z');
    const until = new Date('2025-02-01T00:00:00Z');
    expect(checkFilter({ types: ['purchase', 'expiry', 'purchase'], since, until })).toEqual({ types: ['purchase', 'expiry'], since, until });
    expect(checkFilter({})).toEqual({});
  });

  it('refuses unknown types, an empty list and an empty window', () => {
    expect(() => checkFilter({ types: ['purchase', 'gift', 'bonus'] })).toThrow(/"gift", "bonus" are not entry types/);
    expect(() => checkFilter({ types: [] })).toThrow(/at least one/);
    const t = new Date('2025-01-01T00:00:00Z');
    expect(() => checkFilter({ since: t, until: t })).toThrow(/since must be before until/);
    expect(() => checkFilter({ since: new Date('nope') })).toThrow(/since must be a date-time/);
  });

  it('takes only our own ids as cursor keys and orders ledger and pending ids together', () => {
    expect(checkAfter('txn_01hx0000000000000000000000')).toBe('01hx0000000000000000000000');
    expect(checkAfter('pnd_01hx0000000000000000000000')).toBe('01hx0000000000000000000000');
    expect(checkAfter(undefined)).toBeUndefined();
    for (const bad of ['cus_01hx0000000000000000000000', 'txn_short', "txn_01hx000000000000000000000'", '']) expect(() => checkAfter(bad)).toThrow(/not a valid cursor/);
    expect(sortKey('pnd_01b') > sortKey('txn_01a')).toBe(true);
  });
});
