import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, merchantId } from './columns';
import { customerFk } from './customer';

export const LEDGER_ENTRY_TYPES = [
  'purchase', 'signup', 'review', 'birthday', 'referral', 'redemption', 'redemption_void',
  'refund_clawback', 'cancellation', 'expiry', 'admin_adjust', 'campaign', 'tier_bonus',
  'custom', 'import', 'pending_release',
] as const;
export type LedgerEntryType = (typeof LEDGER_ENTRY_TYPES)[number];

/**
 * The points ledger. Append-only: a trigger (see the migration) refuses UPDATE and DELETE.
 * Corrections are new entries. `(merchant_id, idempotency_key)` is unique so a retried
 * request or a duplicate webhook can never post twice.
 */
export const pointsTransactions = pgTable('points_transactions', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  type: text('type').$type<LedgerEntryType>().notNull(),
  points: integer('points').notNull(),
  balanceAfter: integer('balance_after').notNull(),
  reason: text('reason').notNull(),
  /** What caused the entry: order, refund, campaign, redemption, referral, admin, api, system. */
  source: text('source').notNull(),
  orderId: text('order_id'),
  refundId: text('refund_id'),
  campaignId: text('campaign_id'),
  redemptionId: text('redemption_id'),
  referralId: text('referral_id'),
  idempotencyKey: text('idempotency_key').notNull(),
  /** Who posted it, e.g. `webhook:orders/paid`, `merchant:staff-42`, `admin:adm_…`. */
  actor: text('actor').notNull(),
  metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  /** Position in the customer's hash chain, and sha256(prev_hash || canonical entry). */
  seq: integer('seq').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('points_transactions_customer_fk', t.merchantId, t.customerId),
  uniqueIndex('points_transactions_idempotency_key').on(t.merchantId, t.idempotencyKey),
  uniqueIndex('points_transactions_chain_key').on(t.merchantId, t.customerId, t.seq),
  index('idx_points_transactions_customer_id').on(t.merchantId, t.customerId, t.createdAt),
  index('idx_points_transactions_order_id').on(t.merchantId, t.orderId),
  index('idx_points_transactions_type_created').on(t.merchantId, t.type, t.createdAt),
  check('points_transactions_nonzero', sql`${t.points} <> 0`),
  check('points_transactions_type_valid', sql`${t.type} in (${sql.raw(LEDGER_ENTRY_TYPES.map((v) => `'${v}'`).join(','))})`),
  // Only a refund clawback (or a correction by an operator) may take a balance below zero.
  check('points_transactions_no_negative_balance', sql`${t.balanceAfter} >= 0 or ${t.type} in ('refund_clawback','cancellation','admin_adjust')`),
]);
