import { and, eq } from 'drizzle-orm';
import { orders, type Tx } from '@herethere/db';
import type { Deps, HandlerOutcome, InboxDelivery } from '@herethere/runtime';
import { normalizeEmail } from '../customer/email';
import { afterCustomerChange, ledgerMark, postedSince } from '../ledger/post';
import { emitOrderEvent } from './events';
import { parseOrder, type RawOrder } from './payload';
import { reverseOrderPoints } from './reverse';
import { programOf } from './settings';

/**
 * orders/cancelled: reverse whatever the order still holds. A cancellation that arrives before
 * orders/paid records the order as cancelled, so the late paid delivery credits nothing.
 */
export async function handleOrderCancelled(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const mark = ledgerMark(tx);
  const ctx = await programOf(tx, d.merchantId);
  if (!ctx) return { outcome: 'shop has no program; nothing reversed' };
  const parsed = parseOrder(d.payload as RawOrder, ctx.merchant.currency);
  const [order] = await tx.select().from(orders).where(and(eq(orders.merchantId, d.merchantId), eq(orders.id, parsed.orderId))).for('update');
  if (!order) {
    await tx.insert(orders).values({
      merchantId: d.merchantId, id: parsed.orderId, shopifyCustomerId: parsed.shopifyCustomerId, emailNormalized: normalizeEmail(parsed.email), orderName: parsed.orderName,
      currency: parsed.currency, totalMinor: parsed.totalMinor, earningBaseMinor: 0, status: 'cancelled', processedAt: parsed.processedAt,
    }).onConflictDoNothing();
    return { outcome: `order ${parsed.orderId} cancelled before it was paid; nothing to reverse` };
  }
  if (order.status === 'cancelled') return { outcome: `order ${order.id} already cancelled` };
  const remaining = order.pointsEarned - order.pointsClawedBack;
  const reversed = await reverseOrderPoints(tx, deps, order, remaining, {
    type: 'cancellation', idempotencyKey: `cancel:${order.id}`, actor: 'webhook:orders/cancelled', reason: `Order ${order.id} cancelled: ${remaining} points reversed`,
  });
  const updated = { ...order, status: 'cancelled' as const, pointsClawedBack: order.pointsEarned };
  await tx.update(orders).set({ status: 'cancelled', pointsClawedBack: order.pointsEarned, updatedAt: new Date() }).where(and(eq(orders.merchantId, d.merchantId), eq(orders.id, order.id)));
  await emitOrderEvent(tx, deps, 'cancelled', updated, parsed);
  const posted = postedSince(tx, mark);
  return {
    outcome: `order ${order.id} cancelled: reversed ${remaining} points${reversed.fromPending ? ' from pending' : ''}`,
    after: () => afterCustomerChange(deps, d.merchantId, order.customerId, posted),
  };
}
