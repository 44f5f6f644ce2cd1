import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
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
