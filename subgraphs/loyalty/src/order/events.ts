import type { Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { orderEventListeners, type OrderEvent } from '../earning/hooks';
import type { OrderRow } from './credit';
import type { ParsedOrder } from './payload';

export async function emitOrderEvent(tx: Tx, deps: Deps, kind: OrderEvent['kind'], order: OrderRow, parsed?: ParsedOrder): Promise<void> {
  const event: OrderEvent = {
    kind,
    merchantId: order.merchantId,
    customerId: order.customerId,
    orderId: order.id,
    totalMinor: order.totalMinor,
    earningBaseMinor: order.earningBaseMinor,
    refundedMinor: order.refundedMinor,
    currency: order.currency,
    discountCodes: order.discountCodes,
    referralCode: order.referralCode,
    emailNormalized: order.emailNormalized,
    shopifyCustomerId: order.shopifyCustomerId,
    shippingAddress: parsed?.shippingAddress ?? null,
    browserIp: parsed?.browserIp ?? null,
    processedAt: order.processedAt,
  };
  for (const listener of orderEventListeners()) await listener(tx, deps, event);
}
