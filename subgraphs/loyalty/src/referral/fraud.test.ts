import { describe, expect, it } from 'vitest';
import { evaluateReferral, fingerprintHash, normalizeAddress, normalizeEmail, normalizePhone, type FraudFacts } from './fraud';

const facts = (over: Partial<FraudFacts> = {}): FraudFacts => ({
  merchantId: 'mer_1',
  advocate: { customerId: 'cus_a', email: 'ada@example.com', phone: '5550104477', address: null, fingerprints: new Set() },
  friend: { customerId: 'cus_f', email: 'friend@example.com', phone: '5550109999', address: 'x|y|z|us' },
  landingIp: '203.0.113.1',
  referralsFromIpThisWeek: 0,
  maxReferralsPerIpPerWeek: 10,
  friendPriorOrders: 0,
  friendAlreadyReferred: false,
  ...over,
});

describe('normalisation', () => {
  it('emails: case, +aliases, Gmail dots', () => {
    expect(normalizeEmail(' Ada.Lovelace+shop@GoogleMail.com ')).toBe('adalovelace@gmail.com');
    expect(normalizeEmail('a.b+x@example.com')).toBe('a.b@example.com');
    expect(normalizeEmail('not-an-email')).toBeNull();
  });

  it('phones: digits, the last ten decide', () => {
    expect(normalizePhone('+1 (555) 010-4477')).toBe('5550104477');
    expect(normalizePhone('555.010.4477')).toBe('5550104477');
    expect(normalizePhone('12')).toBeNull();
  });

  it('addresses: punctuation, case and street abbreviations', () => {
    const a = normalizeAddress({ address1: '12 Elm Street', city: 'Shelbyville', zip: '55-555', country_code: 'US' });
    expect(a).toBe(normalizeAddress({ address1: '12 elm st.', city: 'SHELBYVILLE', zip: '55555', country_code: 'us' }));
    expect(normalizeAddress({ address1: '', city: 'x' })).toBeNull();
  });
});

describe('evaluateReferral', () => {
  it('approves a clean referral, with every rule recorded', () => {
    const d = evaluateReferral(facts(), new Date('2026-01-01T00:00:00Z'));
    expect(d.outcome).toBe('approve');
    expect(d.reason).toBeNull();
    expect(d.checks.map((c) => c.name)).toEqual(['self_referral_customer', 'self_referral_email', 'self_referral_phone', 'self_referral_address', 'ip_rate', 'existing_customer', 'already_referred']);
    expect(d.decidedAt).toBe('2026-01-01T00:00:00.000Z');
  });

  it.each([
    ['self_referral_customer', { friend: { customerId: 'cus_a', email: null, phone: null, address: null } }, /own referral link/],
    ['self_referral_email', { friend: { customerId: 'cus_f', email: 'ada@example.com', phone: null, address: null } }, /\+aliases and Gmail dots ignored/],
    ['self_referral_phone', { friend: { customerId: 'cus_f', email: null, phone: '5550104477', address: null } }, /phone number/],
    ['ip_rate', { referralsFromIpThisWeek: 10 }, /10 other referrals came from IP 203\.0\.113\.1 in the past 7 days \(limit 10\)/],
    ['existing_customer', { friendPriorOrders: 2 }, /already a customer: 2 earlier paid orders/],
    ['already_referred', { friendAlreadyReferred: true }, /referred once/],
  ] as [string, Partial<FraudFacts>, RegExp][])('rejects on %s with an explanation', (name, over, detail) => {
    const d = evaluateReferral(facts(over));
    expect(d.outcome).toBe('reject');
    const failed = d.checks.find((c) => !c.passed)!;
    expect(failed.name).toBe(name);
    expect(failed.detail).toMatch(detail);
    expect(d.reason).toBe(failed.detail);
  });

  it('matches the advocate’s remembered fingerprints (addresses, emails) by hash', () => {
    const home = normalizeAddress({ address1: '1 Main Street', city: 'Springfield', zip: '12345', country_code: 'US' })!;
    const d = evaluateReferral(facts({
      advocate: { customerId: 'cus_a', email: null, phone: null, address: null, fingerprints: new Set([fingerprintHash('mer_1', 'address', home)]) },
      friend: { customerId: 'cus_f', email: null, phone: null, address: home },
    }));
    expect(d.checks.find((c) => c.name === 'self_referral_address')!.passed).toBe(false);
    // Hashes are per merchant: another shop's fingerprints never match.
    expect(fingerprintHash('mer_1', 'address', home)).not.toBe(fingerprintHash('mer_2', 'address', home));
  });

  it('the IP rule is within the limit until N other referrals exist', () => {
    expect(evaluateReferral(facts({ referralsFromIpThisWeek: 9 })).outcome).toBe('approve');
    expect(evaluateReferral(facts({ referralsFromIpThisWeek: 9, landingIp: null })).outcome).toBe('approve');
  });
});
