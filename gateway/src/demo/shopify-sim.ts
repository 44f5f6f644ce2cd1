import { createHmac, randomUUID } from 'node:crypto';

/**
 * What Shopify does between a storefront and the app, reproduced for the local demo only: the
 * app proxy's signed query and a signed webhook delivery. Both use the app's API secret exactly
 * as Shopify does, so the gateway's real handlers verify them unchanged.
 */

/**
 * The app proxy's query: shop, path_prefix, timestamp and logged_in_customer_id (empty for a
 * guest), signed with HMAC-SHA256 over the sorted `key=value` pairs joined with nothing, in hex.
 */
export function appProxyQuery(secret: string, shop: string, pathPrefix: string, loggedInCustomerId: string | null, extra: Record<string, string> = {}): URLSearchParams {
  const params: Record<string, string> = {
    ...extra,
    shop,
    path_prefix: pathPrefix,
    timestamp: String(Math.floor(Date.now() / 1000)),
    logged_in_customer_id: loggedInCustomerId ?? '',
  };
  const message = Object.keys(params)
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('');
  const signature = createHmac('sha256', secret).update(message).digest('hex');
  return new URLSearchParams({ ...params, signature });
}

/** Headers of a webhook delivery: HMAC-SHA256 of the raw body with the app secret, base64. */
export function webhookDeliveryHeaders(secret: string, shop: string, topic: string, body: string, apiVersion: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': shop,
    'x-shopify-api-version': apiVersion,
    'x-shopify-webhook-id': randomUUID(),
    'x-shopify-triggered-at': new Date().toISOString(),
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
  };
}

export interface DemoCustomer {
  shopifyCustomerId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

const PRODUCTS = [
  { id: 8_001, title: 'Canvas tote', price: 2400 },
  { id: 8_002, title: 'Ceramic mug', price: 1800 },
  { id: 8_003, title: 'Wool beanie', price: 3200 },
  { id: 8_004, title: 'Notebook set', price: 1500 },
];

const money = (minor: number) => (minor / 100).toFixed(2);
/** Shopify's MoneyBag: the amount in shop and presentment currency (the same here). */
const moneySet = (minor: number, currency: string) => ({ shop_money: { amount: money(minor), currency_code: currency }, presentment_money: { amount: money(minor), currency_code: currency } });

/** An orders/paid payload shaped like Shopify's Order resource (REST webhook format). */
export function demoOrderPayload(customer: DemoCustomer, currency: string, orderNumber: number): Record<string, unknown> {
  const lines = [PRODUCTS[orderNumber % PRODUCTS.length], PRODUCTS[(orderNumber + 1) % PRODUCTS.length]];
  const subtotal = lines.reduce((s, p) => s + p.price, 0);
  const shipping = 500;
  const id = 5_000_000_000_000 + orderNumber;
  const now = new Date().toISOString();
  return {
    id,
    admin_graphql_api_id: `gid://shopify/Order/${id}`,
    name: `#${orderNumber}`,
    order_number: orderNumber,
    email: customer.email,
    created_at: now,
    updated_at: now,
    processed_at: now,
    currency,
    presentment_currency: currency,
    financial_status: 'paid',
    fulfillment_status: null,
    test: true,
    taxes_included: false,
    subtotal_price: money(subtotal),
    subtotal_price_set: moneySet(subtotal, currency),
    current_subtotal_price: money(subtotal),
    current_subtotal_price_set: moneySet(subtotal, currency),
    total_discounts: '0.00',
    total_discounts_set: moneySet(0, currency),
    total_tax: '0.00',
    total_tax_set: moneySet(0, currency),
    total_price: money(subtotal + shipping),
    total_price_set: moneySet(subtotal + shipping, currency),
    current_total_price: money(subtotal + shipping),
    current_total_price_set: moneySet(subtotal + shipping, currency),
    total_shipping_price_set: moneySet(shipping, currency),
    discount_codes: [],
    customer: {
      id: Number(customer.shopifyCustomerId),
      admin_graphql_api_id: `gid://shopify/Customer/${customer.shopifyCustomerId}`,
      email: customer.email,
      first_name: customer.firstName,
      last_name: customer.lastName,
    },
    line_items: lines.map((p, i) => ({
      id: id * 10 + i,
      product_id: p.id,
      variant_id: p.id * 10,
      title: p.title,
      name: p.title,
      quantity: 1,
      gift_card: false,
      price: money(p.price),
      price_set: moneySet(p.price, currency),
      total_discount: '0.00',
      total_discount_set: moneySet(0, currency),
      discount_allocations: [],
    })),
    refunds: [],
  };
}
