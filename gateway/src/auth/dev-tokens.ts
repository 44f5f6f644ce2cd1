import { SignJWT } from 'jose';
import type { Config } from '@herethere/runtime';

/**
 * Development only: a session token shaped exactly like the one Shopify App Bridge gives an
 * embedded app (HS256 with the app secret, aud = API key, dest = the shop), so the real
 * verification path accepts it. Never available in production.
 */
export async function mintMerchantSessionToken(config: Config, shop: string, ttlSeconds = 3600, staffId = '1'): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dest: `https://${shop}`, sid: `dev-${now}`, jti: crypto.randomUUID() })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(`https://${shop}/admin`)
    .setAudience(config.shopify.apiKey)
    .setSubject(staffId)
    .setIssuedAt(now)
    .setNotBefore(now - 1)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(config.shopify.apiSecret));
}
