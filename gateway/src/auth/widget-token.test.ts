import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Shopify } from '@shopify/shopify-api';
import type { Deps } from '@herethere/runtime';
import type { MerchantDirectory, MerchantRef } from './merchants';
import { AuthError, createAuthenticator } from './resolve';
import { signWidgetToken, verifyWidgetToken } from './widget-token';

const SECRET = 'widget-secret-for-tests-0123456789abcdef';
const SHOP = 'cache-shop.myshopify.com';
const customer = { kind: 'customer' as const, merchantId: 'mer_1', shop: SHOP, customerId: 'cus_1', shopifyCustomerId: '1001' };

describe('widget token verification (with its cache of verified tokens)', () => {
  beforeEach(() => {
    // Only the clock is faked: WebCrypto's promises must still settle.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a copy, so one request cannot change the principal the next one gets', async () => {
    const { token } = await signWidgetToken(SECRET, customer, 900);
    const a = await verifyWidgetToken(SECRET, token);
    (a as { customerId: string }).customerId = 'cus_other';
    expect(await verifyWidgetToken(SECRET, token)).toEqual(customer);
  });

  it('refuses a token once it has expired, even one verified before', async () => {
    const { token } = await signWidgetToken(SECRET, customer, 60);
    expect(await verifyWidgetToken(SECRET, token)).toEqual(customer);
    vi.setSystemTime(new Date('2030-01-01T00:01:00Z'));
    await expect(verifyWidgetToken(SECRET, token)).rejects.toThrow();
  });

  it('refuses a verified token under another secret, and an altered one', async () => {
    const { token } = await signWidgetToken(SECRET, customer, 900);
    await verifyWidgetToken(SECRET, token);
    await expect(verifyWidgetToken('another-widget-secret-0123456789abcdef', token)).rejects.toThrow();
    const [h, p, s] = token.split('.');
    await expect(verifyWidgetToken(SECRET, `${h}.${p}x.${s}`)).rejects.toThrow();
  });

  it('through the authenticator: a cached token stops working when the shop is uninstalled or the token expires', async () => {
    let merchant: MerchantRef | null = { id: 'mer_1', shopDomain: SHOP, status: 'active', currency: 'USD' };
    const directory = { byDomain: async () => merchant, forget: () => {}, close: async () => {} } as unknown as MerchantDirectory;
    const deps = { config: { widgetTokenSecret: SECRET } } as unknown as Deps;
    const auth = createAuthenticator(deps, {} as Shopify, directory);
    const { token } = await signWidgetToken(SECRET, customer, 120);

    expect(await auth.resolve(`Bearer ${token}`)).toEqual(customer);
    expect(await auth.resolve(`Bearer ${token}`)).toEqual(customer);

    merchant = { ...merchant!, status: 'uninstalled' };
    await expect(auth.resolve(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthError);

    merchant = { ...merchant, status: 'active' };
    expect(await auth.resolve(`Bearer ${token}`)).toEqual(customer);
    vi.setSystemTime(new Date('2030-01-01T00:02:00Z'));
    await expect(auth.resolve(`Bearer ${token}`)).rejects.toBeInstanceOf(AuthError);
  });
});
