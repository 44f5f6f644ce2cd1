import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';
import { rewards } from './reward';

/**
 * An advocate's shareable referral link. One per advocate; the code is what appears in the
 * URL, so it is unique within the merchant and resolved through idx_referral_links_referral_code.
 */
export const referralLinks = pgTable('referral_links', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  advocateCustomerId: text('advocate_customer_id').notNull(),
  referralCode: text('referral_code').notNull(),
  clicks: integer('clicks').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('referral_links_advocate_fk', t.merchantId, t.advocateCustomerId),
  uniqueIndex('idx_referral_links_referral_code').on(t.merchantId, t.referralCode),
  uniqueIndex('referral_links_advocate_key').on(t.merchantId, t.advocateCustomerId),
  check('referral_links_clicks_nonneg', sql`${t.clicks} >= 0`),
]);

export const REFERRAL_STATUSES = ['pending', 'completed', 'rejected'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Why the fraud check let a referral through or not, kept so a merchant can see and overrule it. */
export interface ReferralDecision {
  outcome: 'approve' | 'reject' | 'review';
  checks: Array<{ name: string; passed: boolean; detail?: string }>;
  score?: number;
  decidedAt: string;
}

/**
 * A friend arriving through a referral link, from landing to completion. Completing pays the
 * advocate (a `referral` ledger entry) and issues the friend's reward; the landing IP index
 * backs the per-IP rate rule of the fraud check. A friend can complete at most one referral.
 */
export const referrals = pgTable('referrals', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  referralLinkId: text('referral_link_id').notNull(),
  advocateCustomerId: text('advocate_customer_id').notNull(),
  friendCustomerId: text('friend_customer_id'),
  /** Normalized like customers.email_normalized: the self-referral and duplicate-friend checks compare it. */
  friendEmailNormalized: text('friend_email_normalized'),
  /** The reward the friend received, once issued. */
  rewardId: text('reward_id'),
  status: text('status').$type<ReferralStatus>().notNull().default('pending'),
  decision: jsonb('decision').$type<ReferralDecision | null>(),
  rejectedReason: text('rejected_reason'),
  landingIp: text('landing_ip'),
  orderId: text('order_id'),
  /** The friend's single-use welcome discount, issued at landing. */
  friendDiscountCode: text('friend_discount_code'),
  friendShopifyDiscountId: text('friend_shopify_discount_id'),
  /** What completed it: `order`, `signup` or `merchant` (a merchant approving a held referral). */
  completedVia: text('completed_via'),
  /** Set when a merchant approves a referral the fraud check held, e.g. `merchant:staff-42`. */
  approvedBy: text('approved_by'),
  completedAt: tstz('completed_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  foreignKey({ name: 'referrals_link_fk', columns: [t.merchantId, t.referralLinkId], foreignColumns: [referralLinks.merchantId, referralLinks.id] }),
  customerFk('referrals_advocate_fk', t.merchantId, t.advocateCustomerId),
  customerFk('referrals_friend_fk', t.merchantId, t.friendCustomerId),
  foreignKey({ name: 'referrals_reward_fk', columns: [t.merchantId, t.rewardId], foreignColumns: [rewards.merchantId, rewards.id] }),
  index('idx_referrals_advocate').on(t.merchantId, t.advocateCustomerId),
  index('idx_referrals_landing_ip').on(t.merchantId, t.landingIp, t.createdAt),
  index('idx_referrals_friend_email').on(t.merchantId, t.friendEmailNormalized),
  uniqueIndex('referrals_friend_completed_key').on(t.merchantId, t.friendCustomerId).where(sql`status = 'completed'`),
  uniqueIndex('referrals_friend_discount_code_key').on(t.merchantId, t.friendDiscountCode),
  check('referrals_status_valid', sql`${t.status} in (${inList(REFERRAL_STATUSES)})`),
  check('referrals_completed_at', sql`${t.status} <> 'completed' or ${t.completedAt} is not null`),
]);

export const FINGERPRINT_KINDS = ['email', 'phone', 'address'] as const;
export type FingerprintKind = (typeof FINGERPRINT_KINDS)[number];

/**
 * Who has used which normalised email, phone or shipping address, hashed with the merchant id (never the
 * values themselves): the self-referral check asks whether a friend's details belong to their advocate.
 * Written as orders and sign-ups arrive.
 */
export const customerFingerprints = pgTable('customer_fingerprints', {
  merchantId: merchantId().references(() => merchants.id),
  kind: text('kind').$type<FingerprintKind>().notNull(),
  valueHash: text('value_hash').notNull(),
  customerId: text('customer_id').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.kind, t.valueHash, t.customerId] }),
  customerFk('customer_fingerprints_customer_fk', t.merchantId, t.customerId),
  index('idx_customer_fingerprints_customer').on(t.merchantId, t.customerId),
  check('customer_fingerprints_kind_valid', sql`${t.kind} in (${inList(FINGERPRINT_KINDS)})`),
]);
