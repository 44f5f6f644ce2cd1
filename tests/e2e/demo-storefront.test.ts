import { desc } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookInbox } from '@herethere/db';
import { DEMO_COOKIE } from '@herethere/gateway/demo/index';
import { DEMO_SHOP, seedDemo } from '@herethere/gateway/seed';
import { count, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;

beforeAll(async () => {
  stack = await startStack();
  ({ merchantId } = await seedDemo(stack.deps));
});
afterAll(() => stack?.stop());

const as = (customer?: string): RequestInit => (customer ? { headers: { cookie: `${DEMO_COOKIE}=${customer}` } } : {});
const embedOf = (html: string) => /<div\s+id="herethere-loyalty"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';

describe('the demo storefront', () => {
  it('renders the theme extension’s app embed with the shop’s context and loads the widget asset', async () => {
    for (const path of ['/', '/demo']) {
      const res = await fetch(`${stack.url}${path}?locale=es`);
      expect(res.status).toBe(200);
      const html = await res.text();
      const embed = embedOf(html);
      expect(embed).toContain(`data-shop="${DEMO_SHOP}"`);
      expect(embed).toContain('data-customer-logged-in="false"');
      expect(embed).toContain('data-locale="es"');
      expect(embed).toContain('data-proxy-path="/apps/loyalty"');
      expect(html).toContain('<script src="/clients/widget/widget.js" defer></script>');
    }
    const script = await fetch(`${stack.url}/clients/widget/widget.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
  });

  it('tells the widget a customer is logged in without ever giving it the customer’s id', async () => {
    const embed = embedOf(await (await fetch(`${stack.url}/demo`, as('1001'))).text());
    expect(embed).toContain('data-customer-logged-in="true"');
    expect(embed).not.toContain('1001');
  });

  it('answers the app proxy like Shopify: a visitor token for guests, a customer token for the logged-in demo customer', async () => {
    const guest = await fetch(`${stack.url}/apps/loyalty/session`);
    expect(guest.status).toBe(200);
    expect(guest.headers.get('cache-control')).toBe('no-store');
    const g = (await guest.json()) as { kind: string; token: string };
    expect(g.kind).toBe('visitor');
    expect(decodeJwt(g.token)).toMatchObject({ kind: 'visitor', mid: merchantId, shop: DEMO_SHOP });

    const customer = (await (await fetch(`${stack.url}/apps/loyalty/session`, as('1001'))).json()) as { kind: string; token: string; customerId: string };
    expect(customer.kind).toBe('customer');
    expect(decodeJwt(customer.token)).toMatchObject({ kind: 'customer', mid: merchantId, scid: '1001', sub: customer.customerId });
  });

  it('ignores a demo cookie that does not name one of the demo shop’s customers', async () => {
    for (const forged of ['999999', '1001%20OR%201%3D1', 'abc']) {
      const body = (await (await fetch(`${stack.url}/apps/loyalty/session`, as(forged))).json()) as { kind: string };
      expect(body.kind).toBe('visitor');
    }
    const login = await fetch(`${stack.url}/demo/login`, { method: 'POST', body: new URLSearchParams({ customer: '999999' }), redirect: 'manual' });
    expect(login.status).toBe(400);
    expect(login.headers.get('set-cookie')).toBeNull();
  });

  it('logs a demo customer in and out with a cookie', async () => {
    const login = await fetch(`${stack.url}/demo/login`, { method: 'POST', body: new URLSearchParams({ customer: '1002' }), redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(login.headers.get('set-cookie')).toMatch(new RegExp(`^${DEMO_COOKIE}=1002; Path=/; HttpOnly; SameSite=Lax`));
    const logout = await fetch(`${stack.url}/demo/logout`, { method: 'POST', redirect: 'manual' });
    expect(logout.headers.get('set-cookie')).toMatch(/Max-Age=0/);
  });

  it('simulates an order as a signed orders/paid webhook the gateway accepts', async () => {
    const before = await count(stack, 'webhook_inbox');
    const refused = await fetch(`${stack.url}/demo/orders`, { method: 'POST' });
    expect(refused.status).toBe(400);
    expect(await count(stack, 'webhook_inbox')).toBe(before);
    const res = await fetch(`${stack.url}/demo/orders`, { method: 'POST', ...as('1001') });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { message: string }).message).toMatch(/^Order #\d+ paid: the orders\/paid webhook was accepted\.$/);
    const [row] = await stack.deps.db.db.select({ topic: webhookInbox.topic, payload: webhookInbox.payload }).from(webhookInbox).orderBy(desc(webhookInbox.receivedAt)).limit(1);
    expect(row.topic).toBe('orders/paid');
    expect(row.payload).toMatchObject({ financial_status: 'paid', customer: { id: 1001 }, subtotal_price_set: { shop_money: { currency_code: 'USD' } } });
  });
});

describe('in production', () => {
  let prod: Stack;
  beforeAll(async () => {
    prod = await startStack({ nodeEnv: 'production' });
    await seedDemo(prod.deps);
  });
  afterAll(() => prod?.stop());

  it('serves no demo storefront, app proxy stand-in or order simulator', async () => {
    for (const path of ['/', '/demo', '/apps/loyalty/session', '/demo/account/login']) {
      expect((await fetch(`${prod.url}${path}`, as('1001'))).status, path).toBe(404);
    }
    for (const path of ['/demo/orders', '/demo/login']) {
      expect((await fetch(`${prod.url}${path}`, { method: 'POST', ...as('1001') })).status, path).toBe(404);
    }
  });
});
