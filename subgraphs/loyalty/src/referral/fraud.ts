import { createHash } from 'node:crypto';
import type { FingerprintKind, ReferralDecision } from '@herethere/db';
import { normalizeEmail } from '../customer/email';

export { normalizeEmail };

/** Digits only, keeping a leading +; the last 10 digits decide (so +1 555… and 555… match). */
export function normalizePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/[^\d]/g, '');
  if (digits.length < 7) return null;
  return digits.slice(-10);
}

const ADDRESS_WORDS: Record<string, string> = {
  street: 'st', avenue: 'ave', road: 'rd', boulevard: 'blvd', drive: 'dr', lane: 'ln', apartment: 'apt', suite: 'ste', north: 'n', south: 's', east: 'e', west: 'w',
};

/** A shipping address reduced to what identifies the place: street lines, city, postcode, country. */
export function normalizeAddress(a: Record<string, unknown> | null | undefined): string | null {
  if (!a) return null;
  const part = (k: string) => (typeof a[k] === 'string' ? (a[k] as string) : '');
  const street = `${part('address1')} ${part('address2')}`.toLowerCase().replace(/[^a-z0-9 ]/g, ' ').split(/\s+/).filter(Boolean)
    .map((w) => ADDRESS_WORDS[w] ?? w).join(' ');
  const zip = part('zip').toLowerCase().replace(/[^a-z0-9]/g, '');
  const country = (part('country_code') || part('country')).toLowerCase().replace(/[^a-z]/g, '');
  const city = part('city').toLowerCase().replace(/[^a-z0-9]/g, '');
  if (!street || (!zip && !city)) return null;
  return [street, city, zip, country].join('|');
}

/** Fingerprints are stored hashed per merchant, never as the value itself. */
export const fingerprintHash = (merchantId: string, kind: FingerprintKind, value: string) =>
  createHash('sha256').update(`${merchantId}|${kind}|${value}`).digest('hex');

export interface Identity {
  customerId: string | null;
  email: string | null;
  phone: string | null;
  address: string | null;
}

export interface FraudFacts {
  advocate: Identity & { fingerprints: Set<string> };
  friend: Identity;
  merchantId: string;
  landingIp: string | null;
  /** Other referrals from the same IP in the past 7 days. */
  referralsFromIpThisWeek: number;
  maxReferralsPerIpPerWeek: number;
  /** Paid orders the friend placed before this one. */
  friendPriorOrders: number;
  /** The friend already completed a referral (through anyone). */
  friendAlreadyReferred: boolean;
}

/**
 * Every rule, each with whether it passed and, when it did not, why in words a merchant can act
 * on. The referral is approved only if all pass; the first failure is the rejection reason.
 */
export function evaluateReferral(f: FraudFacts, now = new Date()): ReferralDecision & { reason: string | null } {
  const checks: ReferralDecision['checks'] = [];
  const add = (name: string, passed: boolean, failDetail: string) => checks.push(passed ? { name, passed } : { name, passed, detail: failDetail });
  const hashed = (kind: FingerprintKind, v: string | null) => (v ? f.advocate.fingerprints.has(fingerprintHash(f.merchantId, kind, v)) : false);

  add('self_referral_customer', !(f.friend.customerId && f.friend.customerId === f.advocate.customerId), 'The friend is the advocate: they used their own referral link.');
  const emailMatch = Boolean(f.friend.email && (f.friend.email === f.advocate.email || hashed('email', f.friend.email)));
  add('self_referral_email', !emailMatch, `The friend’s email is the advocate’s once normalised (${f.friend.email ?? ''}: +aliases and Gmail dots ignored).`);
  const phoneMatch = Boolean(f.friend.phone && (f.friend.phone === f.advocate.phone || hashed('phone', f.friend.phone)));
  add('self_referral_phone', !phoneMatch, 'The friend’s phone number is the advocate’s.');
  const addressMatch = Boolean(f.friend.address && (f.friend.address === f.advocate.address || hashed('address', f.friend.address)));
  add('self_referral_address', !addressMatch, 'The order ships to an address the advocate has used.');
  const overIp = Boolean(f.landingIp) && f.referralsFromIpThisWeek >= f.maxReferralsPerIpPerWeek;
  add('ip_rate', !overIp, `${f.referralsFromIpThisWeek} other referrals came from IP ${f.landingIp ?? ''} in the past 7 days (limit ${f.maxReferralsPerIpPerWeek}).`);
  add('existing_customer', f.friendPriorOrders === 0, `The friend was already a customer: ${f.friendPriorOrders} earlier paid order${f.friendPriorOrders === 1 ? '' : 's'}.`);
  add('already_referred', !f.friendAlreadyReferred, 'The friend already completed a referral; a friend can be referred once.');

  const failed = checks.find((c) => !c.passed);
  return { outcome: failed ? 'reject' : 'approve', checks, decidedAt: now.toISOString(), reason: failed?.detail ?? null };
}
