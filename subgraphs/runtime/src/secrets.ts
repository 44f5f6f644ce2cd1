import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Developer API keys look like `htk_<merchantId>.<keyId>.<secret>`: the merchant and key id let
 * the gateway find the row on its merchant-led primary key; only sha256(secret) is stored.
 */
export const API_KEY_PREFIX = 'htk_';

export function formatApiKey(merchantId: string, keyId: string, secret: string): string {
  return `${API_KEY_PREFIX}${merchantId}.${keyId}.${secret}`;
}

export function parseApiKey(raw: string): { merchantId: string; keyId: string; secret: string } | null {
  if (!raw.startsWith(API_KEY_PREFIX)) return null;
  const parts = raw.slice(API_KEY_PREFIX.length).split('.');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return null;
  const [merchantId, keyId, secret] = parts;
  return { merchantId, keyId, secret };
}

/** Admin session tokens: opaque, random, stored as sha256. */
export const ADMIN_TOKEN_PREFIX = 'hta_';
