import { SignJWT, jwtVerify } from 'jose';
import { hmacKey, type Principal } from '@herethere/runtime';

/**
 * The storefront widget's credential: a short-lived HS256 JWT issued by /proxy/session after the
 * app proxy signature check. It names the customer the server derived, never one the browser sent.
 */
export const WIDGET_ISSUER = 'herethere-widget';

type WidgetPrincipal = Extract<Principal, { kind: 'customer' | 'visitor' }>;

/**
 * Widget tokens already verified, by (secret, exact token), until the token's own `exp`. A widget
 * token is stateless (nothing revokes one token), so the same bytes under the same secret always
 * verify the same way until they expire, and expiry is re-checked on every hit. What can change —
 * the shop being uninstalled — is checked by the caller on every request, hit or miss.
 */
const MAX_VERIFIED = 10_000;
const verified = new Map<string, { principal: WidgetPrincipal; expiresAt: number }>();

export async function signWidgetToken(secret: string, principal: WidgetPrincipal, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
  const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
  const claims = principal.kind === 'customer'
    ? { kind: 'customer', mid: principal.merchantId, shop: principal.shop, scid: principal.shopifyCustomerId }
    : { kind: 'visitor', mid: principal.merchantId, shop: principal.shop };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(WIDGET_ISSUER)
    .setAudience(principal.shop)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000));
  if (principal.kind === 'customer') jwt.setSubject(principal.customerId);
  return { token: await jwt.sign(await hmacKey(secret)), expiresAt };
}

export async function verifyWidgetToken(secret: string, token: string): Promise<WidgetPrincipal> {
  const cacheKey = `${secret}\u0000${token}`;
  const hit = verified.get(cacheKey);
  if (hit) {
    if (hit.expiresAt > Date.now()) return { ...hit.principal };
    verified.delete(cacheKey);
  }
  const { payload } = await jwtVerify(token, await hmacKey(secret), { issuer: WIDGET_ISSUER, algorithms: ['HS256'], requiredClaims: ['exp'] });
  const shop = String(payload.shop ?? '');
  if (payload.aud !== shop || typeof payload.mid !== 'string') throw new Error('widget token has an inconsistent audience');
  let principal: WidgetPrincipal;
  if (payload.kind === 'customer' && typeof payload.sub === 'string' && typeof payload.scid === 'string') {
    principal = { kind: 'customer', merchantId: payload.mid, shop, customerId: payload.sub, shopifyCustomerId: payload.scid };
  } else if (payload.kind === 'visitor') {
    principal = { kind: 'visitor', merchantId: payload.mid, shop };
  } else {
    throw new Error('widget token has an unknown kind');
  }
  if (verified.size >= MAX_VERIFIED) verified.delete(verified.keys().next().value as string);
  verified.set(cacheKey, { principal, expiresAt: (payload.exp as number) * 1000 });
  return { ...principal };
}
