import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { contrastOf, focusedInWidget, launchBrowser, openStorefront, orderPaid, shot, startDemo, widgetText, type Demo, type Storefront } from './support';

let demo: Demo;
let browser: Browser;
let open: Storefront[] = [];

beforeAll(async () => {
  [demo, browser] = await Promise.all([startDemo(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
});
afterEach(async () => {
  // Every page of every test: no console errors, no uncaught exceptions.
  const problems = open.flatMap((s) => s.log.problems);
  await Promise.all(open.map((s) => s.close()));
  open = [];
  expect(problems).toEqual([]);
});

async function storefront(opts: Parameters<typeof openStorefront>[2] = {}) {
  const s = await openStorefront(browser, demo, opts);
  open.push(s);
  return s;
}

const balance = (s: Storefront) => widgetText(s.page, '[data-balance]');

describe('a signed-in customer on the demo storefront', () => {
  it('opens the panel from the launcher and sees the balance in the shop’s currency name', async () => {
    const { page } = await storefront({ customer: '1001' });
    const launcher = page.locator('.launcher');
    expect(await launcher.textContent()).toBe('Rewards');
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');
    await launcher.click();
    const dialog = page.getByRole('dialog', { name: 'Rewards' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('aria-modal')).toBe('true');
    expect(await launcher.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => balance({ page } as Storefront)).toBe('1,250 Stars');
    expect(await page.locator('[data-balance]').getAttribute('data-balance')).toBe('1250');
    expect(await widgetText(page, '[data-section="account"] p')).toBe('Hi Ada!');
    expect(await page.locator('[data-earn="purchase"]').textContent()).toBe('1 Star for every $1 spent');
    await shot(page, 'panel-customer');
  });

  it('is keyboard operable: Enter opens, Tab stays inside the open panel, Escape closes and gives focus back', async () => {
    const { page } = await storefront({ customer: '1002' });
    await page.locator('.launcher').focus();
    await page.keyboard.press('Enter');
    await page.getByRole('dialog').waitFor();
    await expect.poll(() => balance({ page } as Storefront)).toBe('480 Stars');
    expect((await focusedInWidget(page)).insidePanel).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      const f = await focusedInWidget(page);
      expect(f.insidePanel).toBe(true);
      seen.add(f.key ?? f.tag ?? '');
    }
    expect(seen.has('close')).toBe(true);
    expect(seen.has('lang')).toBe(true);
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Shift+Tab');
      expect((await focusedInWidget(page)).insidePanel).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    expect((await focusedInWidget(page)).isLauncher).toBe(true);
    expect(await page.locator('.launcher').getAttribute('aria-expanded')).toBe('false');
  });

  it('updates the balance and shows a toast when an orders/paid webhook lands, without a reload', async () => {
    const { page } = await storefront({ customer: '1003' });
    await page.evaluate(() => Object.assign(window, { samePage: true }));
    await page.locator('.launcher').click();
    await expect.poll(() => balance({ page } as Storefront)).toBe('200 Stars');
    await orderPaid(demo, '1003', 7_000_001, '100.00'); // 1 Star per $1 of subtotal
    await page.locator('[data-toast]', { hasText: 'You earned 100 Stars!' }).waitFor();
    await expect.poll(() => balance({ page } as Storefront)).toBe('300 Stars');
    expect(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage)).toBe(true);
    await shot(page, 'live-toast');
    // The toast also comes with the panel closed, and can be dismissed.
    await page.keyboard.press('Escape');
    await orderPaid(demo, '1003', 7_000_002, '50.00');
    const toast = page.locator('[data-toast]', { hasText: 'You earned 50 Stars!' });
    await toast.waitFor();
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'detached' });
  });

  it('switches language from the dropdown, keeps the choice for the browser session, and lays Arabic out right to left', async () => {
    const s = await storefront({ customer: '1004' });
    const { page } = s;
    await page.locator('.launcher').click();
    await expect.poll(() => balance(s)).toBe('3,100 Stars');
    await page.getByRole('combobox', { name: 'Language' }).selectOption('es');
    await page.getByRole('dialog', { name: 'Recompensas' }).waitFor();
    expect(await page.locator('.launcher').textContent()).toBe('Recompensas');
    await expect.poll(() => balance(s)).toBe('3100 Stars');
    expect(await page.locator('[data-section="earn"] h3').textContent()).toBe('Formas de ganar');
    expect((await focusedInWidget(page)).key).toBe('lang');
    await shot(page, 'panel-spanish');

    await page.reload();
    await page.locator('.launcher').waitFor();
    expect(await page.locator('.launcher').textContent()).toBe('Recompensas');

    await page.locator('.launcher').click();
    await page.getByRole('combobox', { name: 'Idioma' }).selectOption('ar');
    const dialog = page.getByRole('dialog', { name: 'المكافآت' });
    await dialog.waitFor();
    expect(await dialog.getAttribute('dir')).toBe('rtl');
    expect(await dialog.getAttribute('lang')).toBe('ar');
    // Logical properties: in RTL the close button sits on the left of the header, the title on the right.
    const title = await page.locator('#hth-title').boundingBox();
    const close = await page.locator('[data-key="close"]').boundingBox();
    expect(close!.x).toBeLessThan(title!.x);
    await shot(page, 'panel-arabic-rtl');

    // A new browser session starts from the storefront's language again.
    const other = await storefront({ customer: '1004' });
    expect(await other.page.locator('.launcher').textContent()).toBe('Rewards');
    // …and the storefront locale picks the widget language when the shop offers it.
    const french = await storefront({ locale: 'fr' });
    expect(await french.page.locator('.launcher').textContent()).toBe('Récompenses');
  });

  it('meets WCAG AA contrast for the launcher, the header and the panel text', async () => {
    const { page } = await storefront({ customer: '1001' });
    await page.locator('.launcher').click();
    await page.locator('[data-balance]').waitFor();
    expect(await contrastOf(page, '.launcher span')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page, '#hth-title')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page, '[data-balance]')).toBeGreaterThanOrEqual(4.5);
    expect(await contrastOf(page, '[data-earn="signup"] span')).toBeGreaterThanOrEqual(4.5);
  });

  it('animates the panel only when the shopper has not asked for reduced motion', async () => {
    const animated = await storefront({ customer: '1001' });
    await animated.page.locator('.launcher').click();
    expect(await animated.page.locator('#hth-panel').evaluate((el) => getComputedStyle(el).animationName)).toBe('in');
    const calm = await storefront({ customer: '1001', reducedMotion: 'reduce' });
    await calm.page.locator('.launcher').click();
    expect(await calm.page.locator('#hth-panel').evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  });
});

