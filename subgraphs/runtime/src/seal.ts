import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (a merchant's Shopify offline token, provider API keys) are sealed with
 * AES-256-GCM under a key derived from config.encryptionKey. The sealed form is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url: a fresh 96-bit IV per seal, and the GCM tag makes any
 * tampering (or the wrong key) fail loudly instead of yielding garbage.
 */
const VERSION = 'v1';

export class SealError extends Error {}

const keyOf = (encryptionKey: string): Buffer => createHash('sha256').update(`herethere-seal:${encryptionKey}`).digest();

export function seal(encryptionKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(encryptionKey), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ciphertext.toString('base64url')].join('.');
}

export function unseal(encryptionKey: string, sealed: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError('Not a sealed value');
  const [, iv, tag, ciphertext] = parts.map((p) => Buffer.from(p, 'base64url'));
  if (iv.length !== 12 || tag.length !== 16) throw new SealError('Not a sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(encryptionKey), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('Sealed value is corrupt or was sealed with another key');
  }
}
