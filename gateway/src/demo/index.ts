import { and, asc, eq, isNotNull } from 'drizzle-orm';
import express, { type Express, type Request, type Response } from 'express';
import { customers, merchants } from '@herethere/db';
import type { GatewayAppOptions } from '../app';
import { DEMO_SHOP } from '../seed';
import { renderAppEmbed, renderLogin, renderStorefront } from './page';
import { appProxyQuery, demoOrderPayload, webhookDeliveryHeaders, type DemoCustomer } from './shopify-sim';
import { ensureWidgetBuilt, WIDGET_DIST } from './widget-build';

/**
 * A local stand-in for a Shopify storefront with the loyalty app embed, so a new user sees the
 * widget working right after `pnpm start`:
 *   GET  / and /demo            the storefront page with the app embed block rendered
 *   GET  /apps/loyalty/session  the app proxy: signs the query as Shopify does and forwards it
 *                               to the gateway's real /proxy/session handler
 *   POST /demo/login, /demo/logout, GET /demo/account/login   the "log in as a demo customer" switch
 *   POST /demo/orders           sends a signed orders/paid webhook for the logged-in customer
 *   GET  /clients/widget/*      the widget build, rebuilt when its sources changed
 * Never registered when NODE_ENV=production.
 */
export const DEMO_COOKIE = 'herethere_demo_customer';
export const DEMO_PROXY_PREFIX = '/apps/loyalty';
const LOCALE = /^[a-z]{2}(-[A-Z]{2})?$/;

function cookie(req: Request, name: string): string | null {
  for (const part of (req.header('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}

export function registerDemoRoutes(app: Express, o: Pick<GatewayAppOptions, 'deps'>): void {
  const { deps } = o;
  if (deps.config.nodeEnv === 'production') {
    deps.log.info('demo storefront disabled in production');
    return;
  }
  const db = deps.db.db;
  const shopRow = async () => {
    const [m] = await db.select({ id: merchants.id, name: merchants.name, currency: merchants.currency }).from(merchants).where(eq(merchants.shopDomain, DEMO_SHOP));
    return m ?? null;
  };
  const demoCustomers = async (merchantId: string): Promise<DemoCustomer[]> => {
    const rows = await db
      .select({ shopifyCustomerId: customers.shopifyCustomerId, email: customers.email, firstName: customers.firstName, lastName: customers.lastName })
      .from(customers)
      .where(and(eq(customers.merchantId, merchantId), isNotNull(customers.shopifyCustomerId)))
      .orderBy(asc(customers.createdAt))
      .limit(20);
    return rows.filter((r): r is DemoCustomer => Boolean(r.shopifyCustomerId));
  };
  /** The logged-in demo customer, only if the cookie names a customer of the demo shop. */
  const current = async (req: Request, merchantId: string): Promise<DemoCustomer | null> => {
    const id = cookie(req, DEMO_COOKIE);
    if (!id || !/^\d{1,20}$/.test(id)) return null;
    return (await demoCustomers(merchantId)).find((c) => c.shopifyCustomerId === id) ?? null;
  };

  const storefront = async (req: Request, res: Response) => {
    void ensureWidgetBuilt(deps.log);
    const shop = await shopRow();
    const list = shop ? await demoCustomers(shop.id) : [];
    const me = shop ? await current(req, shop.id) : null;
    const requested = typeof req.query.locale === 'string' && LOCALE.test(req.query.locale) ? req.query.locale : 'en';
    const embed = shop ? await renderAppEmbed({ shop: DEMO_SHOP, shopifyCustomerId: me?.shopifyCustomerId ?? null, locale: requested, proxyPath: DEMO_PROXY_PREFIX }) : '';
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(renderStorefront({ shopName: shop?.name ?? 'Demo Shop', customers: list, current: me, locale: requested, embed, installed: Boolean(shop) }));
  };
  app.get(['/', '/demo'], storefront);

  app.get('/demo/account/login', async (_req, res) => {
    const shop = await shopRow();
    res.type('html').send(renderLogin(shop ? await demoCustomers(shop.id) : []));
  });
  app.post('/demo/login', express.urlencoded({ extended: false, limit: '2kb' }), async (req, res) => {
    const shop = await shopRow();
    const id = String((req.body as Record<string, unknown> | undefined)?.customer ?? '');
    const known = shop ? (await demoCustomers(shop.id)).some((c) => c.shopifyCustomerId === id) : false;
    if (!known) return res.status(400).type('text').send('Pick one of the demo customers.');
    res.setHeader('Set-Cookie', `${DEMO_COOKIE}=${encodeURIComponent(id)}; Path=/; HttpOnly; SameSite=Lax`);
    return res.redirect(303, '/demo');
  });
  app.post('/demo/logout', (_req, res) => {
    res.setHeader('Set-Cookie', `${DEMO_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`);
    res.redirect(303, '/demo');
  });

  // The app proxy: Shopify signs the forwarded query (with the logged-in customer) using the app
  // secret and fetches the app's proxy URL; cookies never travel to the app.
  app.get(`${DEMO_PROXY_PREFIX}/session`, async (req, res) => {
    const shop = await shopRow();
    const me = shop ? await current(req, shop.id) : null;
    const query = appProxyQuery(deps.config.shopify.apiSecret, DEMO_SHOP, DEMO_PROXY_PREFIX, me?.shopifyCustomerId ?? null);
    try {
      const upstream = await fetch(`http://127.0.0.1:${req.socket.localPort}/proxy/session?${query}`, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(10_000) });
      res.status(upstream.status);
      for (const h of ['content-type', 'cache-control']) {
        const v = upstream.headers.get(h);
        if (v) res.setHeader(h, v);
      }
      res.send(Buffer.from(await upstream.arrayBuffer()));
    } catch {
      res.status(502).json({ error: 'bad_gateway', message: 'The app did not answer the proxy request' });
    }
  });

  let orderNumber = 1000 + Math.floor(Date.now() / 1000) % 100_000;
  app.post('/demo/orders', async (req, res) => {
    const shop = await shopRow();
    const me = shop ? await current(req, shop.id) : null;
    if (!shop || !me) return res.status(400).json({ message: 'Log in as a demo customer first.' });
    const body = JSON.stringify(demoOrderPayload(me, shop.currency, ++orderNumber));
    const headers = webhookDeliveryHeaders(deps.config.shopify.apiSecret, DEMO_SHOP, 'orders/paid', body, deps.config.shopify.apiVersion);
    try {
      const delivered = await fetch(`http://127.0.0.1:${req.socket.localPort}/webhooks/shopify`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
      const result = (await delivered.json().catch(() => ({}))) as { status?: string };
      return res.status(delivered.ok ? 200 : 502).json({
        message: delivered.ok ? `Order #${orderNumber} paid: the orders/paid webhook was ${result.status ?? 'sent'}.` : `The webhook was refused (${delivered.status}).`,
      });
    } catch {
      return res.status(502).json({ message: 'The webhook could not be delivered.' });
    }
  });

  // The widget script, rebuilt on demand so the demo always runs the current sources.
  app.use('/clients/widget', async (_req, _res, next) => {
    await ensureWidgetBuilt(deps.log);
    next();
  }, express.static(WIDGET_DIST, { maxAge: 0, fallthrough: true }));
}
