import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { merchants } from './merchant';

export type CustomerState = 'member' | 'guest' | 'redacted';

export interface RfmScore {
  recency: number;
  frequency: number;
  monetary: number;
  segment?: string;
  computedAt?: string;
}

/**
 * A shopper of one merchant and their loyalty state. The balance columns are a projection
 * of points_transactions maintained in the same transaction as each entry.
 */
export const customers = pgTable('customers', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  shopifyCustomerId: text('shopify_customer_id'),
  email: text('email'),
  /** Lower-cased, +alias and gmail dots removed: used for search and referral fraud checks. */
  emailNormalized: text('email_normalized'),
  firstName: text('first_name'),
  lastName: text('last_name'),
  phone: text('phone'),
  birthday: date('birthday', { mode: 'string' }),
  birthdaySetAt: tstz('birthday_set_at'),
  language: text('language'),
  state: text('state').$type<CustomerState>().notNull().default('member'),
  acceptsMarketing: boolean('accepts_marketing').notNull().default(false),
  leaderboardOptOut: boolean('leaderboard_opt_out').notNull().default(false),
  pointsBalance: integer('points_balance').notNull().default(0),
  pointsPending: integer('points_pending').notNull().default(0),
  totalPointsEarned: integer('total_points_earned').notNull().default(0),
  totalPointsRedeemed: integer('total_points_redeemed').notNull().default(0),
  totalPointsExpired: integer('total_points_expired').notNull().default(0),
  lifetimeSpendMinor: bigint('lifetime_spend_minor', { mode: 'number' }).notNull().default(0),
  ordersCount: integer('orders_count').notNull().default(0),
  vipTierId: text('vip_tier_id'),
  rfmScore: jsonb('rfm_score').$type<RfmScore | null>(),
  lastActivityAt: tstz('last_activity_at'),
  /** Head of the per-customer ledger hash chain and its sequence number. */
  ledgerSeq: integer('ledger_seq').notNull().default(0),
  ledgerHeadHash: text('ledger_head_hash').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  uniqueIndex('customers_shopify_id_key').on(t.merchantId, t.shopifyCustomerId),
  index('idx_customers_email').on(t.merchantId, sql`lower(${t.email})`),
  index('idx_customers_email_normalized').on(t.merchantId, t.emailNormalized),
  index('idx_customers_name').on(t.merchantId, sql`lower(${t.lastName})`, sql`lower(${t.firstName})`),
  index('idx_customers_points_balance').on(t.merchantId, t.pointsBalance),
  check('customers_state_valid', sql`${t.state} in ('member','guest','redacted')`),
  check('customers_pending_nonneg', sql`${t.pointsPending} >= 0`),
  check('customers_totals_nonneg', sql`${t.totalPointsEarned} >= 0 and ${t.totalPointsRedeemed} >= 0 and ${t.totalPointsExpired} >= 0`),
]);

/** Helper for tables that point at a customer: the FK always carries the merchant too. */
export const customerFk = (name: string, merchantCol: Parameters<typeof foreignKey>[0]['columns'][number], customerCol: Parameters<typeof foreignKey>[0]['columns'][number]) =>
  foreignKey({ name, columns: [merchantCol, customerCol], foreignColumns: [customers.merchantId, customers.id] });
