import { eq } from 'drizzle-orm';
import { chromium } from 'playwright-core';
import { programSettings } from '@herethere/db';
import { DEMO_COOKIE } from '@herethere/gateway/demo/index';
import { DEMO_SHOP, seedDemo } from '@herethere/gateway/seed';
import { buildWidget, GZIP_LIMIT_BYTES } from '../../../clients/widget/scripts/build';
import { CHROMIUM, CHROMIUM_ARGS } from '../../browser/env';
import { customerToken, gql, startStack } from '../../support/stack';
import { percentile, type BenchEnv, type Metric } from '../lib';

const RUNS = 12;

/**
 * Runs in the page (a string: tsx would otherwise add helpers the page does not have): clicks the
 * launcher and resolves with the time until the painted frame that shows the balance.
 */
const MEASURE_CLICK_TO_BALANCE = `new Promise((resolve) => {
  const root = document.getElementById('herethere-loyalty-widget').shadowRoot;
  let t0 = 0;
  const check = () => {
    const b = root.querySelector('[data-balance]');
    if (!b || !b.textContent) return;
    observer.disconnect();
    requestAnimationFrame(() => resolve(performance.now() - t0));
  };
  const observer = new MutationObserver(check);
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  t0 = performance.now();
  root.querySelector('.launcher').click();
  check();
})`;
const WARMUP = 2;

/**
 * widget_gzip_bytes: the built widget script, gzipped (baseline: the 30 KB budget).
 * first_render_ms: on the demo storefront, from the click on the launcher to the panel showing
 * the balance (median of fresh page loads; baseline: the bare `me` query through the gateway).
 */
export async function run(env: BenchEnv): Promise<Metric[]> {
  const build = await buildWidget({ log: env.log });
  const stack = await startStack({}, { databaseUrl: env.databaseUrl, redisUrl: env.redisUrl });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const { merchantId } = await seedDemo(stack.deps);
    await stack.deps.db.db.update(programSettings).set({ pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' }).where(eq(programSettings.merchantId, merchantId));

    const renders: number[] = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addCookies([{ name: DEMO_COOKIE, value: '1001', url: stack.url }]);
      const page = await context.newPage();
      await page.goto(`${stack.url}/demo`);
      await page.locator('.launcher').waitFor({ state: 'visible' });
      const ms = await page.evaluate<number>(MEASURE_CLICK_TO_BALANCE);
      if (i >= WARMUP) renders.push(ms);
      await context.close();
    }

    // Baseline: the same data as a bare GraphQL call through the gateway (no browser, no widget).
    const { token } = await customerToken(stack, DEMO_SHOP, merchantId, '1001');
    const direct: number[] = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      const t0 = performance.now();
      await gql(stack.url, token, '{ me { id firstName pointsBalance pointsPending totalPointsEarned } }');
      if (i >= WARMUP) direct.push(performance.now() - t0);
    }
    env.log(`first render samples (ms): ${renders.map((r) => r.toFixed(1)).join(', ')}`);
    return [
      { metric: 'widget_gzip_bytes', value: build.gzipBytes, unit: 'bytes', baseline: GZIP_LIMIT_BYTES },
      { metric: 'first_render_ms', value: percentile(renders, 50), unit: 'ms', baseline: percentile(direct, 50) },
    ];
  } finally {
    await browser.close();
    await stack.stop();
  }
}
