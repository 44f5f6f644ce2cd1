import { and, eq } from 'drizzle-orm';
import { idempotencyRecords, orders, type Tx } from '@herethere/db';
import type { Deps, HandlerOutcome, InboxDelivery } from '@herethere/runtime';
import { clawbackFor } from '../earning/rules';
import { afterCustomerChange, ledgerMark, postedSince } from '../ledger/post';
import { emitOrderEvent } from './events';
import { parseRefund, type RawRefund } from './payload';
import { reverseOrderPoints } from './reverse';
import { programOf } from './settings';

/**
 * refunds/create: claw back points in proportion to the refunded earning base, at the rate the
 * order earned (not today's rate). A refund that arrives before its order is deferred.
 */
export async function handleRefundCreated(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const mark = ledgerMark(tx);
  const ctx = await programOf(tx, d.merchantId);
  if (!ctx) return { outcome: 'shop has no program; nothing clawed back' };
  const refund = parseRefund(d.payload as RawRefund, ctx.merchant.currency);
  const [order] = await tx.select().from(orders).where(and(eq(orders.merchantId, d.merchantId), eq(orders.id, refund.orderId))).for('update');
  if (!order) return { defer: `order ${refund.orderId} not seen yet; refund ${refund.refundId} will be applied after it` };

  // One effect per Shopify refund id, even when the clawback is zero and no ledger entry exists.
  const first = await tx
    .insert(idempotencyRecords)
    .values({ merchantId: d.merchantId, scope: 'shopify_refund', key: refund.refundId, requestHash: refund.orderId, expiresAt: new Date('9999-12-31T00:00:00Z') })
    .onConflictDoNothing()
    .returning({ key: idempotencyRecords.key });
  if (!first.length) return { outcome: `refund ${refund.refundId} already applied` };

  const refunded = Math.min(order.earningBaseMinor, order.refundedMinor + refund.refundedBaseMinor);
  const full = order.earningBaseMinor > 0 ? refunded >= order.earningBaseMinor : refund.refundedBaseMinor > 0;
  const clawback = order.status === 'cancelled' ? 0 : clawbackFor(order.pointsEarned, order.pointsClawedBack, order.earningBaseMinor, refunded, full);
  const reversed = await reverseOrderPoints(tx, deps, order, clawback, {
    type: 'refund_clawback', idempotencyKey: `refund:${refund.refundId}`, refundId: refund.refundId, actor: 'webhook:refunds/create',
    reason: `Refund on order ${order.id}: ${clawback} of ${order.pointsEarned} points taken back`,
  });
  const updated = { ...order, refundedMinor: refunded, pointsClawedBack: order.pointsClawedBack + clawback, status: order.status === 'cancelled' ? order.status : full ? 'refunded' as const : 'partially_refunded' as const };
  await tx.update(orders).set({ refundedMinor: updated.refundedMinor, pointsClawedBack: updated.pointsClawedBack, status: updated.status, updatedAt: new Date() })
    .where(and(eq(orders.merchantId, d.merchantId), eq(orders.id, order.id)));
  await emitOrderEvent(tx, deps, 'refunded', updated);
  const negative = reversed.posted && reversed.posted.balanceAfter < 0 ? ` (balance now ${reversed.posted.balanceAfter}: points were already spent)` : '';
  const posted = postedSince(tx, mark);
  return {
    outcome: `refund ${refund.refundId}: clawed back ${clawback} points${reversed.fromPending ? ' from pending' : ''}${negative}`,
    after: () => afterCustomerChange(deps, d.merchantId, order.customerId, posted),
  };
}
