import { orders, type Tx } from '@herethere/db';
import type { Deps, HandlerOutcome, InboxDelivery } from '@herethere/runtime';
import { normalizeEmail } from '../customer/email';
import { ensureCustomer } from '../customer/ensure';
import { afterCustomerChange, ledgerMark, postedSince } from '../ledger/post';
import type { OrderFacts } from '../earning/hooks';
import { countOrder, creditOrder, earningEntries, isPending, type OrderRow } from './credit';
import { emitOrderEvent } from './events';
import { parseOrder, type RawOrder } from './payload';
import { programOf } from './settings';

/**
 * orders/paid: record the order and credit its points exactly once. The order row and the ledger
 * entries commit together; a redelivery finds the row and does nothing.
 */
export async function handleOrderPaid(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const mark = ledgerMark(tx);
  const ctx = await programOf(tx, d.merchantId);
  if (!ctx) return { outcome: 'shop has no program; nothing credited' };
  const parsed = parseOrder(d.payload as RawOrder, ctx.merchant.currency);
  const baseMinor = ctx.program.earning.base === 'total' ? parsed.totalBaseMinor : parsed.subtotalBaseMinor;
  const cancelled = Boolean((d.payload as { cancelled_at?: unknown }).cancelled_at);
  const emailNormalized = normalizeEmail(parsed.email);

  const customer = parsed.shopifyCustomerId
    ? await ensureCustomer(tx, d.merchantId, parsed.shopifyCustomerId, {
      email: parsed.email, emailNormalized, firstName: parsed.customer?.firstName, lastName: parsed.customer?.lastName, phone: parsed.customer?.phone,
    })
    : null;
  const customerId = customer?.id ?? null;
  // The points are worked out before the order is recorded, so the row carries them from the start.
  const facts: OrderFacts = { orderId: parsed.orderId, baseMinor, currency: parsed.currency, productIds: parsed.productIds, processedAt: parsed.processedAt };
  const crediting = customer && !cancelled && ctx.program.enabled && customer.state !== 'redacted';
  const entries = crediting ? await earningEntries(tx, deps, ctx.program, customer.id, facts) : [];
  const now = new Date();
  const row: OrderRow = {
    merchantId: d.merchantId, id: parsed.orderId, customerId, shopifyCustomerId: parsed.shopifyCustomerId, emailNormalized,
    orderName: parsed.orderName, currency: parsed.currency, totalMinor: parsed.totalMinor, earningBaseMinor: baseMinor, refundedMinor: 0,
    status: cancelled ? 'cancelled' : 'paid', pointsEarned: entries.reduce((sum, e) => sum + e.points, 0), pointsClawedBack: 0,
    discountCodes: parsed.discountCodes, productIds: parsed.productIds, referralCode: parsed.referralCode, processedAt: parsed.processedAt, createdAt: now, updatedAt: now,
  };
  if (!crediting) {
    const [recorded] = await tx.insert(orders).values(row).onConflictDoNothing().returning({ id: orders.id });
    if (!recorded) return { outcome: `order ${parsed.orderId} already recorded; nothing credited again` };
    if (cancelled) return { outcome: `order ${parsed.orderId} was cancelled before payment was recorded; nothing credited` };
    if (!customerId) {
      return { outcome: emailNormalized ? `guest order ${parsed.orderId} kept; credited when the customer account appears` : `order ${parsed.orderId} has no customer; nothing credited` };
    }
    if (!ctx.program.enabled) {
      await emitOrderEvent(tx, deps, 'paid', row, parsed);
      return { outcome: `program disabled; order ${parsed.orderId} recorded without points` };
    }
    return { outcome: `customer was redacted; order ${parsed.orderId} recorded without points` };
  }

  // One statement records the order and, only if it is new, counts it on the customer's row,
  // taking their lock and returning the ledger head the order's entries chain from.
  const head = await countOrder(deps, tx, {
    merchantId: d.merchantId, customerId: customer.id, totalMinor: row.totalMinor, pendingPoints: isPending(ctx.program, row.pointsEarned) ? row.pointsEarned : 0, now,
  }, row);
  if (!head) return { outcome: `order ${parsed.orderId} already recorded; nothing credited again` };
  const credit = await creditOrder(tx, deps, ctx.program, row, customer.id, facts, entries, head);
  await emitOrderEvent(tx, deps, 'paid', row, parsed);
  const posted = postedSince(tx, mark);
  return {
    outcome: credit.pending ? `${credit.points} points pending approval for order ${parsed.orderId}` : `credited ${credit.points} points for order ${parsed.orderId}`,
    after: () => afterCustomerChange(deps, d.merchantId, customerId, posted),
  };
}
