import { and, eq } from 'drizzle-orm';
import { customers, orders, type Tx } from '@herethere/db';
import type { Deps, HandlerOutcome, InboxDelivery } from '@herethere/runtime';
import { normalizeEmail } from '../customer/email';
import { ensureCustomer } from '../customer/ensure';
import { invalidateCustomer } from '../customer/cache';
import { afterPosted } from '../ledger/post';
import { creditOrder, factsOf, type OrderRow } from './credit';
import { emitOrderEvent } from './events';
import { parseOrder, type RawOrder } from './payload';
import { programOf } from './settings';

/**
 * orders/paid: record the order and credit its points exactly once. The order row and the ledger
 * entries commit together; a redelivery finds the row and does nothing.
 */
export async function handleOrderPaid(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const ctx = await programOf(tx, d.merchantId);
  if (!ctx) return { outcome: 'shop has no program; nothing credited' };
  const parsed = parseOrder(d.payload as RawOrder, ctx.merchant.currency);
  const baseMinor = ctx.program.earning.base === 'total' ? parsed.totalBaseMinor : parsed.subtotalBaseMinor;
  const cancelled = Boolean((d.payload as { cancelled_at?: unknown }).cancelled_at);
  const emailNormalized = normalizeEmail(parsed.email);

  let customerId: string | null = null;
  if (parsed.shopifyCustomerId) {
    customerId = (await ensureCustomer(tx, d.merchantId, parsed.shopifyCustomerId, {
      email: parsed.email, emailNormalized, firstName: parsed.customer?.firstName, lastName: parsed.customer?.lastName, phone: parsed.customer?.phone,
    })).id;
  }
  const inserted = await tx
    .insert(orders)
    .values({
      merchantId: d.merchantId, id: parsed.orderId, customerId, shopifyCustomerId: parsed.shopifyCustomerId, emailNormalized,
      orderName: parsed.orderName, currency: parsed.currency, totalMinor: parsed.totalMinor, earningBaseMinor: baseMinor,
      status: cancelled ? 'cancelled' : 'paid', discountCodes: parsed.discountCodes, referralCode: parsed.referralCode, processedAt: parsed.processedAt,
    })
    .onConflictDoNothing()
    .returning();
  const order: OrderRow | undefined = inserted[0];
  if (!order) return { outcome: `order ${parsed.orderId} already recorded; nothing credited again` };
  if (cancelled) return { outcome: `order ${parsed.orderId} was cancelled before payment was recorded; nothing credited` };
  if (!customerId) {
    return { outcome: emailNormalized ? `guest order ${parsed.orderId} kept; credited when the customer account appears` : `order ${parsed.orderId} has no customer; nothing credited` };
  }
  if (!ctx.program.enabled) {
    await emitOrderEvent(tx, deps, 'paid', { ...order, customerId }, parsed);
    return { outcome: `program disabled; order ${parsed.orderId} recorded without points` };
  }
  const [state] = await tx.select({ state: customers.state }).from(customers).where(and(eq(customers.merchantId, d.merchantId), eq(customers.id, customerId)));
  if (state?.state === 'redacted') return { outcome: `customer was redacted; order ${parsed.orderId} recorded without points` };

  const credit = await creditOrder(tx, deps, ctx.program, order, customerId, factsOf(order, baseMinor, parsed.productIds));
  await emitOrderEvent(tx, deps, 'paid', { ...order, customerId, pointsEarned: credit.points }, parsed);
  return {
    outcome: credit.pending ? `${credit.points} points pending approval for order ${parsed.orderId}` : `credited ${credit.points} points for order ${parsed.orderId}`,
    after: async () => {
      // Pending points and order counts move without a ledger entry: drop the cached row too.
      if (customerId) await invalidateCustomer(deps, d.merchantId, customerId);
      for (const e of credit.posted) await afterPosted(deps, e);
    },
  };
}
