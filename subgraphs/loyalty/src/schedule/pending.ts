import { and, asc, eq, lte, sql } from 'drizzle-orm';
import { customers, pendingPoints } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { invalidateCustomer } from '../customer/cache';
import { afterPosted, postEntry, type LedgerEntry } from '../ledger/post';

export const RELEASE_ACTOR = 'system:pending-release';

/**
 * Releases pending points whose approval period is over. Each row is handled in its own
 * transaction: the row is locked (rows another worker holds are skipped), its ledger entries are
 * posted with their own idempotency keys, the customer's pending total drops by the row's points
 * and the row is marked released, all or nothing. A row cancelled meanwhile (order cancelled or
 * refunded) is no longer 'pending' and is left alone. Returns how many rows were released.
 */
export async function releasePendingPoints(deps: Deps, now: Date, limit = 200): Promise<number> {
  const due = await deps.db.db
    .select({ merchantId: pendingPoints.merchantId, id: pendingPoints.id })
    .from(pendingPoints)
    .where(and(eq(pendingPoints.status, 'pending'), lte(pendingPoints.releaseAt, now)))
    .orderBy(asc(pendingPoints.releaseAt))
    .limit(limit);

  let released = 0;
  for (const { merchantId, id } of due) {
    const outcome = await deps.db.db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(pendingPoints)
        .where(and(eq(pendingPoints.merchantId, merchantId), eq(pendingPoints.id, id), eq(pendingPoints.status, 'pending'), lte(pendingPoints.releaseAt, now)))
        .for('update', { skipLocked: true });
      if (!row) return null;

      const posted: LedgerEntry[] = [];
      let firstTxnId: string | null = null;
      for (const e of row.entries) {
        const r = await postEntry(deps, tx, {
          merchantId,
          customerId: row.customerId,
          type: e.type,
          points: e.points,
          reason: e.reason,
          source: 'order',
          orderId: row.orderId,
          campaignId: e.campaignId ?? null,
          idempotencyKey: e.idempotencyKey,
          actor: RELEASE_ACTOR,
          metadata: { pendingId: row.id },
        }, now);
        if (r.status === 'customer_not_found') {
          // The customer is gone: nothing can be credited, so the hold ends.
          await tx.update(pendingPoints).set({ status: 'cancelled', updatedAt: now }).where(and(eq(pendingPoints.merchantId, merchantId), eq(pendingPoints.id, id)));
          return { posted: [], customerId: row.customerId, released: false };
        }
        if (r.status === 'posted') posted.push(r.entry);
        if ((r.status === 'posted' || r.status === 'duplicate') && !firstTxnId) firstTxnId = r.entry.id;
      }
      await tx
        .update(customers)
        .set({ pointsPending: sql`greatest(${customers.pointsPending} - ${row.points}, 0)`, updatedAt: now })
        .where(and(eq(customers.merchantId, merchantId), eq(customers.id, row.customerId)));
      await tx
        .update(pendingPoints)
        .set({ status: 'released', releasedTxnId: firstTxnId, updatedAt: now })
        .where(and(eq(pendingPoints.merchantId, merchantId), eq(pendingPoints.id, id)));
      return { posted, customerId: row.customerId, released: true };
    });
    if (!outcome) continue;
    for (const entry of outcome.posted) await afterPosted(deps, entry);
    await invalidateCustomer(deps, merchantId, outcome.customerId);
    if (outcome.released) released += 1;
  }
  return released;
}
