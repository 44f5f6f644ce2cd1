import { and, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { auditLogs, newId, type DbOrTx } from '@herethere/db';
import type { Context } from '@herethere/runtime';

export type AuditLogRow = typeof auditLogs.$inferSelect;

export interface AuditEntry {
  /** `admin:<id>`, `anonymous`, `system`, … (see describePrincipal). */
  actor: string;
  adminUserId?: string | null;
  merchantId?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  /** Never passwords, tokens or hashes. */
  details?: Record<string, unknown>;
  ip?: string | null;
}

/** Writes one audit row; pass the transaction that makes the change so both land or neither. */
export async function writeAudit(on: DbOrTx, entry: AuditEntry): Promise<void> {
  await on.insert(auditLogs).values({
    id: newId('auditLog'),
    actor: entry.actor,
    adminUserId: entry.adminUserId ?? null,
    merchantId: entry.merchantId ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? {},
    ip: entry.ip ?? null,
  });
}

export interface AuditFilter {
  action?: string | null;
  adminUserId?: string | null;
  merchantId?: string | null;
  since?: Date | null;
  until?: Date | null;
}

/**
 * Newest first, keyed on the time-sortable id so the cursor is stable; `since`/`until` bound
 * created_at. Fetches `limit + 1` rows so the caller can tell whether there is a next page.
 */
export async function listAuditLogs(ctx: Context, filter: AuditFilter, limit: number, afterId?: string): Promise<AuditLogRow[]> {
  const where: SQL[] = [];
  if (afterId) where.push(lt(auditLogs.id, afterId));
  if (filter.action) where.push(eq(auditLogs.action, filter.action));
  if (filter.adminUserId) where.push(eq(auditLogs.adminUserId, filter.adminUserId));
  if (filter.merchantId) where.push(eq(auditLogs.merchantId, filter.merchantId));
  if (filter.since) where.push(gte(auditLogs.createdAt, filter.since));
  if (filter.until) where.push(lte(auditLogs.createdAt, filter.until));
  return ctx.db.db.select().from(auditLogs).where(and(...where)).orderBy(desc(auditLogs.id)).limit(limit + 1);
}
