import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { merchants } from './merchant';

export const INTEGRATION_TYPES = ['shopify', 'klaviyo', 'twilio', 'square', 'lightspeed', 'custom'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];
export const INTEGRATION_STATUSES = ['ok', 'error', 'unknown', 'disabled'] as const;
export type IntegrationStatus = (typeof INTEGRATION_STATUSES)[number];

/**
 * A merchant's connection to an outside service, at most one per type. The credential is kept
 * only sealed (encrypted with the app key, like merchants.access_token_sealed), never in plaintext
 * and never in `settings`.
 */
export const integrations = pgTable('integrations', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  type: text('type').$type<IntegrationType>().notNull(),
  status: text('status').$type<IntegrationStatus>().notNull().default('unknown'),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  apiKeySealed: text('api_key_sealed'),
  lastCheckedAt: tstz('last_checked_at'),
  lastError: text('last_error'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  uniqueIndex('integrations_type_key').on(t.merchantId, t.type),
  check('integrations_type_valid', sql`${t.type} in (${inList(INTEGRATION_TYPES)})`),
  check('integrations_status_valid', sql`${t.status} in (${inList(INTEGRATION_STATUSES)})`),
]);

export const IMPORT_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export interface ImportFailure {
  row: number;
  reason: string;
}

/**
 * One bulk import of customers/points (CSV or another loyalty app), with per-row failures so
 * the merchant can fix and retry them. Imported points post as `import` ledger entries.
 */
export const importLogs = pgTable('import_logs', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  /** Where the data came from, e.g. `csv`, `smile`, `yotpo`, `loyaltylion`. */
  source: text('source').notNull(),
  status: text('status').$type<ImportStatus>().notNull().default('queued'),
  totalCount: integer('total_count').notNull().default(0),
  successCount: integer('success_count').notNull().default(0),
  failCount: integer('fail_count').notNull().default(0),
  failReasons: jsonb('fail_reasons').$type<ImportFailure[]>().notNull().default(sql`'[]'::jsonb`),
  startedAt: tstz('started_at').notNull().defaultNow(),
  finishedAt: tstz('finished_at'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_import_logs_started').on(t.merchantId, t.startedAt),
  check('import_logs_status_valid', sql`${t.status} in (${inList(IMPORT_STATUSES)})`),
  check('import_logs_counts_nonneg', sql`${t.totalCount} >= 0 and ${t.successCount} >= 0 and ${t.failCount} >= 0`),
]);
