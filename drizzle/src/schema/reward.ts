import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, currency, merchantId, minor, tstz, updatedAt } from './columns';
import { customerFk } from './customer';
import { inList } from './checks';
import { merchants } from './merchant';

export const REWARD_KINDS = ['fixed_amount', 'percentage', 'free_shipping', 'free_product', 'points_slider'] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

/** Which other Shopify discount classes the issued code may combine with. */
export interface RewardCombinesWith {
  order: boolean;
  product: boolean;
  shipping: boolean;
}

/**
 * The merchant's reward catalogue: what a customer can spend points on. Each redemption
 * becomes a Shopify discount code (see reward_redemptions). Rewards are disabled, not deleted,
 * once redeemed, because redemptions point at them.
 */
export const rewards = pgTable('rewards', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  kind: text('kind').$type<RewardKind>().notNull(),
  name: text('name').notNull(),
  description: text('description'),
  /** Points a redemption costs; for points_slider see points_per_step. */
  pointsCost: integer('points_cost').notNull().default(0),
  /** fixed_amount: the discount in minor units of `currency`. */
  valueMinor: minor('value_minor'),
  /** percentage: basis points, 10000 = 100 %. */
  percentageBp: integer('percentage_bp'),
  /** free_product: the Shopify product variant (GID) given away. */
  productVariantId: text('product_variant_id'),
  /** points_slider: the customer picks n steps (1..max_steps), paying n * points_per_step for n * value_minor_per_step. */
  pointsPerStep: integer('points_per_step'),
  valueMinorPerStep: minor('value_minor_per_step'),
  maxSteps: integer('max_steps'),
  currency: currency().notNull(),
  minOrderMinor: minor('min_order_minor'),
  /** Days an issued code stays valid; null means it does not expire. */
  codeExpiryDays: integer('code_expiry_days'),
  enabled: boolean('enabled').notNull().default(true),
  /** Redemptions one customer may make of this reward; null means unlimited. */
  perCustomerLimit: integer('per_customer_limit'),
  combinesWith: jsonb('combines_with').$type<RewardCombinesWith>().notNull()
    .default(sql`'{"order":false,"product":false,"shipping":false}'::jsonb`),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_rewards_catalogue').on(t.merchantId, t.enabled, t.sortOrder),
  check('rewards_kind_valid', sql`${t.kind} in (${inList(REWARD_KINDS)})`),
  check('rewards_amounts_nonneg', sql`${t.pointsCost} >= 0 and coalesce(${t.valueMinor}, 0) >= 0 and coalesce(${t.minOrderMinor}, 0) >= 0`),
  check('rewards_limits_positive', sql`coalesce(${t.codeExpiryDays}, 1) > 0 and coalesce(${t.perCustomerLimit}, 1) > 0`),
  check('rewards_fixed_amount_fields', sql`${t.kind} <> 'fixed_amount' or (${t.valueMinor} is not null and ${t.valueMinor} > 0)`),
  check('rewards_percentage_fields', sql`${t.kind} <> 'percentage' or (${t.percentageBp} is not null and ${t.percentageBp} between 1 and 10000)`),
  check('rewards_free_product_fields', sql`${t.kind} <> 'free_product' or ${t.productVariantId} is not null`),
  check('rewards_slider_fields', sql`${t.kind} <> 'points_slider' or (${t.pointsPerStep} is not null and ${t.pointsPerStep} > 0 and ${t.valueMinorPerStep} is not null and ${t.valueMinorPerStep} > 0 and ${t.maxSteps} is not null and ${t.maxSteps} > 0)`),
]);

export const REDEMPTION_STATUSES = ['reserved', 'issued', 'used', 'expired', 'voided'] as const;
export type RedemptionStatus = (typeof REDEMPTION_STATUSES)[number];

/**
 * One spend of points on a reward. The points leave the balance through a `redemption` ledger
 * entry (reserve_txn_id) while the row is `reserved`; it becomes `issued` once the Shopify
 * discount exists, `used` when an order applies the code, or `expired`/`voided` (the points
 * return through a `redemption_void` entry). `(merchant_id, idempotency_key)` makes a retried
 * redeem request return the same redemption instead of spending twice.
 */
