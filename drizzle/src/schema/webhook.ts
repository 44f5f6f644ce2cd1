import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, merchantId, tstz } from './columns';
import { merchants } from './merchant';

export type WebhookStatus = 'received' | 'processing' | 'processed' | 'failed' | 'dead';

/**
 * Shopify webhook inbox. A delivery is written here before the 200 goes back; the primary key
 * `(merchant_id, webhook_id)` (X-Shopify-Webhook-Id) drops duplicate deliveries.
 */
export const webhookInbox = pgTable('webhook_inbox', {
  merchantId: merchantId().references(() => merchants.id),
  webhookId: text('webhook_id').notNull(),
  topic: text('topic').notNull(),
  shopDomain: text('shop_domain').notNull(),
  apiVersion: text('api_version'),
  payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
  status: text('status').$type<WebhookStatus>().notNull().default('received'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  /** What processing did, in words: "credited 120 points", "no customer 42 in this shop; nothing to erase". */
  outcome: text('outcome'),
  nextAttemptAt: tstz('next_attempt_at').notNull().defaultNow(),
  lockedUntil: tstz('locked_until'),
  receivedAt: createdAt(),
  processedAt: tstz('processed_at'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.webhookId] }),
  index('idx_webhook_inbox_pending').on(t.status, t.nextAttemptAt),
  // The processor claims the oldest deliveries still to do: read in arrival order from this index
  // and stop at the batch size, instead of gathering and sorting the whole backlog on every claim.
  index('idx_webhook_inbox_due').on(t.receivedAt).where(sql`${t.status} in ('received', 'failed', 'processing')`),
  check('webhook_inbox_status_valid', sql`${t.status} in ('received','processing','processed','failed','dead')`),
]);

/** Caller-supplied idempotency keys for mutations: a retry returns the first response. */
export const idempotencyRecords = pgTable('idempotency_records', {
  merchantId: merchantId().references(() => merchants.id),
  scope: text('scope').notNull(),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  response: jsonb('response').$type<unknown>(),
  createdAt: createdAt(),
  expiresAt: tstz('expires_at').notNull(),
}, (t) => [primaryKey({ columns: [t.merchantId, t.scope, t.key] })]);
