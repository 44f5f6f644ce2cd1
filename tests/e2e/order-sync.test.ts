import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topics } from '@herethere/runtime';
import { customerPayload, deliver, drained, orderPayload, refundPayload } from '../support/shopify';
import { count, gql, install, merchantToken, startStack, webhookHeaders, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
const SHOP = 'sync-shop.myshopify.com';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);
async function customerByShopifyId(id: number) {
  const [c] = await rows<{ id: string; points_balance: number; points_pending: number; state: string; email: string | null; orders_count: number }>(
    sql`select id, points_balance, points_pending, state, email, orders_count from customers where merchant_id = ${merchantId} and shopify_customer_id = ${String(id)}`,
  );
  return c;
}
const ledgerOf = (customerId: string) =>
  rows<{ type: string; points: number; balance_after: number; reason: string }>(sql`select type, points, balance_after, reason from points_transactions where merchant_id = ${merchantId} and customer_id = ${customerId} order by seq`);
const outcomeOf = async (webhookId: string) => (await rows<{ status: string; outcome: string }>(sql`select status, outcome from webhook_inbox where webhook_id = ${webhookId}`))[0];

async function paid(spec: Parameters<typeof orderPayload>[0], webhookId = randomUUID()) {
  const r = await deliver(stack, SHOP, 'orders/paid', orderPayload(spec), webhookId);
  expect(r.status).toBe(200);
  await drained(stack);
  return webhookId;
}

beforeAll(async () => {
  stack = await startStack({}, {});
  merchantId = await install(stack, SHOP);
  // Signup bonus off here so each test reads only what the order did.
  await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
});
afterAll(() => stack?.stop());

describe('orders/paid', () => {
  it('credits the subtotal after discounts, excluding shipping, tax, tips and gift cards — once', async () => {
    const id = await paid({ id: 1001, customerId: 501, lines: [{ price: '25.00', quantity: 2 }, { price: '30.00', discount: '5.00' }, { price: '50.00', giftCard: true }], shipping: '10.00', tax: '6.00', tip: '3.00' });
    const c = await customerByShopifyId(501);
    expect(c.points_balance).toBe(75);
    expect(c.orders_count).toBe(1);
    expect(await ledgerOf(c.id)).toEqual([{ type: 'purchase', points: 75, balance_after: 75, reason: 'Order 1001' }]);
    expect(await outcomeOf(id)).toEqual({ status: 'processed', outcome: 'credited 75 points for order 1001' });
  });

  it('drops duplicate deliveries, including two copies arriving at the same moment, and a redelivery under a new id', async () => {
    const payload = orderPayload({ id: 1002, customerId: 502, lines: [{ price: '40.00' }] });
    const webhookId = randomUUID();
    const [a, b] = await Promise.all([deliver(stack, SHOP, 'orders/paid', payload, webhookId), deliver(stack, SHOP, 'orders/paid', payload, webhookId)]);
    expect([a.body.status, b.body.status].sort()).toEqual(['accepted', 'duplicate']);
    await deliver(stack, SHOP, 'orders/paid', payload, randomUUID());
    await drained(stack);
    const c = await customerByShopifyId(502);
    expect(await ledgerOf(c.id)).toHaveLength(1);
    expect(c.points_balance).toBe(40);
    expect(Number((await rows<{ n: number }>(sql`select count(*)::int as n from webhook_inbox where webhook_id = ${webhookId}`))[0].n)).toBe(1);
  });

  it('earns on shop money when the shopper paid in another currency', async () => {
    await paid({ id: 1003, customerId: 503, lines: [{ price: '100.00' }], presentment: { currency: 'EUR', rate: 0.5 } });
    expect((await customerByShopifyId(503)).points_balance).toBe(100);
  });

  it('takes tax out of the base when prices include tax', async () => {
    await paid({ id: 1004, customerId: 504, lines: [{ price: '120.00' }], tax: '20.00', taxesIncluded: true });
    expect((await customerByShopifyId(504)).points_balance).toBe(100);
  });

  it('pushes the new balance, the delta, the type and the reason to live subscribers', async () => {
    const iterator = stack.deps.pubsub.subscribe<{ balance: number; delta: number; entryType: string; reason: string }>(topics.customerBalance(merchantId, (await customerByShopifyId(501)).id));
    const next = iterator.next();
    await new Promise((r) => setTimeout(r, 300)); // Redis needs a moment to register the subscription
    await paid({ id: 1005, customerId: 501, lines: [{ price: '10.00' }] });
    const event = (await next).value;
    expect(event).toMatchObject({ balance: 85, delta: 10, entryType: 'purchase', reason: 'Order 1005' });
    await iterator.return?.();
  });
});