export const rewardRedemptions = pgTable('reward_redemptions', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  rewardId: text('reward_id').notNull(),
  pointsSpent: integer('points_spent').notNull(),
  valueMinor: minor('value_minor').notNull().default(0),
  currency: currency().notNull(),
  discountCode: text('discount_code'),
  /** The DiscountCodeNode GID returned by Shopify. */
  shopifyDiscountId: text('shopify_discount_id'),
  status: text('status').$type<RedemptionStatus>().notNull().default('reserved'),
  /** points_slider: how many steps the customer chose; null for other kinds. */
  steps: integer('steps'),
  /** Who holds the discount: `shopify` (Admin API) or `dev` (embedded mode, recorded in dev_discount_codes). */
  provider: text('provider'),
  idempotencyKey: text('idempotency_key').notNull(),
  /** The points_transactions entry that took the points (not an FK: both rows are written in one transaction, either order). */
  reserveTxnId: text('reserve_txn_id'),
  expiresAt: tstz('expires_at'),
  issuedAt: tstz('issued_at'),
  usedOrderId: text('used_order_id'),
  usedAt: tstz('used_at'),
  voidedReason: text('voided_reason'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('reward_redemptions_customer_fk', t.merchantId, t.customerId),
  foreignKey({ name: 'reward_redemptions_reward_fk', columns: [t.merchantId, t.rewardId], foreignColumns: [rewards.merchantId, rewards.id] }),
  uniqueIndex('reward_redemptions_idempotency_key').on(t.merchantId, t.idempotencyKey),
  uniqueIndex('reward_redemptions_discount_code_key').on(t.merchantId, t.discountCode),
  index('idx_reward_redemptions_customer_id').on(t.merchantId, t.customerId),
  index('idx_reward_redemptions_reward_id').on(t.merchantId, t.rewardId),
  /** The expiry sweeper scans issued codes by expiry across merchants. */
  index('idx_reward_redemptions_expiry').on(t.status, t.expiresAt),
  check('reward_redemptions_status_valid', sql`${t.status} in (${inList(REDEMPTION_STATUSES)})`),
  check('reward_redemptions_amounts_nonneg', sql`${t.pointsSpent} >= 0 and ${t.valueMinor} >= 0`),
  check('reward_redemptions_steps_positive', sql`coalesce(${t.steps}, 1) > 0`),
  /** The reconciler looks for reservations a crash left behind, oldest first. */
  index('idx_reward_redemptions_reserved').on(t.status, t.createdAt),
]);

export const USED_REWARD_REFUND_POLICIES = ['keep', 'restore_points'] as const;
export type UsedRewardRefundPolicy = (typeof USED_REWARD_REFUND_POLICIES)[number];

/**
 * Merchant-wide redemption rules. `used_reward_on_full_refund` decides what a full refund of an
 * order does to a reward code that order used: `keep` (the points stay spent) or
 * `restore_points` (the redemption is voided and its points come back).
 */
export const rewardSettings = pgTable('reward_settings', {
  merchantId: text('merchant_id').primaryKey().references(() => merchants.id),
  usedRewardOnFullRefund: text('used_reward_on_full_refund').$type<UsedRewardRefundPolicy>().notNull().default('keep'),
  updatedAt: updatedAt(),
}, (t) => [
  check('reward_settings_refund_policy_valid', sql`${t.usedRewardOnFullRefund} in (${inList(USED_REWARD_REFUND_POLICIES)})`),
]);

/**
 * Discounts the embedded-mode provider would have created in Shopify (no Admin API token):
 * what was asked for, so the demo can show it and the reconciler can look a code up after a crash.
 */
export const devDiscountCodes = pgTable('dev_discount_codes', {
  merchantId: merchantId().references(() => merchants.id),
  /** A DiscountCodeNode-shaped GID, e.g. `gid://shopify/DiscountCodeNode/dev-…`. */
  id: text('id').notNull(),
  code: text('code').notNull(),
  mutation: text('mutation').notNull(),
  input: jsonb('input').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  uniqueIndex('dev_discount_codes_code_key').on(t.merchantId, t.code),
]);
