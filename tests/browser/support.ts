import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { customers, programSettings } from '@herethere/db';
import { DEMO_COOKIE } from '@herethere/gateway/demo/index';
import { DEMO_SHOP, seedDemo } from '@herethere/gateway/seed';
import { deliver, orderPayload } from '../support/shopify';
import { gql, merchantToken, startStack, type Stack } from '../support/stack';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS } from './env';

export { DEMO_SHOP };

export interface Demo {
  stack: Stack;
  url: string;
  merchantId: string;
  /** Loyalty customer id by Shopify customer id, for the seeded demo customers. */
  customerId(shopifyCustomerId: string): Promise<string>;
  /** A GraphQL call as the demo shop's merchant. */
  asMerchant<T = Record<string, unknown>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** The product in-process with the demo shop seeded, its points called Stars, five widget languages. */
export async function startDemo(): Promise<Demo> {
  const stack = await startStack();
  const { merchantId } = await seedDemo(stack.deps);
  const db = stack.deps.db.db;
  await db.update(programSettings).set({ pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' }).where(eq(programSettings.merchantId, merchantId));
  const asMerchant = async <T,>(query: string, variables?: Record<string, unknown>): Promise<T> => {
    const { body } = await gql<T>(stack.url, await merchantToken(stack.config, DEMO_SHOP), query, variables);
    if (body.errors?.length) throw new Error(`merchant call failed: ${body.errors.map((e) => e.message).join('; ')}`);
    return body.data as T;
  };
  const set = await asMerchant<{ widgetSettingsUpdate: { userErrors: { message: string }[] } }>(
    'mutation($input: WidgetSettingsUpdateInput!) { widgetSettingsUpdate(input: $input) { userErrors { message } } }',
    { input: { languages: ['en', 'es', 'fr', 'de', 'ar'], defaultLanguage: 'en', branding: { launcherLabel: 'Rewards' } } },
  );
  if (set.widgetSettingsUpdate.userErrors.length) throw new Error(set.widgetSettingsUpdate.userErrors[0].message);
  return {
    stack,
    url: stack.url,
    merchantId,
    asMerchant,
    async customerId(shopifyCustomerId) {
      const [row] = await db.select({ id: customers.id }).from(customers).where(and(eq(customers.merchantId, merchantId), eq(customers.shopifyCustomerId, shopifyCustomerId)));
      if (!row) throw new Error(`no demo customer ${shopifyCustomerId}`);
      return row.id;
    },
    stop: () => stack.stop(),
  };
}

/** A merchant adjustment: the ledger posts it and the live balance event goes out. */
export async function adjustPoints(demo: Demo, shopifyCustomerId: string, points: number, reason = 'Thanks for shopping with us'): Promise<void> {
  const customerId = await demo.customerId(shopifyCustomerId);
  const r = await demo.asMerchant<{ pointsAdjust: { userErrors: { message: string }[] } }>(
    'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { userErrors { message } } }',
    { input: { customerId, points, reason, idempotencyKey: `browser-${Date.now()}-${Math.random()}` } },
  );
  if (r.pointsAdjust.userErrors.length) throw new Error(r.pointsAdjust.userErrors[0].message);
}

/** Shopify delivers a signed orders/paid webhook for a demo customer's order (one line, USD). */
export async function orderPaid(demo: Demo, shopifyCustomerId: string, orderId: number, price: string): Promise<void> {
  const r = await deliver(demo.stack, DEMO_SHOP, 'orders/paid', orderPayload({ id: orderId, customerId: Number(shopifyCustomerId), lines: [{ price }] }));
  if (r.status !== 200) throw new Error(`webhook refused: ${r.status} ${JSON.stringify(r.body)}`);
}

export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });

/**
 * Console errors and page errors of one page. Anything the page's scripts log, and any uncaught
 * error, is a problem. The browser's own network log lines ("Failed to load resource", a refused
 * WebSocket) are accepted only inside `duringFault`, where a test cuts the network on purpose.
 */
export class ConsoleLog {
  readonly problems: string[] = [];
  readonly expectedNetworkFailures: string[] = [];
  private inFault = false;

