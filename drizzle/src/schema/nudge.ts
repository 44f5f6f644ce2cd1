import { sql } from 'drizzle-orm';
import { boolean, check, foreignKey, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';

export const NUDGE_DISPLAYS = ['popup', 'banner'] as const;
export type NudgeDisplay = (typeof NUDGE_DISPLAYS)[number];

/** Localized text: language code → string. */
export type LocalizedText = Record<string, string>;

/**
 * On-site prompts the storefront widget shows a segment of customers (e.g. "you can redeem
 * a reward", "join the program"). Text is stored per language.
 */
export const nudges = pgTable('nudges', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  /** What the nudge is about, e.g. `signup`, `reward_available`, `tier_progress`, `referral`, `birthday`. */
  type: text('type').notNull(),
  title: jsonb('title').$type<LocalizedText>().notNull().default(sql`'{}'::jsonb`),
  description: jsonb('description').$type<LocalizedText>().notNull().default(sql`'{}'::jsonb`),
  /** Who sees it: a built-in audience (`all`, `members`, `guests`) or a customer_segments id. */
  segment: text('segment'),
  display: text('display').$type<NudgeDisplay>().notNull().default('popup'),
  isEnabled: boolean('is_enabled').notNull().default(true),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  check('nudges_display_valid', sql`${t.display} in (${inList(NUDGE_DISPLAYS)})`),
]);

export const NUDGE_ACTIONS = ['shown', 'clicked', 'dismissed'] as const;
export type NudgeAction = (typeof NUDGE_ACTIONS)[number];

/** What customers did with nudges: feeds nudge analytics and stops re-showing dismissed ones. */
export const nudgeEvents = pgTable('nudge_events', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id').notNull(),
  nudgeId: text('nudge_id').notNull(),
  action: text('action').$type<NudgeAction>().notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('nudge_events_customer_fk', t.merchantId, t.customerId),
  foreignKey({ name: 'nudge_events_nudge_fk', columns: [t.merchantId, t.nudgeId], foreignColumns: [nudges.merchantId, nudges.id] }).onDelete('cascade'),
  index('idx_nudge_events_nudge').on(t.merchantId, t.nudgeId, t.createdAt),
  index('idx_nudge_events_customer').on(t.merchantId, t.customerId, t.nudgeId),
  check('nudge_events_action_valid', sql`${t.action} in (${inList(NUDGE_ACTIONS)})`),
]);