describe('refunds and cancellations', () => {
  it('claws back partial refunds in proportion, at the rate the order earned', async () => {
    await paid({ id: 2001, customerId: 601, lines: [{ price: '60.00' }, { price: '40.00' }] });
    // The merchant doubles the rate afterwards: the refund still claws at the order's rate.
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{pointsPerCurrencyUnit}', '2') where merchant_id = ${merchantId}`);
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9001, orderId: 2001, lines: [{ subtotal: '40.00' }] }));
    await drained(stack);
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9002, orderId: 2001, lines: [{ subtotal: '60.00' }] }));
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9002, orderId: 2001, lines: [{ subtotal: '60.00' }] }));
    await drained(stack);
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{pointsPerCurrencyUnit}', '1') where merchant_id = ${merchantId}`);
    const c = await customerByShopifyId(601);
    expect((await ledgerOf(c.id)).map((e) => [e.type, e.points])).toEqual([['purchase', 100], ['refund_clawback', -40], ['refund_clawback', -60]]);
    const [order] = await rows<{ status: string; points_clawed_back: number }>(sql`select status, points_clawed_back from orders where merchant_id = ${merchantId} and id = '2001'`);
    expect(order).toEqual({ status: 'refunded', points_clawed_back: 100 });
  });

  it('applies a refund that arrives before its order once the order is in', async () => {
    const refundHook = randomUUID();
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9101, orderId: 2101, lines: [{ subtotal: '25.00' }] }), refundHook);
    for (let i = 0; i < 100 && !(await outcomeOf(refundHook))?.outcome; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await outcomeOf(refundHook)).outcome).toMatch(/order 2101 not seen yet/);
    await paid({ id: 2101, customerId: 602, lines: [{ price: '50.00' }] });
    await rows(sql`update webhook_inbox set next_attempt_at = now() where webhook_id = ${refundHook}`);
    await drained(stack);
    expect((await outcomeOf(refundHook)).status).toBe('processed');
    expect((await customerByShopifyId(602)).points_balance).toBe(25);
  });

  it('a clawback of points already spent takes the balance below zero and says so', async () => {
    await paid({ id: 2201, customerId: 603, lines: [{ price: '30.00' }] });
    const c = await customerByShopifyId(603);
    const token = await merchantToken(stack.config, SHOP);
    await gql(stack.url, token, 'mutation($i: PointsAdjustInput!) { pointsAdjust(input: $i) { userErrors { code } } }', { i: { customerId: c.id, points: -30, reason: 'Spent at the counter', idempotencyKey: 'spend-603' } });
    const hook = randomUUID();
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9201, orderId: 2201, lines: [{ subtotal: '30.00' }] }), hook);
    await drained(stack);
    expect((await customerByShopifyId(603)).points_balance).toBe(-30);
    expect((await outcomeOf(hook)).outcome).toMatch(/balance now -30: points were already spent/);
  });

  it('reverses a cancelled order, and a cancellation before payment means the late paid credits nothing', async () => {
    await paid({ id: 2301, customerId: 604, lines: [{ price: '20.00' }] });
    await deliver(stack, SHOP, 'orders/cancelled', orderPayload({ id: 2301, customerId: 604, lines: [{ price: '20.00' }], cancelledAt: '2026-11-24T11:00:00Z' }));
    await deliver(stack, SHOP, 'orders/cancelled', orderPayload({ id: 2302, customerId: 604, lines: [{ price: '70.00' }], cancelledAt: '2026-11-24T11:00:00Z' }));
    await drained(stack);
    await paid({ id: 2302, customerId: 604, lines: [{ price: '70.00' }] });
    const c = await customerByShopifyId(604);
    expect((await ledgerOf(c.id)).map((e) => [e.type, e.points])).toEqual([['purchase', 20], ['cancellation', -20]]);
    expect(c.points_balance).toBe(0);
  });
});

