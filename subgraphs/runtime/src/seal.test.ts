import { describe, expect, it } from 'vitest';
import { seal, SealError, unseal } from './seal';

const KEY = 'k'.repeat(40);

describe('seal', () => {
  it('round-trips and never produces the same ciphertext twice', () => {
    const a = seal(KEY, 'shpat_secret');
    const b = seal(KEY, 'shpat_secret');
    expect(a).not.toBe(b);
    expect(a).not.toContain('shpat_secret');
    expect(unseal(KEY, a)).toBe('shpat_secret');
    expect(unseal(KEY, b)).toBe('shpat_secret');
  });

  it('refuses a tampered value, the wrong key and garbage', () => {
    const sealed = seal(KEY, 'pk_live_123');
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(() => unseal(KEY, [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'))).toThrow(SealError);
    expect(() => unseal('another-key-another-key-another-key', sealed)).toThrow(/another key/);
    expect(() => unseal(KEY, 'plaintext-token')).toThrow(/Not a sealed value/);
  });
});
