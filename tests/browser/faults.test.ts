import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { adjustPoints, launchBrowser, openStorefront, shot, startDemo, widgetText, type Demo, type Storefront } from './support';

let demo: Demo;
let browser: Browser;
let open: Storefront[] = [];
const ttl = { original: 0 };

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
  ttl.original = demo.stack.config.widgetTokenTtlSeconds;
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});
afterEach(async () => {
  demo.stack.config.widgetTokenTtlSeconds = ttl.original;
  const problems = open.flatMap((s) => s.log.problems);
  await Promise.all(open.map((s) => s.close()));
  open = [];
  expect(problems).toEqual([]);
});

async function storefront(opts: Parameters<typeof openStorefront>[2] = {}) {
  // No opening animation, so the screenshots show the messages crisply.
  const s = await openStorefront(browser, demo, { reducedMotion: 'reduce', ...opts });
  open.push(s);
  return s;
}

const status = (page: Page) => widgetText(page, '[data-status]');
const balance = (page: Page) => widgetText(page, '[data-balance]');

/** Holds app-proxy session requests for a moment so a "reconnecting" message stays on screen long enough to see. */
async function slowSessions(page: Page, ms: number) {
  await page.route('**/apps/loyalty/session', async (route) => {
    await new Promise((r) => setTimeout(r, ms));
    await route.continue();
  });
}

describe('an expired token', () => {
  it('that the server refuses: the panel says the session expired, renews it through the app proxy and carries on', async () => {
    // Short-lived tokens for this test; the page's clock is paused so the widget cannot renew in time.
    demo.stack.config.widgetTokenTtlSeconds = 3;
    const s = await storefront({ customer: '1001', clock: true });
    const { page } = s;
    await page.clock.pauseAt(Date.now() + 200);
    await new Promise((r) => setTimeout(r, 3_500)); // the server-side token is now expired
    demo.stack.config.widgetTokenTtlSeconds = ttl.original;
    await slowSessions(page, 1_000);
    await s.log.duringFault(async () => {
      await page.locator('.launcher').click();
      await expect.poll(() => status(page)).toBe('Your session expired. Reconnecting…');
      await shot(page, 'fault-expired-token');
      await expect.poll(() => balance(page)).toBe('1,250 Stars');
    });
    await expect.poll(() => status(page)).toBe('You’re connected again.');
    // The browser logged the refused requests (the panel's parallel queries), nothing else.
    expect(s.log.expectedNetworkFailures.length).toBeGreaterThan(0);
    expect(new Set(s.log.expectedNetworkFailures)).toEqual(new Set(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']));
    await page.clock.resume();
  });

  it('that ran out while the tab slept: the widget notices on waking, says so and renews before asking the server again', async () => {
    const s = await storefront({ customer: '1002', clock: true });
    const { page } = s;
    await page.locator('.launcher').click();
    await expect.poll(() => balance(page)).toBe('480 Stars');
    await slowSessions(page, 1_000);
    // The device sleeps: the wall clock jumps past the token's expiry while no timer runs.
    await page.keyboard.press('Escape');
    await page.clock.pauseAt(Date.now() + 500);
    await page.clock.setSystemTime(Date.now() + (ttl.original + 60) * 1000);
    await page.clock.resume();
    // On waking the shopper opens the panel: the widget sees the token is stale before using it.
    await page.locator('.launcher').click();
    await expect.poll(() => status(page)).toBe('Your session expired. Reconnecting…');
    await shot(page, 'fault-expired-after-sleep');
    await expect.poll(() => status(page)).toBe('You’re connected again.');
    await adjustPoints(demo, '1002', 20, 'Welcome back');
    await expect.poll(() => balance(page)).toBe('500 Stars');
    expect(s.log.expectedNetworkFailures).toEqual([]);
  });
});

describe('the server down', () => {
  it('shows a friendly message with a retry, then recovers by itself when the server is back', async () => {
    const s = await storefront({ customer: '1003' });
    const { page } = s;
    await s.log.duringFault(async () => {
      await page.route('**/graphql', (route) => route.abort('connectionrefused'));
      await page.route('**/apps/loyalty/session', (route) => route.abort('connectionrefused'));
      await page.locator('.launcher').click();
      await expect.poll(() => status(page)).toMatch(/^We can’t reach the rewards service right now\. Retrying…/);
      expect(await page.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
      await shot(page, 'fault-server-down');
      // A manual retry while it is still down keeps the message.
      await page.getByRole('button', { name: 'Try again' }).click();
      await expect.poll(() => status(page)).toMatch(/^We can’t reach/);
      await page.unroute('**/graphql');
      await page.unroute('**/apps/loyalty/session');
      await expect.poll(() => balance(page), { timeout: 20_000 }).toMatch(/^\d[\d,]* Stars$/);
    });
    await expect.poll(() => status(page)).toBe('You’re connected again.');
    expect(s.log.expectedNetworkFailures.length).toBeGreaterThan(0);
    expect(s.log.expectedNetworkFailures.every((m) => m === 'Failed to load resource: net::ERR_CONNECTION_REFUSED')).toBe(true);
    await shot(page, 'fault-server-recovered');
  });

  it('still loads the balance when only the balance failed and the other sections answered', async () => {
    const s = await storefront({ customer: '1005' });
    const { page } = s;
    await s.log.duringFault(async () => {
      await page.route('**/graphql', (route) => (route.request().postData()?.includes('"WidgetMe"') ? route.abort('connectionrefused') : route.continue()));
      // The balance is asked for first, so once a section has answered the balance has failed.
      const sectionAnswered = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.status() === 200);
      await page.locator('.launcher').click();
      await sectionAnswered;
      expect(await balance(page)).toBeNull();
      await page.unroute('**/graphql');
      // The sections' answers must not cancel the retry that brings the balance back.
      await expect.poll(() => balance(page), { timeout: 10_000 }).toMatch(/^\d[\d,]* Stars$/);
    });
  });
});

describe('the browser offline', () => {
  it('says so, then catches up and follows live updates again once back online', async () => {
    const s = await storefront({ customer: '1004' });
    const { page, context } = s;
    await page.locator('.launcher').click();
    await expect.poll(() => balance(page)).toMatch(/Stars$/);
    const before = Number(await page.locator('[data-balance]').getAttribute('data-balance'));
    await context.setOffline(true);
    await expect.poll(() => status(page)).toBe('You’re offline. We’ll catch up as soon as you’re back online.');
    await shot(page, 'fault-offline');
    // Points that land while offline are there when the shopper is back.
    await adjustPoints(demo, '1004', 40, 'Missed while offline');
    await context.setOffline(false);
    await expect.poll(() => status(page)).toBe('You’re connected again.');
    await expect.poll(() => page.locator('[data-balance]').getAttribute('data-balance')).toBe(String(before + 40));
    // The live connection is back: the next change arrives with a toast.
    await expect.poll(async () => {
      await adjustPoints(demo, '1004', 1, 'Live again');
      return page.locator('[data-toast]', { hasText: 'You earned 1 Star!' }).count();
    }, { timeout: 20_000, interval: 2_000 }).toBeGreaterThan(0);
    expect(s.log.expectedNetworkFailures).toEqual([]);
  });
});