describe('pending points', () => {
  it('holds purchase points during the approval period: visible, not spendable, cancelled with the order', async () => {
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{approvalDays}', '14') where merchant_id = ${merchantId}`);
    await paid({ id: 3001, customerId: 701, lines: [{ price: '80.00' }] });
    await paid({ id: 3002, customerId: 701, lines: [{ price: '20.00' }] });
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{approvalDays}', '0') where merchant_id = ${merchantId}`);
    let c = await customerByShopifyId(701);
    expect(c).toMatchObject({ points_balance: 0, points_pending: 100 });
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9301, orderId: 3001, lines: [{ subtotal: '20.00' }] }));
    await deliver(stack, SHOP, 'orders/cancelled', orderPayload({ id: 3002, customerId: 701, lines: [{ price: '20.00' }], cancelledAt: '2026-11-24T11:00:00Z' }));
    await drained(stack);
    c = await customerByShopifyId(701);
    expect(c).toMatchObject({ points_balance: 0, points_pending: 60 });
    expect(await ledgerOf(c.id)).toEqual([]);
    const pending = await rows<{ order_id: string; points: number; status: string }>(sql`select order_id, points, status from pending_points where merchant_id = ${merchantId} order by order_id`);
    expect(pending).toEqual([{ order_id: '3001', points: 60, status: 'pending' }, { order_id: '3002', points: 20, status: 'cancelled' }]);
  });
});

