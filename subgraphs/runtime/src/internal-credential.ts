import { SignJWT, jwtVerify } from 'jose';
import type { Principal } from './principal';

/**
 * The gateway's credential for subgraph calls: a short-lived HS256 JWT whose audience is the
 * subgraph and whose `principal` claim is the already-authenticated caller. Subgraphs trust
 * nothing else, so a direct call to a subgraph without it is refused.
 */
export const INTERNAL_HEADER = 'x-herethere-internal';
const ISSUER = 'herethere-gateway';

export async function signInternalCredential(secret: string, audience: string, principal: Principal, ttlSeconds = 60): Promise<string> {
  return new SignJWT({ principal })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(new TextEncoder().encode(secret));
}

export async function verifyInternalCredential(secret: string, audience: string, token: string): Promise<Principal> {
  const { payload } = await jwtVerify(token, new TextEncoder().encode(secret), { issuer: ISSUER, audience, algorithms: ['HS256'] });
  const principal = payload.principal as Principal | undefined;
  if (!principal || typeof principal !== 'object' || typeof principal.kind !== 'string') throw new Error('internal credential carries no principal');
  return principal;
}
