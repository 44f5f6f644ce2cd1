import { and, desc, eq, gte, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { LEDGER_ENTRY_TYPES, pendingPoints, pointsTransactions, type DbOrTx, type LedgerEntryType } from '@herethere/db';
import { badInput } from '@herethere/runtime';
import type { LedgerEntry } from '../ledger/post';

/** A history item: a posted ledger entry, or a pending-points row shown as one entry. */
export type HistoryItem =
  | (LedgerEntry & { pending?: false; releaseAt?: null })
  | {
      id: string;
      merchantId: string;
      customerId: string;
      type: string;
      points: number;
      balanceAfter: null;
      reason: string;
      source: string;
      orderId: string | null;
      campaignId: string | null;
      createdAt: Date;
      pending: true;
      releaseAt: Date;
    };

export interface HistoryFilter {
  types?: LedgerEntryType[];
  since?: Date;
  until?: Date;
}

const CURSOR_KEY = /^(txn|pnd)_([0-9a-z]{26})$/;
const TYPES: ReadonlySet<string> = new Set(LEDGER_ENTRY_TYPES);

/** The time-sortable part of an id (after the prefix), so ledger and pending ids order together. */
export const sortKey = (id: string) => id.slice(id.indexOf('_') + 1);

/** Checks the filter arguments; a bad one is a BAD_USER_INPUT error naming the argument. */
export function checkFilter(args: { types?: string[] | null; since?: Date | null; until?: Date | null }): HistoryFilter {
  const filter: HistoryFilter = {};
  if (args.types != null) {
    if (args.types.length === 0) throw badInput('types must name at least one entry type (leave it out for all types)', 'types');
    const unknown = args.types.filter((t) => !TYPES.has(t));
    if (unknown.length) throw badInput(`types: ${unknown.map((t) => JSON.stringify(t)).join(', ')} ${unknown.length === 1 ? 'is not an entry type' : 'are not entry types'}; use ${LEDGER_ENTRY_TYPES.join(', ')}`, 'types');
    filter.types = [...new Set(args.types)] as LedgerEntryType[];
  }
  for (const key of ['since', 'until'] as const) {
    const v = args[key];
    if (v == null) continue;
    if (!(v instanceof Date) || Number.isNaN(v.getTime())) throw badInput(`${key} must be a date-time`, key);
    filter[key] = v;
  }
  if (filter.since && filter.until && filter.since >= filter.until) throw badInput('since must be before until', 'since');
  return filter;
}

/** The after-cursor's key, checked to be one of ours. */
export function checkAfter(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  const m = CURSOR_KEY.exec(key);
  if (!m) throw badInput('after is not a valid cursor', 'after');
  return m[2];
}

/**
 * One page of a customer's history, newest first: ledger entries and pending points merged by
 * their time-sortable ids, keyset-paginated after `afterKey`. Fetches `first + 1` items so the
 * caller can tell whether there is a next page.
 */
export async function historyPage(db: DbOrTx, merchantId: string, customerId: string, first: number, afterKey: string | undefined, filter: HistoryFilter): Promise<HistoryItem[]> {
  const ledgerWhere: SQL[] = [eq(pointsTransactions.merchantId, merchantId), eq(pointsTransactions.customerId, customerId)];
  if (afterKey) ledgerWhere.push(lt(pointsTransactions.id, `txn_${afterKey}`));
  if (filter.types) ledgerWhere.push(inArray(pointsTransactions.type, filter.types));
  if (filter.since) ledgerWhere.push(gte(pointsTransactions.createdAt, filter.since));
  if (filter.until) ledgerWhere.push(lt(pointsTransactions.createdAt, filter.until));
  const ledger = db.select().from(pointsTransactions).where(and(...ledgerWhere)).orderBy(desc(pointsTransactions.id)).limit(first + 1);

  const pendingWhere: SQL[] = [eq(pendingPoints.merchantId, merchantId), eq(pendingPoints.customerId, customerId), eq(pendingPoints.status, 'pending')];
  if (afterKey) pendingWhere.push(lt(pendingPoints.id, `pnd_${afterKey}`));
  if (filter.types) pendingWhere.push(or(...filter.types.map((t) => sql`${pendingPoints.entries} @> ${JSON.stringify([{ type: t }])}::jsonb`))!);
  if (filter.since) pendingWhere.push(gte(pendingPoints.createdAt, filter.since));
  if (filter.until) pendingWhere.push(lt(pendingPoints.createdAt, filter.until));
  const pending = db.select().from(pendingPoints).where(and(...pendingWhere)).orderBy(desc(pendingPoints.id)).limit(first + 1);

  const [entries, held] = await Promise.all([ledger, pending]);
  const items: HistoryItem[] = [
    ...entries,
    ...held.map((p) => ({
      id: p.id,
      merchantId: p.merchantId,
      customerId: p.customerId,
      type: p.entries[0]?.type ?? 'purchase',
      points: p.points,
      balanceAfter: null,
      reason: p.entries.map((e) => e.reason).join('; ') || `Order ${p.orderId}`,
      source: 'order',
      orderId: p.orderId,
      campaignId: p.entries.find((e) => e.campaignId)?.campaignId ?? null,
      createdAt: p.createdAt,
      pending: true as const,
      releaseAt: p.releaseAt,
    })),
  ];
  items.sort((a, b) => (sortKey(a.id) < sortKey(b.id) ? 1 : sortKey(a.id) > sortKey(b.id) ? -1 : 0));
  return items.slice(0, first + 1);
}
