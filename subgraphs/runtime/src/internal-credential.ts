import { SignJWT, jwtVerify } from 'jose';
import type { Principal } from './principal';

/**
 * The gateway's credential for subgraph calls: a short-lived HS256 JWT whose audience is the
 * subgraph and whose `principal` claim is the already-authenticated caller. Subgraphs trust
 * nothing else, so a direct call to a subgraph without it is refused.
 */
export const INTERNAL_HEADER = 'x-herethere-internal';
const ISSUER = 'herethere-gateway';
const DEFAULT_TTL_SECONDS = 60;
/** Bound on each process-wide cache below; the oldest entry goes first when full. */
const MAX_ENTRIES = 10_000;

/**
 * The HS256 key for a secret, imported once. Passing the raw bytes to jose makes it import a
 * WebCrypto key on every sign and every verify, a measurable share of each request under load.
 */
const keys = new Map<string, Promise<CryptoKey>>();
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keys.set(secret, key);
  }
  return key;
}

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(key, value);
}

/**
 * Signed credentials, reused per (secret, subgraph, principal) for the first half of their
 * lifetime: the token's claims are exactly the principal, so a reused token says the same thing
 * a fresh one would, and it still has at least half its lifetime left when a subgraph checks it.
 * Authentication itself is not cached here: the gateway resolves the caller on every request
 * before it asks for a credential, so a revoked session never reaches this point.
 */
const signed = new Map<string, { token: string; reuseUntil: number }>();

export async function signInternalCredential(secret: string, audience: string, principal: Principal, ttlSeconds = DEFAULT_TTL_SECONDS): Promise<string> {
  const cacheKey = `${ttlSeconds}\u0000${audience}\u0000${secret}\u0000${JSON.stringify(principal)}`;
  const now = Date.now();
  const hit = signed.get(cacheKey);
  if (hit && hit.reuseUntil > now) return hit.token;
  const token = await new SignJWT({ principal })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(now / 1000) + ttlSeconds)
    .sign(await hmacKey(secret));
  remember(signed, cacheKey, { token, reuseUntil: now + (ttlSeconds * 1000) / 2 });
  return token;
}

/**
 * Credentials already verified, by (secret, audience, exact token), until the token's own `exp`.
 * The same bytes under the same key and audience always verify the same way, so a hit is the
 * answer the signature check would give; only expiry changes with time, and it is re-checked on
 * every hit. A token never verified (forged, altered, for another subgraph) misses and is checked.
 */
const verified = new Map<string, { principal: Principal; expiresAt: number }>();

export async function verifyInternalCredential(secret: string, audience: string, token: string): Promise<Principal> {
  const cacheKey = `${audience}\u0000${secret}\u0000${token}`;
  const hit = verified.get(cacheKey);
  if (hit) {
    if (hit.expiresAt > Date.now()) return hit.principal;
    verified.delete(cacheKey);
  }
  const { payload } = await jwtVerify(token, await hmacKey(secret), { issuer: ISSUER, audience, algorithms: ['HS256'], requiredClaims: ['exp'] });
  const principal = payload.principal as Principal | undefined;
  if (!principal || typeof principal !== 'object' || typeof principal.kind !== 'string') throw new Error('internal credential carries no principal');
  // One verified principal may serve several requests: nothing may change it in place.
  for (const value of Object.values(principal)) if (Array.isArray(value)) Object.freeze(value);
  Object.freeze(principal);
  remember(verified, cacheKey, { principal, expiresAt: (payload.exp as number) * 1000 });
  return principal;
}