describe('customers', () => {
  it('customers/create joins with the signup bonus once, and credits earlier guest orders with the same email', async () => {
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '200') where merchant_id = ${merchantId}`);
    await paid({ id: 4001, customerId: null, email: 'Guest.Buyer@example.com', lines: [{ price: '35.00' }] });
    expect(await customerByShopifyId(801)).toBeUndefined();
    await deliver(stack, SHOP, 'customers/create', customerPayload({ id: 801, email: 'guest.buyer@example.com' }));
    await deliver(stack, SHOP, 'customers/create', customerPayload({ id: 801, email: 'guest.buyer@example.com' }));
    await drained(stack);
    await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
    const c = await customerByShopifyId(801);
    expect((await ledgerOf(c.id)).map((e) => [e.type, e.points])).toEqual([['signup', 200], ['purchase', 35]]);
    await deliver(stack, SHOP, 'customers/update', customerPayload({ id: 801, email: 'new.address@example.com' }));
    await drained(stack);
    expect((await customerByShopifyId(801)).email).toBe('new.address@example.com');
  });
});

describe('shop lifecycle and compliance', () => {
  it('customers/data_request exports what is held; customers/redact erases it and keeps the amounts', async () => {
    await paid({ id: 5001, customerId: 901, email: 'private@example.com', lines: [{ price: '15.00' }] });
    const c = await customerByShopifyId(901);
    await deliver(stack, SHOP, 'customers/data_request', { shop_domain: SHOP, customer: { id: 901, email: 'private@example.com' }, data_request: { id: 77 } });
    await drained(stack);
    const [exported] = await rows<{ kind: string; file_content: string }>(sql`select kind, file_content from export_jobs where merchant_id = ${merchantId} and kind = 'customer_data_request'`);
    expect(JSON.parse(exported.file_content)).toMatchObject({ customer: { email: 'private@example.com' }, pointsTransactions: [{ points: 15 }] });

    const hook = randomUUID();
    await deliver(stack, SHOP, 'customers/redact', { shop_domain: SHOP, customer: { id: 901, email: 'private@example.com' }, orders_to_redact: [5001] }, hook);
    await drained(stack);
    const [after] = await rows<Record<string, unknown>>(sql`select email, first_name, shopify_customer_id, state, points_balance from customers where merchant_id = ${merchantId} and id = ${c.id}`);
    expect(after).toEqual({ email: null, first_name: null, shopify_customer_id: null, state: 'redacted', points_balance: 15 });
    expect(await ledgerOf(c.id)).toHaveLength(1);
  });

  it('a redaction for an unknown customer says so and changes nothing', async () => {
    const before = await rows(sql`select * from customers where merchant_id = ${merchantId} order by id`);
    const hook = randomUUID();
    const r = await deliver(stack, SHOP, 'customers/redact', { shop_domain: SHOP, customer: { id: 123456789 } }, hook);
    expect(r.status).toBe(200);
    await drained(stack);
    expect(await outcomeOf(hook)).toEqual({ status: 'processed', outcome: 'no customer 123456789 in this shop; nothing to erase' });
    expect(await rows(sql`select * from customers where merchant_id = ${merchantId} order by id`)).toEqual(before);
  });

  it('acknowledges and logs unknown topics; shop/update keeps the time zone current', async () => {
    const hook = randomUUID();
    await deliver(stack, SHOP, 'products/update', { id: 1 }, hook);
    await deliver(stack, SHOP, 'shop/update', { name: 'Sync Shop', iana_timezone: 'Europe/Paris', currency: 'USD' });
    await drained(stack);
    expect(await outcomeOf(hook)).toEqual({ status: 'processed', outcome: 'unknown topic products/update: acknowledged and logged' });
    const [m] = await rows<{ name: string; timezone: string }>(sql`select name, timezone from merchants where id = ${merchantId}`);
    expect(m).toEqual({ name: 'Sync Shop', timezone: 'Europe/Paris' });
  });
});

describe('bad deliveries: a clear error and nothing written', () => {
  const post = (headers: Record<string, string>, body: string) => fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers, body });
  const sign = (topic: string, body: string, shop = SHOP) => webhookHeaders(stack.config.shopify.apiSecret, shop, topic, body);

  it.each([
    ['malformed JSON', () => post(sign('orders/paid', '{"id": 1,'), '{"id": 1,'), 400, 'malformed_json'],
    ['a missing HMAC', () => {
      const body = JSON.stringify(orderPayload({ id: 6001, customerId: 1, lines: [{ price: '1.00' }] }));
      const { 'x-shopify-hmac-sha256': _omit, ...headers } = sign('orders/paid', body);
      void _omit;
      return post(headers, body);
    }, 401, 'invalid_hmac'],
    ['a missing topic header', () => {
      const body = '{}';
      const { 'x-shopify-topic': _omit, ...headers } = sign('orders/paid', body);
      void _omit;
      return post(headers, body);
    }, 400, 'missing_headers'],
    ['a missing shop header', () => {
      const body = '{}';
      const { 'x-shopify-shop-domain': _omit, ...headers } = sign('orders/paid', body);
      void _omit;
      return post(headers, body);
    }, 400, 'missing_headers'],
    ['a shop that is not installed', () => {
      const body = JSON.stringify(orderPayload({ id: 6002, customerId: 1, lines: [{ price: '1.00' }] }));
      return post(sign('orders/paid', body, 'stranger.myshopify.com'), body);
    }, 404, 'shop_not_installed'],
    ['a body over the size limit', () => {
      const body = JSON.stringify({ ...orderPayload({ id: 6003, customerId: 1, lines: [{ price: '1.00' }] }), note: 'x'.repeat(1_100_000) });
      return post(sign('orders/paid', body), body);
    }, 413, 'body_too_large'],
    ['a non-numeric amount', () => {
      const p = orderPayload({ id: 6004, customerId: 1, lines: [{ price: '1.00' }] });
      (p.subtotal_price_set as { shop_money: { amount: string } }).shop_money.amount = 'ten dollars';
      const body = JSON.stringify(p);
      return post(sign('orders/paid', body), body);
    }, 422, 'invalid_payload'],
    ['a negative amount', () => {
      const p = orderPayload({ id: 6005, customerId: 1, lines: [{ price: '1.00' }] });
      ((p.line_items as { price_set: { shop_money: { amount: string } } }[])[0]).price_set.shop_money.amount = '-5.00';
      const body = JSON.stringify(p);
      return post(sign('orders/paid', body), body);
    }, 422, 'invalid_payload'],
    ['an order with no customer', () => {
      const body = JSON.stringify(orderPayload({ id: 6006, customerId: null, email: null, lines: [{ price: '9.00' }] }));
      return post(sign('orders/paid', body), body);
    }, 200, 'no_customer'],
  ])('%s', async (_label, send, status, error) => {
    const before = { inbox: await count(stack, 'webhook_inbox'), ledger: await count(stack, 'points_transactions'), orders: await count(stack, 'orders'), customers: await count(stack, 'customers') };
    const res = await send();
    expect(res.status).toBe(status);
    const body = (await res.json()) as { error: string; message: string };
    expect(body.error).toBe(error);
    expect(body.message.length).toBeGreaterThan(10);
    expect({ inbox: await count(stack, 'webhook_inbox'), ledger: await count(stack, 'points_transactions'), orders: await count(stack, 'orders'), customers: await count(stack, 'customers') }).toEqual(before);
  });
});

describe('app/uninstalled', () => {
  it('deactivates the shop: its merchant tokens stop working, data is kept', async () => {
    const shop = 'leaving-shop.myshopify.com';
    const id = await install(stack, shop);
    const token = await merchantToken(stack.config, shop);
    expect((await gql(stack.url, token, '{ shop { id } }')).status).toBe(200);
    await deliver(stack, shop, 'app/uninstalled', { id: 1, domain: shop });
    await drained(stack);
    await new Promise((r) => setTimeout(r, 50));
    const [m] = await rows<{ status: string }>(sql`select status from merchants where id = ${id}`);
    expect(m.status).toBe('uninstalled');
    expect((await gql(stack.url, token, '{ shop { id } }')).status).toBe(401);
    expect(await count(stack, 'customers')).toBeGreaterThan(0);
  });
});
