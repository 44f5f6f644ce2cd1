import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signInternalCredential, verifyInternalCredential } from './internal-credential';
import type { Principal } from './principal';

const SECRET = 'internal-secret-for-tests-0123456789abcdef';
const customer: Principal = { kind: 'customer', merchantId: 'mer_1', shop: 'a.myshopify.com', customerId: 'cus_1', shopifyCustomerId: '1001' };
const other: Principal = { kind: 'customer', merchantId: 'mer_1', shop: 'a.myshopify.com', customerId: 'cus_2', shopifyCustomerId: '1002' };

/** Changes one character of the payload segment, keeping the signature. */
const tamper = (token: string) => {
  const [h, p, s] = token.split('.');
  const i = Math.floor(p.length / 2);
  return `${h}.${p.slice(0, i)}${p[i] === 'A' ? 'B' : 'A'}${p.slice(i + 1)}.${s}`;
};

describe('internal credential', () => {
  beforeEach(() => {
    // Only the clock is faked: WebCrypto's promises must still settle.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('carries the principal to the subgraph it was signed for', async () => {
    const token = await signInternalCredential(SECRET, 'loyalty', customer);
    expect(await verifyInternalCredential(SECRET, 'loyalty', token)).toEqual(customer);
  });

  it('reuses a signed credential per principal for half its lifetime, then signs a fresh one', async () => {
    const first = await signInternalCredential(SECRET, 'loyalty', customer);
    expect(await signInternalCredential(SECRET, 'loyalty', customer)).toBe(first);
    expect(await signInternalCredential(SECRET, 'loyalty', other)).not.toBe(first);
    expect(await signInternalCredential(SECRET, 'analytics', customer)).not.toBe(first);
    vi.setSystemTime(new Date('2030-01-01T00:00:31Z'));
    const fresh = await signInternalCredential(SECRET, 'loyalty', customer);
    expect(fresh).not.toBe(first);
    expect(await verifyInternalCredential(SECRET, 'loyalty', fresh)).toEqual(customer);
  });

  it('refuses a credential once it has expired, even one verified before', async () => {
    const token = await signInternalCredential(SECRET, 'merchant-config', other, 60);
    expect(await verifyInternalCredential(SECRET, 'merchant-config', token)).toEqual(other);
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    await expect(verifyInternalCredential(SECRET, 'merchant-config', token)).rejects.toThrow();
    // and it stays refused (the expired entry is not served again)
    await expect(verifyInternalCredential(SECRET, 'merchant-config', token)).rejects.toThrow();
  });

  it('refuses a verified credential presented to another subgraph or under another secret', async () => {
    const token = await signInternalCredential(SECRET, 'loyalty', customer);
    await verifyInternalCredential(SECRET, 'loyalty', token);
    await expect(verifyInternalCredential(SECRET, 'admin', token)).rejects.toThrow();
    await expect(verifyInternalCredential('another-internal-secret-0123456789abcdef', 'loyalty', token)).rejects.toThrow();
  });

  it('refuses an altered or forged credential', async () => {
    const token = await signInternalCredential(SECRET, 'loyalty', customer);
    await verifyInternalCredential(SECRET, 'loyalty', token);
    await expect(verifyInternalCredential(SECRET, 'loyalty', tamper(token))).rejects.toThrow();
    const forged = await signInternalCredential('not-the-internal-secret-not-the-internal', 'loyalty', customer);
    await expect(verifyInternalCredential(SECRET, 'loyalty', forged)).rejects.toThrow();
    await expect(verifyInternalCredential(SECRET, 'loyalty', 'not.a.jwt')).rejects.toThrow();
  });

  it('hands out a principal no request can change for the next one', async () => {
    const dev: Principal = { kind: 'developer', merchantId: 'mer_1', shop: 'a.myshopify.com', keyId: 'key_1', scopes: ['READ_CUSTOMERS'] as never };
    const token = await signInternalCredential(SECRET, 'loyalty', dev);
    const a = await verifyInternalCredential(SECRET, 'loyalty', token);
    expect(Object.isFrozen(a)).toBe(true);
    expect(() => (a as { scopes: string[] }).scopes.push('WRITE_POINTS')).toThrow();
    expect(await verifyInternalCredential(SECRET, 'loyalty', token)).toEqual(dev);
  });
});
