import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { customerFk } from './customer';
import { merchants } from './merchant';

export const TEMPLATE_TYPES = ['referral', 'tier_change', 'points_earned', 'reward_issued', 'expiry_reminder', 'popup', 'plan_change', 'referral_completed', 'badge_awarded', 'campaign_started'] as const;
export type TemplateType = (typeof TEMPLATE_TYPES)[number];
export const TEMPLATE_CHANNELS = ['email', 'sms'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

/** The merchant's message wording, one per (type, channel, language); defaults apply when absent. */
export const emailTemplates = pgTable('email_templates', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  type: text('type').$type<TemplateType>().notNull(),
  channel: text('channel').$type<TemplateChannel>().notNull().default('email'),
  language: text('language').notNull().default('en'),
  /** Email only; SMS has no subject. */
  subject: text('subject'),
  body: text('body').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  uniqueIndex('email_templates_type_channel_language_key').on(t.merchantId, t.type, t.channel, t.language),
  check('email_templates_type_valid', sql`${t.type} in (${inList(TEMPLATE_TYPES)})`),
  check('email_templates_channel_valid', sql`${t.channel} in (${inList(TEMPLATE_CHANNELS)})`),
]);

/**
 * Delivery log of messages sent (and provider callbacks about them: delivered, bounced, …).
 * Template and outbox ids are kept without FKs so the log outlives edits to either.
 */
export const emailEvents = pgTable('email_events', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  customerId: text('customer_id'),
  eventType: text('event_type').notNull(),
  recipientEmail: text('recipient_email'),
  recipientPhone: text('recipient_phone'),
  templateId: text('template_id'),
  outboxId: text('outbox_id'),
  provider: text('provider'),
  providerMessageId: text('provider_message_id'),
  /** Provider-reported state, e.g. `sent`, `delivered`, `bounced`, `failed`. */
  status: text('status').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('email_events_customer_fk', t.merchantId, t.customerId),
  index('idx_email_events_customer').on(t.merchantId, t.customerId, t.createdAt),
  index('idx_email_events_created').on(t.merchantId, t.createdAt),
  /** Provider callbacks carry only the provider's message id. */
  index('idx_email_events_provider_message').on(t.provider, t.providerMessageId),
]);

export const OUTBOX_CHANNELS = ['email', 'sms', 'klaviyo_event'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'dead'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/**
 * Transactional outbox for outgoing messages: written in the same transaction as the change
 * that causes it, delivered by a worker with retries. `(merchant_id, dedupe_key)` is unique so a
 * replayed cause never sends twice; the worker polls `(status, next_attempt_at)` across merchants.
 */
export const notificationOutbox = pgTable('notification_outbox', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  customerId: text('customer_id'),
  /** What is being sent, e.g. a template type such as `points_earned`. */
  kind: text('kind').notNull(),
  channel: text('channel').$type<OutboxChannel>().notNull(),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  dedupeKey: text('dedupe_key').notNull(),
  status: text('status').$type<OutboxStatus>().notNull().default('pending'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  lockedUntil: tstz('locked_until'),
  lastError: text('last_error'),
  providerMessageId: text('provider_message_id'),
  /** Which sender delivered (or last tried): `klaviyo`, `twilio` or `dev`. */
  provider: text('provider'),
  createdAt: createdAt(),
  sentAt: tstz('sent_at'),
  deadAt: tstz('dead_at'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  customerFk('notification_outbox_customer_fk', t.merchantId, t.customerId),
  uniqueIndex('notification_outbox_dedupe_key').on(t.merchantId, t.dedupeKey),
  index('idx_notification_outbox_pending').on(t.status, t.nextAttemptAt),
  /** The merchant's dead-letter list. */
  index('idx_notification_outbox_merchant_status').on(t.merchantId, t.status, t.createdAt),
  check('notification_outbox_channel_valid', sql`${t.channel} in (${inList(OUTBOX_CHANNELS)})`),
  check('notification_outbox_status_valid', sql`${t.status} in (${inList(OUTBOX_STATUSES)})`),
  check('notification_outbox_attempts_nonneg', sql`${t.attempts} >= 0`),
]);
