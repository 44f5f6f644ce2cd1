import { describe, expect, it } from 'vitest';
import { hasPrefix, newId } from './ids';

describe('newId', () => {
  it('is prefixed, fixed-length and sorts by creation time', () => {
    const a = newId('customer', 1_700_000_000_000);
    const b = newId('customer', 1_700_000_000_001);
    expect(a).toMatch(/^cus_[0-9a-z]{26}$/);
    expect(a < b).toBe(true);
    expect(hasPrefix(a, 'customer')).toBe(true);
    expect(hasPrefix(a, 'transaction')).toBe(false);
  });

  it('is unguessable: ids minted in the same millisecond differ', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId('transaction', 42)));
    expect(ids.size).toBe(10_000);
  });
});
