import { and, eq, sql } from 'drizzle-orm';
import { customers, pendingPoints, type PendingEntry, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { postEntry, type LedgerEntry } from '../ledger/post';
import type { OrderRow } from './credit';

/**
 * Takes `points` of an order back. Points still pending are reduced (or cancelled) without
 * touching the ledger; posted points get one negative entry (refund_clawback or cancellation),
 * which may take the balance below zero if the shopper already spent them — and says so.
 */
export async function reverseOrderPoints(
  tx: Tx, deps: Deps, order: OrderRow, points: number,
  entry: { type: 'refund_clawback' | 'cancellation'; idempotencyKey: string; reason: string; refundId?: string; actor: string },
): Promise<{ fromPending: number; posted: LedgerEntry | null }> {
  if (points <= 0 || !order.customerId) return { fromPending: 0, posted: null };
  const [pending] = await tx
    .select()
    .from(pendingPoints)
    .where(and(eq(pendingPoints.merchantId, order.merchantId), eq(pendingPoints.orderId, order.id), eq(pendingPoints.status, 'pending')))
    .for('update');
  if (pending) {
    const take = Math.min(points, pending.points);
    const remaining = pending.points - take;
    // Reduce the entries from the last (bonuses) back to the purchase, keeping their sum exact.
    let toTake = take;
    const entries: PendingEntry[] = [...pending.entries].reverse().map((e) => {
      const cut = Math.min(e.points, toTake);
      toTake -= cut;
      return { ...e, points: e.points - cut };
    }).reverse().filter((e) => e.points > 0);
    await tx
      .update(pendingPoints)
      .set({ points: remaining > 0 ? remaining : pending.points, entries: remaining > 0 ? entries : pending.entries, status: remaining > 0 ? 'pending' : 'cancelled', updatedAt: new Date() })
      .where(and(eq(pendingPoints.merchantId, pending.merchantId), eq(pendingPoints.id, pending.id)));
    await tx.update(customers).set({ pointsPending: sql`${customers.pointsPending} - ${take}` }).where(and(eq(customers.merchantId, order.merchantId), eq(customers.id, order.customerId)));
    return { fromPending: take, posted: null };
  }
  const r = await postEntry(deps, tx, {
    merchantId: order.merchantId, customerId: order.customerId, type: entry.type, points: -points, reason: entry.reason, source: entry.type === 'refund_clawback' ? 'refund' : 'order',
    idempotencyKey: entry.idempotencyKey, actor: entry.actor, orderId: order.id, refundId: entry.refundId ?? null,
  });
  return { fromPending: 0, posted: r.status === 'posted' ? r.entry : null };
}
