import { SignJWT, jwtVerify } from 'jose';
import type { Principal } from '@herethere/runtime';

/**
 * The storefront widget's credential: a short-lived HS256 JWT issued by /proxy/session after the
 * app proxy signature check. It names the customer the server derived, never one the browser sent.
 */
export const WIDGET_ISSUER = 'herethere-widget';

type WidgetPrincipal = Extract<Principal, { kind: 'customer' | 'visitor' }>;

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
  return { token: await jwt.sign(new TextEncoder().encode(secret)), expiresAt };
}

export async function verifyWidgetToken(secret: string, token: string): Promise<WidgetPrincipal> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: WIDGET_ISSUER, algorithms: ['HS256'] });
  const shop = String(payload.shop ?? '');
  if (payload.aud !== shop || typeof payload.mid !== 'string') throw new Error('widget token has an inconsistent audience');
  if (payload.kind === 'customer' && typeof payload.sub === 'string' && typeof payload.scid === 'string') {
    return { kind: 'customer', merchantId: payload.mid, shop, customerId: payload.sub, shopifyCustomerId: payload.scid };
  }
  if (payload.kind === 'visitor') return { kind: 'visitor', merchantId: payload.mid, shop };
  throw new Error('widget token has an unknown kind');
}
