import { and, asc, eq, gt, inArray, or, type SQL } from 'drizzle-orm';
import { customers, pointsTransactions, type Db } from '@herethere/db';
import { entryHash, GENESIS_HASH } from './chain';

export interface LedgerProblem {
  merchantId: string;
  customerId: string;
  problem: string;
}

export interface LedgerVerification {
  customers: number;
  entries: number;
  problems: LedgerProblem[];
}

type CustomerHead = { merchantId: string; id: string; balance: number; seq: number; head: string; expired: number };
type Entry = typeof pointsTransactions.$inferSelect;

/** Checks one customer's entries (in seq order) against their balance and chain head. */
export function verifyChain(customer: CustomerHead, entries: Entry[]): string[] {
  const problems: string[] = [];
  let prev = GENESIS_HASH;
  let sum = 0;
  let expired = 0;
  entries.forEach((e, i) => {
    const at = `entry ${e.id} (seq ${e.seq})`;
    if (e.seq !== i + 1) problems.push(`${at}: sequence is not contiguous (expected seq ${i + 1})`);
    if (e.prevHash !== prev) problems.push(`${at}: prev_hash does not match the previous entry's hash`);
    sum += e.points;
    if (e.type === 'expiry') expired -= e.points;
    if (e.balanceAfter !== sum) problems.push(`${at}: balance_after ${e.balanceAfter} but the entries sum to ${sum}`);
    const expected = entryHash(e.prevHash, {
      merchantId: e.merchantId, customerId: e.customerId, id: e.id, seq: e.seq, type: e.type, points: e.points,
      balanceAfter: e.balanceAfter, idempotencyKey: e.idempotencyKey, orderId: e.orderId, createdAt: e.createdAt,
    });
    if (expected !== e.hash) problems.push(`${at}: hash does not match its contents (entry altered)`);
    prev = e.hash;
  });
  if (customer.balance !== sum) problems.push(`points_balance ${customer.balance} but the entries sum to ${sum}`);
  if (customer.seq !== entries.length) problems.push(`ledger_seq ${customer.seq} but ${entries.length} entries`);
  if (customer.head !== prev) problems.push('ledger_head_hash does not match the last entry’s hash');
  if (customer.expired !== expired) problems.push(`total_points_expired ${customer.expired} but expiry entries sum to ${expired}`);
  return problems;
}

/**
 * Recomputes every customer's hash chain (optionally one shop's): each entry's hash from its
 * contents and the previous hash, contiguous sequence numbers, running balances, and the
 * customer's projection (balance = sum of entries, sequence and head hash). Reads page by page.
 */
export async function verifyLedger(db: Db, merchantId?: string, pageSize = 500): Promise<LedgerVerification> {
  const result: LedgerVerification = { customers: 0, entries: 0, problems: [] };
  let after: { merchantId: string; id: string } | undefined;
  for (;;) {
    const conditions: (SQL | undefined)[] = [merchantId ? eq(customers.merchantId, merchantId) : undefined];
    if (after) conditions.push(or(gt(customers.merchantId, after.merchantId), and(eq(customers.merchantId, after.merchantId), gt(customers.id, after.id))));
    // One snapshot per page: on a live system posts keep landing, and the projection and the
    // entries must be read as of the same moment or a healthy chain looks broken.
    const done = await db.transaction(async (tx) => {
    const page: CustomerHead[] = await tx
      .select({ merchantId: customers.merchantId, id: customers.id, balance: customers.pointsBalance, seq: customers.ledgerSeq, head: customers.ledgerHeadHash, expired: customers.totalPointsExpired })
      .from(customers)
      .where(and(...conditions))
      .orderBy(asc(customers.merchantId), asc(customers.id))
      .limit(pageSize);
    if (!page.length) return true;
    after = page[page.length - 1];

    const byMerchant = new Map<string, string[]>();
    for (const c of page) byMerchant.set(c.merchantId, [...(byMerchant.get(c.merchantId) ?? []), c.id]);
    const entriesOf = new Map<string, Entry[]>();
    for (const [m, ids] of byMerchant) {
      const rows = await tx
        .select()
        .from(pointsTransactions)
        .where(and(eq(pointsTransactions.merchantId, m), inArray(pointsTransactions.customerId, ids)))
        .orderBy(asc(pointsTransactions.customerId), asc(pointsTransactions.seq));
      for (const r of rows) {
        const key = `${r.merchantId}/${r.customerId}`;
        let list = entriesOf.get(key);
        if (!list) entriesOf.set(key, (list = []));
        list.push(r);
      }
    }
    for (const c of page) {
      const entries = entriesOf.get(`${c.merchantId}/${c.id}`) ?? [];
      result.customers += 1;
      result.entries += entries.length;
      for (const problem of verifyChain(c, entries)) result.problems.push({ merchantId: c.merchantId, customerId: c.id, problem });
    }
    return page.length < pageSize;
    }, { isolationLevel: 'repeatable read', accessMode: 'read only' });
    if (done) break;
  }
  return result;
}

/** A short human summary for the CLI. */
export function describeVerification(v: LedgerVerification, maxLines = 50): string {
  const head = `${v.customers} customers, ${v.entries} entries: ${v.problems.length ? `${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}` : 'every chain and balance verified'}`;
  const lines = v.problems.slice(0, maxLines).map((p) => `  ${p.merchantId} ${p.customerId}: ${p.problem}`);
  if (v.problems.length > maxLines) lines.push(`  … and ${v.problems.length - maxLines} more`);
  return [head, ...lines].join('\n');
}
