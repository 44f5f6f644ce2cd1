import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
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
  /**
   * The explanation: measure, window, value and threshold that decided it, or for a demotion the
   * date the customer stopped qualifying and the retention that ran out; for an override, who and why.
   */
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('tier_changes_customer_fk', t.merchantId, t.customerId),
  index('idx_tier_changes_customer').on(t.merchantId, t.customerId, t.createdAt),
  check('tier_changes_is_change', sql`${t.fromTierId} is distinct from ${t.toTierId}`),
]);

/**
 * A customer's place on the ladder. `tier_id` is the tier in effect (earning multiplier, widget);
 * `qualified_tier_id` is what the data alone gives today. When the customer stops qualifying for
 * their tier, `below_since` records when and `retained_until` when retention runs out (null with
 * `below_since` set means the tier is kept indefinitely). A manual override pins the tier until
 * `override_until` (or for good when null). Tier ids carry no FK: deleting a tier is handled by the
 * recompute, which moves its members and records why.
 */
export const customerTierStatus = pgTable('customer_tier_status', {
  merchantId: merchantId(),
  customerId: text('customer_id').notNull(),
  tierId: text('tier_id'),
  tierSince: tstz('tier_since'),
  qualifiedTierId: text('qualified_tier_id'),
  belowSince: tstz('below_since'),
  retainedUntil: tstz('retained_until'),
  overrideActive: boolean('override_active').notNull().default(false),
  overrideTierId: text('override_tier_id'),
  overrideUntil: tstz('override_until'),
  overrideReason: text('override_reason'),
  overrideBy: text('override_by'),
  computedAt: tstz('computed_at').notNull().defaultNow(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.customerId] }),
  customerFk('customer_tier_status_customer_fk', t.merchantId, t.customerId),
  index('idx_customer_tier_status_tier').on(t.merchantId, t.tierId),
  /** The frequent sweep finds retention and overrides that ran out without scanning everyone. */
  index('idx_customer_tier_status_retention_due').on(t.retainedUntil).where(sql`${t.retainedUntil} is not null`),
  index('idx_customer_tier_status_override_due').on(t.overrideUntil).where(sql`${t.overrideActive} and ${t.overrideUntil} is not null`),
  check('customer_tier_status_override_consistent', sql`${t.overrideActive} or (${t.overrideTierId} is null and ${t.overrideUntil} is null)`),
]);

export const TIER_GRANT_KINDS = ['points', 'reward'] as const;
export type TierGrantKind = (typeof TIER_GRANT_KINDS)[number];
export const TIER_GRANT_STATUSES = ['pending', 'granted', 'failed'] as const;
export type TierGrantStatus = (typeof TIER_GRANT_STATUSES)[number];

/**
 * A tier's entry reward owed to a customer: at most one per (customer, tier), ever, so moving down
 * and back up does not pay twice. Points grants are posted to the ledger as `tier_bonus` entries
 * by a worker (and right after the order that caused the move); catalogue rewards wait here for the
 * reward issuer registered by the redemption module.
 */
export const tierEntryGrants = pgTable('tier_entry_grants', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  tierId: text('tier_id').notNull(),
  tierChangeId: text('tier_change_id').notNull(),
  kind: text('kind').$type<TierGrantKind>().notNull(),
  points: integer('points'),
  rewardId: text('reward_id'),
  status: text('status').$type<TierGrantStatus>().notNull().default('pending'),
  /** The ledger entry (points) or redemption (reward) that settled it. */
  settledRef: text('settled_ref'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: createdAt(),
  settledAt: tstz('settled_at'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('tier_entry_grants_customer_fk', t.merchantId, t.customerId),
  uniqueIndex('tier_entry_grants_once_key').on(t.merchantId, t.customerId, t.tierId),
  index('idx_tier_entry_grants_pending').on(t.status, t.createdAt).where(sql`${t.status} = 'pending'`),
  check('tier_entry_grants_kind_valid', sql`${t.kind} in (${inList(TIER_GRANT_KINDS)})`),
  check('tier_entry_grants_status_valid', sql`${t.status} in (${inList(TIER_GRANT_STATUSES)})`),
  check('tier_entry_grants_points_fields', sql`${t.kind} <> 'points' or (${t.points} is not null and ${t.points} > 0)`),
  check('tier_entry_grants_reward_fields', sql`${t.kind} <> 'reward' or ${t.rewardId} is not null`),
]);

export const GAMIFICATION_JOB_KINDS = ['tier_recompute', 'tier_nightly', 'badge_backfill'] as const;
export type GamificationJobKind = (typeof GAMIFICATION_JOB_KINDS)[number];

/**
 * Per-merchant background work handed from merchant-config (definitions changed) to loyalty's
 * workers: `requested_at` is set by the request and cleared by the run that saw it; `last_run_key`
 * remembers e.g. the merchant-local date of the last nightly recompute.
 */
export const gamificationJobs = pgTable('gamification_jobs', {
  merchantId: merchantId().references(() => merchants.id),
  kind: text('kind').$type<GamificationJobKind>().notNull(),
  requestedAt: tstz('requested_at'),
  reason: text('reason'),
  lastRunAt: tstz('last_run_at'),
  lastRunKey: text('last_run_key'),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.kind] }),
  index('idx_gamification_jobs_requested').on(t.requestedAt).where(sql`${t.requestedAt} is not null`),
  check('gamification_jobs_kind_valid', sql`${t.kind} in (${inList(GAMIFICATION_JOB_KINDS)})`),
]);
