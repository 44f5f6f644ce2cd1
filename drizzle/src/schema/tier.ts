import { sql } from 'drizzle-orm';
import { bigint, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';
import { rewards } from './reward';

export const TIER_THRESHOLD_KINDS = ['money_spent', 'points_earned', 'order_count'] as const;
export type TierThresholdKind = (typeof TIER_THRESHOLD_KINDS)[number];
export const TIER_QUALIFICATION_WINDOWS = ['lifetime', 'rolling_12_months', 'calendar_year'] as const;
export type TierQualificationWindow = (typeof TIER_QUALIFICATION_WINDOWS)[number];

/** What a customer gets on entering a tier, when it is not a catalogue reward (entry_reward_id). */
export interface TierEntryReward {
  points?: number;
  description?: string;
}

/**
 * The merchant's VIP ladder. A customer sits in the highest tier whose threshold they meet
 * within the window; the tier's earning multiplier (basis points, 10000 = 1.0x) scales
 * purchase points. `position` orders the ladder and is unique per merchant.
 */
export const vipTiers = pgTable('vip_tiers', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  name: text('name').notNull(),
  thresholdKind: text('threshold_kind').$type<TierThresholdKind>().notNull(),
  /** Minor units for money_spent, points for points_earned, a count for order_count. */
  thresholdValue: bigint('threshold_value', { mode: 'number' }).notNull(),
  qualificationWindow: text('qualification_window').$type<TierQualificationWindow>().notNull().default('lifetime'),
  earningMultiplierBp: integer('earning_multiplier_bp').notNull().default(10000),
  perks: jsonb('perks').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  entryReward: jsonb('entry_reward').$type<TierEntryReward | null>(),
  entryRewardId: text('entry_reward_id'),
  /** Days a customer keeps the tier after no longer qualifying; null keeps it indefinitely. */
  retentionDays: integer('retention_days'),
  position: integer('position').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  foreignKey({ name: 'vip_tiers_entry_reward_fk', columns: [t.merchantId, t.entryRewardId], foreignColumns: [rewards.merchantId, rewards.id] }),
  uniqueIndex('vip_tiers_position_key').on(t.merchantId, t.position),
  check('vip_tiers_threshold_kind_valid', sql`${t.thresholdKind} in (${inList(TIER_THRESHOLD_KINDS)})`),
  check('vip_tiers_window_valid', sql`${t.qualificationWindow} in (${inList(TIER_QUALIFICATION_WINDOWS)})`),
  check('vip_tiers_multiplier_range', sql`${t.earningMultiplierBp} > 0 and ${t.earningMultiplierBp} <= 100000`),
  check('vip_tiers_threshold_nonneg', sql`${t.thresholdValue} >= 0`),
  check('vip_tiers_retention_nonneg', sql`coalesce(${t.retentionDays}, 0) >= 0`),
  check('vip_tiers_position_nonneg', sql`${t.position} >= 0`),
]);

/**
 * History of a customer's tier moves (null from = entered the program's ladder, null to = left
 * it). Tier ids are kept without an FK so the history survives a tier being deleted.
 */
export const tierChanges = pgTable('tier_changes', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  fromTierId: text('from_tier_id'),
  toTierId: text('to_tier_id'),
  /** e.g. `qualified`, `retention_expired`, `admin_override`, `recalculated`. */
  reason: text('reason').notNull(),
  /** Same spelling as points_transactions.actor. */
  actor: text('actor').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('tier_changes_customer_fk', t.merchantId, t.customerId),
  index('idx_tier_changes_customer').on(t.merchantId, t.customerId, t.createdAt),
  check('tier_changes_is_change', sql`${t.fromTierId} is distinct from ${t.toTierId}`),
]);
