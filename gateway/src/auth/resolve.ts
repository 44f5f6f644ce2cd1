import { and, eq, sql } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import type { Shopify } from '@shopify/shopify-api';
import { authenticateAdminToken } from '@herethere/admin';
import { apiKeys } from '@herethere/db';
import { ADMIN_TOKEN_PREFIX, API_KEY_PREFIX, parseApiKey, safeEqual, sha256, type Deps, type Principal } from '@herethere/runtime';
import { SHOP_DOMAIN, type MerchantDirectory } from './merchants';
import { WIDGET_ISSUER, verifyWidgetToken } from './widget-token';

/** Raised for any credential that is present but not acceptable: the caller gets 401, never anonymous. */
export class AuthError extends Error {}

export interface Authenticator {
  /** `authorization` is the raw header (or WS connectionParams value); absent means anonymous. */
  resolve(authorization: string | undefined): Promise<Principal>;
}

export function createAuthenticator(deps: Deps, shopify: Shopify, directory: MerchantDirectory): Authenticator {
  async function activeShop(shop: string) {
    if (!SHOP_DOMAIN.test(shop)) throw new AuthError('token names an invalid shop');
    const merchant = await directory.byDomain(shop);
    if (!merchant || merchant.status !== 'active') throw new AuthError('shop is not installed');
    return merchant;
  }

  async function merchantSession(token: string): Promise<Principal> {
    let payload: Awaited<ReturnType<Shopify['session']['decodeSessionToken']>>;
    try {
      payload = await shopify.session.decodeSessionToken(token);
    } catch {
      throw new AuthError('invalid session token');
    }
    const shop = new URL(payload.dest).hostname;
    const merchant = await activeShop(shop);
    return { kind: 'merchant', merchantId: merchant.id, shop, staffId: payload.sub || undefined };
  }

  async function widget(token: string): Promise<Principal> {
    let principal;
    try {
      principal = await verifyWidgetToken(deps.config.widgetTokenSecret, token);
    } catch {
      throw new AuthError('invalid or expired widget token');
    }
    const merchant = await activeShop(principal.shop);
    if (merchant.id !== principal.merchantId) throw new AuthError('widget token does not match its shop');
    return principal;
  }

  async function admin(token: string): Promise<Principal> {
    const principal = await authenticateAdminToken(deps.db.db, token);
    if (!principal) throw new AuthError('admin session is invalid, expired or revoked');
    return principal;
  }

  async function developer(raw: string): Promise<Principal> {
    const parsed = parseApiKey(raw);
    if (!parsed) throw new AuthError('malformed API key');
    const [row] = await deps.db.db.select().from(apiKeys).where(and(eq(apiKeys.merchantId, parsed.merchantId), eq(apiKeys.id, parsed.keyId)));
    if (!row || row.revokedAt || !safeEqual(row.secretHash, sha256(parsed.secret))) throw new AuthError('API key is invalid or revoked');
    const [shop] = await deps.db.rows<{ shop_domain: string; status: string }>(sql`select shop_domain, status from merchants where id = ${row.merchantId}`);
    if (!shop || shop.status !== 'active') throw new AuthError('shop is not installed');
    // Last use is informative only; refresh it at most every five minutes to keep reads cheap.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 300_000) {
      void deps.db.db.update(apiKeys).set({ lastUsedAt: new Date() }).where(and(eq(apiKeys.merchantId, row.merchantId), eq(apiKeys.id, row.id))).catch(() => {});
    }
    return { kind: 'developer', merchantId: row.merchantId, shop: shop.shop_domain, keyId: row.id, scopes: row.scopes };
  }

  return {
    async resolve(authorization) {
      if (authorization === undefined || authorization === '') return { kind: 'anonymous' };
      const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
      if (!match) throw new AuthError('Authorization must be "Bearer <token>"');
      const token = match[1];
      if (token.startsWith(ADMIN_TOKEN_PREFIX)) return admin(token);
      if (token.startsWith(API_KEY_PREFIX)) return developer(token);
      let issuer: string | undefined;
      try {
        issuer = decodeJwt(token).iss;
      } catch {
        throw new AuthError('token is not a JWT, an admin session or an API key');
      }
      return issuer === WIDGET_ISSUER ? widget(token) : merchantSession(token);
    },
  };
}
