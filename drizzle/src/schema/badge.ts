import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, integer, jsonb, pgTable, primaryKey, smallint, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';

export const BADGE_RULE_KINDS = ['first_purchase', 'orders_count', 'referrals', 'reviews', 'tier_reached', 'streak'] as const;
export type BadgeRuleKind = (typeof BADGE_RULE_KINDS)[number];

/** When a badge is earned: `threshold` for the counting kinds, `tierId` for tier_reached. */
export interface BadgeRule {
  kind: BadgeRuleKind;
  threshold?: number;
  tierId?: string;
}

/** The merchant's gamification badges and the rule that awards each. `key` is the stable handle. */
export const badgeDefinitions = pgTable('badge_definitions', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  key: text('key').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  imageUrl: text('image_url'),
  rule: jsonb('rule').$type<BadgeRule>().notNull(),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  uniqueIndex('badge_definitions_key_key').on(t.merchantId, t.key),
  check('badge_definitions_rule_kind_valid', sql`${t.rule}->>'kind' in (${inList(BADGE_RULE_KINDS)})`),
]);

/**
 * Badges a customer has earned. Unique per (merchant, customer, badge) so awarding is
 * idempotent (insert … on conflict do nothing). `badge` keeps the name as awarded.
 */
export const gamificationAchievements = pgTable('gamification_achievements', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  badgeId: text('badge_id').notNull(),
  badge: text('badge').notNull(),
  awardedAt: tstz('awarded_at').notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('gamification_achievements_customer_fk', t.merchantId, t.customerId),
  foreignKey({ name: 'gamification_achievements_badge_fk', columns: [t.merchantId, t.badgeId], foreignColumns: [badgeDefinitions.merchantId, badgeDefinitions.id] }),
  uniqueIndex('gamification_achievements_badge_key').on(t.merchantId, t.customerId, t.badgeId),
  index('idx_gamification_achievements_awarded').on(t.merchantId, t.awardedAt),
]);

export const LEADERBOARD_PERIODS = ['week', 'month', 'all'] as const;
export type LeaderboardPeriodKind = (typeof LEADERBOARD_PERIODS)[number];

/**
 * Points earned per customer and period (`week` keyed by ISO week in the merchant's time zone,
 * e.g. `2025-W09`; `month` e.g. `2025-03`; `all` keyed `all`), net of clawbacks. Opted-out customers
 * keep their row but are left out of listings and of the histogram.
 */
export const leaderboardScores = pgTable('leaderboard_scores', {
  merchantId: merchantId(),
  period: text('period').$type<LeaderboardPeriodKind>().notNull(),
  periodKey: text('period_key').notNull(),
  customerId: text('customer_id').notNull(),
  points: bigint('points', { mode: 'number' }).notNull().default(0),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.period, t.periodKey, t.customerId] }),
  index('idx_leaderboard_scores_top').on(t.merchantId, t.period, t.periodKey, sql`${t.points} desc`, t.customerId),
  check('leaderboard_scores_period_valid', sql`${t.period} in (${inList(LEADERBOARD_PERIODS)})`),
]);

/**
 * How many ranked customers (score > 0, not opted out) sit at each score, at three resolutions:
 * level 0 = exact score, level 1 = score / 1,000, level 2 = score / 1,000,000. A rank is one plus
 * three bounded sums (coarse buckets above, middle buckets above within the coarse one, exact scores
 * above within the middle one): at most about 2,000 index entries whatever the number of customers.
 */
export const leaderboardHistogram = pgTable('leaderboard_histogram', {
  merchantId: merchantId(),
  period: text('period').$type<LeaderboardPeriodKind>().notNull(),
  periodKey: text('period_key').notNull(),
  level: smallint('level').notNull(),
  bucket: bigint('bucket', { mode: 'number' }).notNull(),
  n: integer('n').notNull(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.period, t.periodKey, t.level, t.bucket] }),
  check('leaderboard_histogram_level_valid', sql`${t.level} in (0, 1, 2)`),
  check('leaderboard_histogram_n_nonneg', sql`${t.n} >= 0`),
]);

/**
 * Score changes written in the posting transaction (one small insert per earning entry) and folded
 * into scores and histogram by a worker, so hot histogram rows never serialise order processing.
 */
export const leaderboardDeltas = pgTable('leaderboard_deltas', {
  merchantId: merchantId(),
  id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity(),
  customerId: text('customer_id').notNull(),
  points: integer('points').notNull(),
  weekKey: text('week_key').notNull(),
  monthKey: text('month_key').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
]);
