import { describe, expect, it } from 'vitest';
import { nextDelayMs, templateTypeOf } from './worker';

describe('retry delays', () => {
  it('grow exponentially with jitter between half and the full step, capped', () => {
    expect(nextDelayMs(1, 1000, 60_000, undefined, () => 0)).toBe(500);
    expect(nextDelayMs(1, 1000, 60_000, undefined, () => 1)).toBe(1000);
    expect(nextDelayMs(4, 1000, 60_000, undefined, () => 1)).toBe(8000);
    expect(nextDelayMs(20, 1000, 60_000, undefined, () => 1)).toBe(60_000);
    const spread = new Set(Array.from({ length: 50 }, () => nextDelayMs(3, 1000, 60_000)));
    expect(spread.size).toBeGreaterThan(10);
    for (const d of spread) expect(d).toBeGreaterThanOrEqual(2000);
  });

  it('never come sooner than Retry-After', () => {
    expect(nextDelayMs(1, 10, 100, 5000, () => 0.5)).toBe(5000);
    expect(nextDelayMs(5, 1000, 60_000, 100, () => 1)).toBe(16_000);
  });

  it('word an invitation with the referral template', () => {
    expect(templateTypeOf('referral_invite')).toBe('referral');
    expect(templateTypeOf('reward_issued')).toBe('reward_issued');
  });
});
