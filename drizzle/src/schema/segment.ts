import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { inList } from './checks';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { merchants } from './merchant';

/** A segment's definition: customers matching all (or any) of the conditions. */
export interface SegmentRules {
  match: 'all' | 'any';
  conditions: Array<{ field: string; op: string; value: unknown }>;
}

/**
 * Saved groups of customers (system ones such as RFM segments, and merchant-defined ones) used
 * to target campaigns and nudges. customer_count is a cache refreshed at computed_at.
 */
export const customerSegments = pgTable('customer_segments', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  rules: jsonb('rules').$type<SegmentRules>().notNull(),
  isSystem: boolean('is_system').notNull().default(false),
  customerCount: integer('customer_count').notNull().default(0),
  computedAt: tstz('computed_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  check('customer_segments_count_nonneg', sql`${t.customerCount} >= 0`),
]);

export const EXPORT_JOB_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type ExportJobStatus = (typeof EXPORT_JOB_STATUSES)[number];

/**
 * Background CSV exports (customers, ledger, …) a merchant requested. Small files are kept
 * inline in file_content; large ones in object storage under storage_key.
 */
export const exportJobs = pgTable('export_jobs', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  /** What is exported, e.g. `customers`, `points_transactions`, `referrals`. */
  kind: text('kind').notNull(),
  /** Filters the export was requested with. */
  params: jsonb('params').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  status: text('status').$type<ExportJobStatus>().notNull().default('queued'),
  progressPct: integer('progress_pct').notNull().default(0),
  rowsTotal: integer('rows_total'),
  rowsDone: integer('rows_done').notNull().default(0),
  fileName: text('file_name'),
  contentType: text('content_type'),
  fileContent: text('file_content'),
  storageKey: text('storage_key'),
  error: text('error'),
  requestedBy: text('requested_by').notNull(),
  createdAt: createdAt(),
  finishedAt: tstz('finished_at'),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_export_jobs_created').on(t.merchantId, t.createdAt),
  index('idx_export_jobs_queue').on(t.status, t.createdAt),
  check('export_jobs_status_valid', sql`${t.status} in (${inList(EXPORT_JOB_STATUSES)})`),
  check('export_jobs_progress_range', sql`${t.progressPct} between 0 and 100`),
  check('export_jobs_rows_nonneg', sql`${t.rowsDone} >= 0 and coalesce(${t.rowsTotal}, 0) >= 0`),
]);