  constructor(page: Page) {
    page.on('console', (m) => {
      if (m.type() !== 'error' && m.type() !== 'warning') return;
      const text = m.text();
      const network = /^Failed to load resource|^WebSocket connection to .* failed/.test(text);
      if (network && this.inFault) this.expectedNetworkFailures.push(text);
      else this.problems.push(`${m.type()}: ${text} (${m.location().url})`);
    });
    page.on('pageerror', (e) => this.problems.push(`uncaught: ${e.message}`));
  }

  async duringFault<T>(fn: () => Promise<T>): Promise<T> {
    this.inFault = true;
    try {
      return await fn();
    } finally {
      this.inFault = false;
    }
  }
}

export interface Storefront {
  context: BrowserContext;
  page: Page;
  log: ConsoleLog;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Log in as this seeded Shopify customer (1001…1005). */
  customer?: string;
  locale?: string;
  reducedMotion?: 'reduce' | 'no-preference';
  /** Install Playwright's clock before the page loads (tests that move time). */
  clock?: boolean;
  context?: BrowserContext;
}

/** Opens the demo storefront in a fresh browser context and waits for the launcher. */
export async function openStorefront(browser: Browser, demo: Demo, opts: OpenOptions = {}): Promise<Storefront> {
  const context = opts.context ?? (await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', reducedMotion: opts.reducedMotion ?? 'no-preference' }));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: demo.url });
  if (opts.customer) await context.addCookies([{ name: DEMO_COOKIE, value: opts.customer, url: demo.url }]);
  const page = await context.newPage();
  const log = new ConsoleLog(page);
  if (opts.clock) await page.clock.install();
  await page.goto(`${demo.url}/demo${opts.locale ? `?locale=${opts.locale}` : ''}`);
  await page.locator('.launcher').waitFor({ state: 'visible' });
  return { context, page, log, close: () => context.close() };
}

export const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });

/** Text of an element inside the widget's shadow root, or null. */
export const widgetText = (page: Page, selector: string) => page.locator(selector).first().textContent({ timeout: 1_000 }).catch(() => null);

/** The element focused inside the widget (its shadow root), described for assertions. */
export function focusedInWidget(page: Page): Promise<{ insidePanel: boolean; key: string | null; tag: string | null; isLauncher: boolean }> {
  return page.evaluate(() => {
    const root = document.getElementById('herethere-loyalty-widget')?.shadowRoot;
    const el = (root?.activeElement ?? null) as HTMLElement | null;
    return { insidePanel: Boolean(el?.closest('#hth-panel')), key: el?.dataset.key ?? null, tag: el?.tagName.toLowerCase() ?? null, isLauncher: Boolean(el?.classList.contains('launcher')) };
  });
}

/** WCAG contrast ratio between an element's text colour and the first opaque background behind it. */
export function contrastOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const root = document.getElementById('herethere-loyalty-widget')!.shadowRoot!;
    const el = root.querySelector(sel) as HTMLElement;
    const rgba = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    let bgEl: HTMLElement | null = el;
    let bg = [255, 255, 255];
    while (bgEl) {
      const c = rgba(getComputedStyle(bgEl).backgroundColor);
      if (c.length >= 3 && (c.length === 3 || c[3] > 0.99)) {
        bg = c.slice(0, 3);
        break;
      }
      bgEl = bgEl.parentElement ?? ((bgEl.getRootNode() as ShadowRoot).host as HTMLElement | undefined) ?? null;
    }
    const fg = rgba(getComputedStyle(el).color).slice(0, 3);
    const lum = ([r, g, b]: number[]) => {
      const ch = (v: number) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(b);
    };
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    return (hi + 0.05) / (lo + 0.05);
  }, selector);
}
