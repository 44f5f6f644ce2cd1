import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, currency, merchantId, minor, tstz, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';
import { customerSegments } from './segment';

export const CAMPAIGN_TYPES = ['multiplier', 'spend_goal', 'product_bonus', 'tier_bonus', 'segment_bonus'] as const;
export type CampaignType = (typeof CAMPAIGN_TYPES)[number];
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'active', 'paused', 'ended', 'cancelled'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Extra conditions on top of the type's own targeting. */
export interface CampaignConditions {
  minOrderMinor?: number;
  firstOrderOnly?: boolean;
  maxAwardsPerCustomer?: number;
  channels?: string[];
}

/**
 * Time-boxed point promotions ("double points this weekend", "spend $100 get 500 points").
 * Multipliers are basis points (20000 = 2x); ends_at must follow starts_at. Entries a campaign
 * causes carry its id in points_transactions.campaign_id.
 */
export const bonusCampaigns = pgTable('bonus_campaigns', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  name: text('name').notNull(),
  type: text('type').$type<CampaignType>().notNull(),
  multiplierBp: integer('multiplier_bp'),
  bonusPoints: integer('bonus_points'),
  /** spend_goal: spend to reach, in minor units of `currency`. */
  goalMinor: minor('goal_minor'),
  currency: currency(),
  productIds: jsonb('product_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  collectionIds: jsonb('collection_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  tierIds: jsonb('tier_ids').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  segmentId: text('segment_id'),
  conditions: jsonb('conditions').$type<CampaignConditions>().notNull().default(sql`'{}'::jsonb`),
  startsAt: tstz('starts_at').notNull(),
  /** Null means open-ended. */
  endsAt: tstz('ends_at'),
  status: text('status').$type<CampaignStatus>().notNull().default('draft'),
  /** When customers were told about it; set once so the announcement goes out once. */
  notifiedAt: tstz('notified_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  foreignKey({ name: 'bonus_campaigns_segment_fk', columns: [t.merchantId, t.segmentId], foreignColumns: [customerSegments.merchantId, customerSegments.id] }),
  index('idx_bonus_campaigns_window').on(t.merchantId, t.status, t.startsAt, t.endsAt),
  check('bonus_campaigns_type_valid', sql`${t.type} in (${inList(CAMPAIGN_TYPES)})`),
  check('bonus_campaigns_status_valid', sql`${t.status} in (${inList(CAMPAIGN_STATUSES)})`),
  check('bonus_campaigns_window', sql`${t.endsAt} > ${t.startsAt}`),
  check('bonus_campaigns_multiplier_range', sql`${t.multiplierBp} is null or (${t.multiplierBp} > 0 and ${t.multiplierBp} <= 100000)`),
  check('bonus_campaigns_amounts_nonneg', sql`coalesce(${t.bonusPoints}, 0) >= 0 and coalesce(${t.goalMinor}, 0) >= 0`),
  check('bonus_campaigns_awards_something', sql`${t.multiplierBp} is not null or ${t.bonusPoints} is not null`),
  check('bonus_campaigns_multiplier_fields', sql`${t.type} <> 'multiplier' or ${t.multiplierBp} is not null`),
  check('bonus_campaigns_spend_goal_fields', sql`${t.type} <> 'spend_goal' or (${t.goalMinor} is not null and ${t.currency} is not null and ${t.bonusPoints} is not null)`),
  check('bonus_campaigns_goal_currency', sql`${t.goalMinor} is null or ${t.currency} is not null`),
]);

/**
 * Points a campaign caused, one row per (ledger entry, campaign): its bonus entries, its share of a
 * multiplied purchase (from the entry's metadata), and clawbacks of either (negative). Performance
 * (points issued, orders, attributed revenue) and per-customer award limits read from here.
 */
export const campaignAwards = pgTable('campaign_awards', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  campaignId: text('campaign_id').notNull(),
  customerId: text('customer_id').notNull(),
  orderId: text('order_id'),
  transactionId: text('transaction_id').notNull(),
  points: integer('points').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('campaign_awards_customer_fk', t.merchantId, t.customerId),
  uniqueIndex('campaign_awards_entry_key').on(t.merchantId, t.transactionId, t.campaignId),
  index('idx_campaign_awards_campaign').on(t.merchantId, t.campaignId, t.customerId),
]);

/**
 * The products of the Shopify collections that campaigns name, as last read from the Admin API.
 * An order's line items carry products, not collections, so a collection bonus is matched here.
 */
export const collectionProducts = pgTable('collection_products', {
  merchantId: merchantId().references(() => merchants.id),
  collectionId: text('collection_id').notNull(),
  productId: text('product_id').notNull(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.collectionId, t.productId] }),
  index('idx_collection_products_product').on(t.merchantId, t.productId),
]);

/** When each collection's products were last read, so a daily refresh picks up catalogue changes. */
export const collectionSyncs = pgTable('collection_syncs', {
  merchantId: merchantId().references(() => merchants.id),
  collectionId: text('collection_id').notNull(),
  productCount: integer('product_count').notNull(),
  syncedAt: tstz('synced_at').notNull(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.collectionId] }),
  index('idx_collection_syncs_age').on(t.syncedAt),
]);
