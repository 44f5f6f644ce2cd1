import { randomUUID } from 'node:crypto';
import { webhookHeaders, type Stack } from './stack';

/** Realistic Shopify webhook payloads (only the fields Shopify sends that matter here). */
const money = (amount: string, currency = 'USD', presentment?: { amount: string; currency: string }) => ({
  shop_money: { amount, currency_code: currency },
  presentment_money: presentment ? { amount: presentment.amount, currency_code: presentment.currency } : { amount, currency_code: currency },
});

export interface LineSpec {
  price: string;
  quantity?: number;
  giftCard?: boolean;
  discount?: string;
  productId?: number;
}

export interface OrderSpec {
  id: number;
  customerId?: number | null;
  email?: string | null;
  lines: LineSpec[];
  shipping?: string;
  tax?: string;
  taxesIncluded?: boolean;
  tip?: string;
  currency?: string;
  /** Presentment currency and rate, to show points are earned on shop money. */
  presentment?: { currency: string; rate: number };
  discountCodes?: string[];
  cancelledAt?: string | null;
  noteAttributes?: { name: string; value: string }[];
}

const cents = (s: string) => Math.round(Number(s) * 100);
const fmt = (c: number) => (c / 100).toFixed(2);

export function orderPayload(spec: OrderSpec): Record<string, unknown> {
  const currency = spec.currency ?? 'USD';
  const pres = (c: number) => (spec.presentment ? { amount: (c / 100 * spec.presentment.rate).toFixed(2), currency: spec.presentment.currency } : undefined);
  const lineItems = spec.lines.map((l, i) => {
    const qty = l.quantity ?? 1;
    const discount = l.discount ? cents(l.discount) : 0;
    return {
      id: spec.id * 100 + i,
      product_id: l.productId ?? 7000 + i,
      variant_id: 9000 + i,
      title: l.giftCard ? 'Gift card' : `Product ${i + 1}`,
      quantity: qty,
      price: l.price,
      price_set: money(l.price, currency, pres(cents(l.price))),
      gift_card: l.giftCard ?? false,
      total_discount_set: money(fmt(discount), currency, pres(discount)),
      discount_allocations: discount ? [{ amount: fmt(discount), amount_set: money(fmt(discount), currency, pres(discount)) }] : [],
    };
  });
  const subtotal = spec.lines.reduce((s, l) => s + cents(l.price) * (l.quantity ?? 1) - (l.discount ? cents(l.discount) : 0), 0);
  const shipping = cents(spec.shipping ?? '0');
  const tax = cents(spec.tax ?? '0');
  const tip = cents(spec.tip ?? '0');
  const total = subtotal + shipping + (spec.taxesIncluded ? 0 : tax) + tip;
  const customer = spec.customerId === null ? null : {
    id: spec.customerId ?? 1, email: spec.email ?? `c${spec.customerId ?? 1}@example.com`, first_name: 'Test', last_name: 'Shopper', phone: null,
  };
  return {
    id: spec.id,
    name: `#${spec.id}`,
    email: spec.email ?? customer?.email ?? null,
    currency,
    presentment_currency: spec.presentment?.currency ?? currency,
    financial_status: 'paid',
    taxes_included: spec.taxesIncluded ?? false,
    created_at: '2026-11-24T10:00:00Z',
    processed_at: '2026-11-24T10:00:00Z',
    cancelled_at: spec.cancelledAt ?? null,
    subtotal_price: fmt(subtotal),
    subtotal_price_set: money(fmt(subtotal), currency, pres(subtotal)),
    total_price: fmt(total),
    total_price_set: money(fmt(total), currency, pres(total)),
    total_tax_set: money(fmt(tax), currency, pres(tax)),
    total_shipping_price_set: money(fmt(shipping), currency, pres(shipping)),
    total_tip_received: fmt(tip),
    total_discounts_set: money('0.00', currency),
    discount_codes: (spec.discountCodes ?? []).map((code) => ({ code, amount: '5.00', type: 'fixed_amount' })),
    note_attributes: spec.noteAttributes ?? [],
    line_items: lineItems,
    customer,
    shipping_address: customer ? { address1: '1 Main St', city: 'Springfield', zip: '12345', country_code: 'US' } : null,
    browser_ip: '203.0.113.9',
  };
}

export function refundPayload(spec: { id: number; orderId: number; lines: { subtotal: string; giftCard?: boolean }[]; currency?: string }): Record<string, unknown> {
  const currency = spec.currency ?? 'USD';
  return {
    id: spec.id,
    order_id: spec.orderId,
    created_at: '2026-11-25T10:00:00Z',
    refund_line_items: spec.lines.map((l, i) => ({
      id: spec.id * 10 + i, quantity: 1, line_item_id: spec.orderId * 100 + i, subtotal: l.subtotal, subtotal_set: money(l.subtotal, currency), line_item: { gift_card: l.giftCard ?? false },
    })),
    transactions: [],
  };
}

export function customerPayload(spec: { id: number; email?: string; firstName?: string; lastName?: string }): Record<string, unknown> {
  return { id: spec.id, email: spec.email ?? `c${spec.id}@example.com`, first_name: spec.firstName ?? 'New', last_name: spec.lastName ?? 'Member', phone: null, email_marketing_consent: { state: 'subscribed' } };
}

/** Delivers a webhook through the gateway exactly as Shopify does (HMAC over the raw body). */
export async function deliver(stack: Stack, shop: string, topic: string, payload: unknown, webhookId: string = randomUUID()): Promise<{ status: number; body: Record<string, unknown> }> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const res = await fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers: webhookHeaders(stack.config.shopify.apiSecret, shop, topic, body, webhookId), body });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Waits until the inbox has processed everything due (or `ms` pass). */
export async function drained(stack: Stack, ms = 10_000): Promise<void> {
  const { sql } = await import('drizzle-orm');
  const until = Date.now() + ms;
  for (;;) {
    const [row] = await stack.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from webhook_inbox where status in ('received','processing') or (status = 'failed' and next_attempt_at <= now())`);
    if (Number(row.n) === 0) return;
    if (Date.now() > until) throw new Error(`inbox not drained: ${row.n} pending`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