describe('a visitor who is not logged in', () => {
  it('sees what they could earn and a join / sign-in call to action', async () => {
    const { page } = await storefront();
    await page.locator('.launcher').click();
    await page.getByRole('heading', { name: 'Join our rewards program' }).waitFor();
    expect(await page.locator('[data-section="guest"] p').textContent()).toBe('Earn Stars every time you shop and turn them into rewards.');
    expect(await page.getByRole('link', { name: 'Join now' }).getAttribute('href')).toBe('/demo/account/login');
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/demo/account/login');
    expect(await page.locator('[data-earn="signup"]').textContent()).toBe('200 Stars for creating an account');
    expect(await page.locator('[data-balance]').count()).toBe(0);
    await shot(page, 'panel-visitor');
  });

  it('signs in through the storefront and then sees their own balance', async () => {
    const { page } = await storefront();
    await page.locator('.launcher').click();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Edsger Dijkstra' }).click();
    await page.locator('.launcher').click();
    await expect.poll(() => widgetText(page, '[data-balance]')).toBe('200 Stars');
  });
});

describe('rewards, codes and referrals', () => {
  it('redeems a reward: shows the code with a copy button and how to use it, lowers the balance and lists it under the codes', async () => {
    const created = await demo.asMerchant<{ rewardCreate: { reward: { id: string } | null; userErrors: { message: string }[] } }>(
      'mutation($input: RewardCreateInput!) { rewardCreate(input: $input) { reward { id } userErrors { message } } }',
      { input: { name: '$5 off your order', kind: 'FIXED_AMOUNT', pointsCost: 500, valueMinor: 500 } },
    );
    expect(created.rewardCreate.userErrors).toEqual([]);
    const rewardId = created.rewardCreate.reward!.id;
    const { page } = await storefront({ customer: '1001' });
    await page.locator('.launcher').click();
    await expect.poll(() => widgetText(page, '[data-balance]')).toBe('1,250 Stars');
    const item = page.locator(`[data-reward="${rewardId}"]`);
    await item.waitFor();
    expect(await item.textContent()).toContain('500 Stars');
    await item.getByRole('button', { name: 'Redeem' }).click();
    const result = page.locator('[data-redemption]');
    await result.waitFor();
    const code = (await result.locator('[data-code]').textContent())!;
    expect(code).toMatch(/^[A-Z0-9-]{6,}$/);
    expect(await result.textContent()).toContain('Your code for $5 off your order');
    expect(await result.textContent()).toContain('Enter this code in the discount code field at checkout.');
    expect((await focusedInWidget(page)).key).toBe('result');
    await expect.poll(() => widgetText(page, '[data-balance]')).toBe('750 Stars');
    await result.getByRole('button', { name: 'Copy code' }).click();
    await expect.poll(() => result.getByRole('button', { name: 'Copied!' }).count()).toBe(1);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(code);
    await page.locator('[data-section="codes"]', { hasText: code }).waitFor();
    await shot(page, 'reward-redeemed');
  });

  it('gets and copies the referral link', async () => {
    const { page } = await storefront({ customer: '1005' });
    await page.locator('.launcher').click();
    const section = page.locator('[data-section="referral"]');
    await section.waitFor();
    expect(await section.textContent()).toContain('Give friends a discount and earn 500 Stars when they place an order.');
    // A shopper without a link yet gets one on request.
    await section.getByRole('button', { name: 'Get my referral link' }).click();
    const link = section.getByRole('textbox', { name: 'Your referral link' });
    await link.waitFor();
    const url = await link.inputValue();
    expect(url).toMatch(/^https?:\/\/\S+/);
    await section.getByRole('button', { name: 'Copy link' }).click();
    await section.getByRole('button', { name: 'Copied!' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
    // Email sharing opens a small form.
    await section.getByRole('button', { name: 'Share by email' }).click();
    expect(await section.getByRole('textbox', { name: 'Friend’s email address' }).getAttribute('type')).toBe('email');
    await shot(page, 'referral-copied');
  });
});

describe('tiers, badges and the leaderboard', () => {
  it('shows the VIP tier with progress and perks, earned badges and the monthly rank', async () => {
    const tier = (input: Record<string, unknown>) =>
      demo.asMerchant<{ vipTierCreate: { userErrors: { message: string }[] } }>('mutation($input: VipTierCreateInput!) { vipTierCreate(input: $input) { userErrors { message } } }', { input });
    for (const input of [
      { name: 'Bronze', threshold: 0, thresholdKind: 'POINTS_EARNED', perks: ['Birthday gift'] },
      { name: 'Gold', threshold: 5000, thresholdKind: 'POINTS_EARNED', earningMultiplierBp: 15000, perks: ['Free shipping', 'Early access'] },
    ]) expect((await tier(input)).vipTierCreate.userErrors).toEqual([]);
    const badge = await demo.asMerchant<{ badgeDefinitionCreate: { userErrors: { message: string }[] } }>(
      'mutation($input: BadgeDefinitionCreateInput!) { badgeDefinitionCreate(input: $input) { userErrors { message } } }',
      { input: { key: 'first-order', name: 'First order', description: 'Placed a first order', rule: { kind: 'FIRST_PURCHASE' } } },
    );
    expect(badge.badgeDefinitionCreate.userErrors).toEqual([]);
    await orderPaid(demo, '1002', 7_000_101, '20.00');

    const { page } = await storefront({ customer: '1002' });
    await page.locator('.launcher').click();
    const vip = page.locator('[data-section="vip"]');
    await vip.waitFor();
    await expect.poll(() => vip.locator('[data-tier]').textContent()).toBe('You’re a Bronze member');
    const bar = vip.getByRole('progressbar', { name: 'Progress to Gold' });
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await vip.textContent()).toMatch(/[\d,]+ Stars more to reach Gold/);
    expect(await vip.textContent()).toContain('Birthday gift');
    expect(await vip.locator('[aria-current="true"]').textContent()).toBe('Bronze');
    await page.locator('[data-section="badges"]', { hasText: 'First order' }).waitFor();
    await expect.poll(() => page.locator('[data-section="leaderboard"] p').textContent()).toMatch(/^You’re #\d+ of \d+ this month$/);
    await shot(page, 'panel-vip-badges');
  });
});
