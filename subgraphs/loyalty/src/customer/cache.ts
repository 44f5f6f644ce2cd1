import type { Cache } from '@herethere/runtime';
import type { customers } from '@herethere/db';

type CustomerRow = typeof customers.$inferSelect;

/**
 * Customer rows are cached (Redis in production, in-process when embedded) under a version: the
 * customer's ledger sequence. A ledger post leaves a tombstone at its sequence after commit, so a
 * reader that fetched an older row can never put it back, and whoever made a change reads it.
 */
export const customerCacheKey = (merchantId: string, customerId: string) => `cust:${merchantId}:${customerId}`;
export const CUSTOMER_CACHE_TTL_SECONDS = 60;

const DATE_FIELDS = ['createdAt', 'updatedAt', 'lastActivityAt', 'birthdaySetAt'] as const;

export function decodeCached(raw: string | null): { version: number; row: CustomerRow | null } | null {
  if (raw === null) return null;
  const sep = raw.indexOf('|');
  const version = Number(raw.slice(0, sep));
  const body = raw.slice(sep + 1);
  if (!body) return { version, row: null };
  const row = JSON.parse(body) as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (typeof row[f] === 'string') row[f] = new Date(row[f] as string);
  return { version, row: row as unknown as CustomerRow };
}

export const cacheCustomer = (cache: Cache, row: CustomerRow) =>
  cache.setIfNewer(customerCacheKey(row.merchantId, row.id), row.ledgerSeq, JSON.stringify(row), CUSTOMER_CACHE_TTL_SECONDS);

/** After a ledger post commits: anything older than `seq` must come from the database. */
export const markLedgerMoved = (cache: Cache, merchantId: string, customerId: string, seq: number) =>
  cache.setIfNewer(customerCacheKey(merchantId, customerId), seq, '', CUSTOMER_CACHE_TTL_SECONDS);

/** Profile changes (not versioned by the ledger): drop the cached copy after commit. */
export async function invalidateCustomer(deps: { cache: Cache }, merchantId: string, customerId: string): Promise<void> {
  await deps.cache.del(customerCacheKey(merchantId, customerId));
}
