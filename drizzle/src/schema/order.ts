import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, currency, merchantId, minor, tstz, updatedAt } from './columns';
import { merchants } from './merchant';

export const ORDER_STATUSES = ['paid', 'partially_refunded', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * Orders as loyalty sees them: what was paid in shop money, what earned points and at which rate,
 * so refunds claw back at the rate the order earned, and tiers can count spend in any window.
 * Guest orders keep the Shopify customer id / email and are matched when the account appears.
 */
export const orders = pgTable('orders', {
  merchantId: merchantId().references(() => merchants.id),
  /** Shopify order id. */
  id: text('id').notNull(),
  customerId: text('customer_id'),
  shopifyCustomerId: text('shopify_customer_id'),
  emailNormalized: text('email_normalized'),
  orderName: text('order_name'),
  currency: currency().notNull(),
  totalMinor: minor('total_minor').notNull(),
  /** The earning base in shop money after the merchant's rule (discounts off; no shipping, tax, tips, gift cards). */
  earningBaseMinor: minor('earning_base_minor').notNull(),
  refundedMinor: minor('refunded_minor').notNull().default(0),
  status: text('status').$type<OrderStatus>().notNull(),
  /** Points this order earned in total (base × multipliers), and those still clawable. */
  pointsEarned: integer('points_earned').notNull().default(0),
  pointsClawedBack: integer('points_clawed_back').notNull().default(0),
  discountCodes: jsonb('discount_codes').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** The products on its line items (Shopify GIDs): a guest order credited later still earns product and collection bonuses. */
  productIds: jsonb('product_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  referralCode: text('referral_code'),
  processedAt: tstz('processed_at').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_orders_customer_processed').on(t.merchantId, t.customerId, t.processedAt),
  index('idx_orders_shopify_customer').on(t.merchantId, t.shopifyCustomerId),
  check('orders_status_valid', sql`${t.status} in ('paid','partially_refunded','refunded','cancelled')`),
  check('orders_amounts_nonneg', sql`${t.totalMinor} >= 0 and ${t.earningBaseMinor} >= 0 and ${t.refundedMinor} >= 0`),
]);

export type PendingStatus = 'pending' | 'released' | 'cancelled';

export interface PendingEntry {
  type: 'purchase' | 'tier_bonus' | 'campaign';
  points: number;
  reason: string;
  idempotencyKey: string;
  campaignId?: string;
}

/**
 * Purchase points inside the merchant's approval period: visible to the shopper (customers.points_pending)
 * but not in the spendable ledger until released; cancelled if the order is cancelled or refunded first.
 */
export const pendingPoints = pgTable('pending_points', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  orderId: text('order_id').notNull(),
  points: integer('points').notNull(),
  /** The ledger entries to post on release (purchase, tier and campaign parts); their points sum to `points`. */
  entries: jsonb('entries').$type<PendingEntry[]>().notNull(),
  status: text('status').$type<PendingStatus>().notNull().default('pending'),
  releaseAt: tstz('release_at').notNull(),
  releasedTxnId: text('released_txn_id'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_pending_points_release').on(t.status, t.releaseAt),
  index('idx_pending_points_order').on(t.merchantId, t.orderId),
  check('pending_points_positive', sql`${t.points} > 0`),
  check('pending_points_status_valid', sql`${t.status} in ('pending','released','cancelled')`),
]);
