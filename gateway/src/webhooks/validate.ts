import { parseOrder, parseRefund, PayloadError, type RawOrder, type RawRefund } from '@herethere/loyalty/order/payload';

export type Admission = { ok: true } | { ok: false; status: 200 | 422; error: string; message: string };

/**
 * Checks a delivery's payload before it is acknowledged, so a malformed one is refused with a
 * clear error and nothing is written. An order with no customer at all (no account, no email)
 * is acknowledged but ignored: Shopify would otherwise retry it for two days.
 */
export function admit(topic: string, payload: Record<string, unknown>, shopCurrency: string): Admission {
  try {
    if (topic === 'orders/paid' || topic === 'orders/cancelled') {
      const order = parseOrder(payload as RawOrder, shopCurrency);
      if (topic === 'orders/paid' && !order.shopifyCustomerId && !order.email) {
        return { ok: false, status: 200, error: 'no_customer', message: `order ${order.orderId} has no customer or email; nothing to credit` };
      }
    } else if (topic === 'refunds/create') {
      parseRefund(payload as RawRefund, shopCurrency);
    } else if (topic === 'customers/create' || topic === 'customers/update') {
      const id = payload.id;
      if (!(typeof id === 'number' && Number.isSafeInteger(id) && id > 0) && !(typeof id === 'string' && /^\d{1,20}$/.test(id))) {
        throw new PayloadError('customer id is missing or not numeric');
      }
    }
    return { ok: true };
  } catch (err) {
    if (err instanceof PayloadError) return { ok: false, status: 422, error: 'invalid_payload', message: `${topic}: ${err.message}` };
    throw err;
  }
}
