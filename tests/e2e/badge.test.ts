import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@herethere/db';
import { post } from '@herethere/loyalty';
import { deliver, drained, orderPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
let mtoken: string;
const SHOP = 'badge-shop.myshopify.com';
const OTHER = 'badge-other.myshopify.com';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);
type Err = { code: string; message: string; field: string[] | null };
const waitFor = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function createBadge(input: Record<string, unknown>, token = mtoken) {
  const { body } = await gql<{ badgeDefinitionCreate: { badgeDefinition: { id: string; rule: Record<string, unknown> } | null; userErrors: Err[] } }>(stack.url, token,
    'mutation($input: BadgeDefinitionCreateInput!) { badgeDefinitionCreate(input: $input) { badgeDefinition { id key rule { kind threshold tierId } } userErrors { code message field } } }', { input });
  expect(body.errors).toBeUndefined();
  return body.data!.badgeDefinitionCreate;
}
async function paid(spec: Parameters<typeof orderPayload>[0], processedAt = new Date()) {
  const at = processedAt.toISOString();
  expect((await deliver(stack, SHOP, 'orders/paid', { ...orderPayload(spec), created_at: at, processed_at: at }, randomUUID())).status).toBe(200);
  await drained(stack);
}
const idOf = async (shopifyId: number) => (await rows<{ id: string }>(sql`select id from customers where merchant_id = ${merchantId} and shopify_customer_id = ${String(shopifyId)}`))[0].id;
const badgeNames = async (token: string) => {
  const { body } = await gql<{ me: { badges: { id: string; name: string; description: string | null; imageUrl: string | null; awardedAt: string }[] } }>(stack.url, token, '{ me { badges { id name description imageUrl awardedAt } } }');
  expect(body.errors).toBeUndefined();
  return body.data!.me.badges;
};

const ids: Record<string, string> = {};
let gold: string;

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  await install(stack, OTHER);
  await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
  mtoken = await merchantToken(stack.config, SHOP);
  const t = await gql<{ vipTierCreate: { vipTier: { id: string } } }>(stack.url, mtoken,
    'mutation { vipTierCreate(input: { name: "Gold", threshold: 2, thresholdKind: ORDER_COUNT }) { vipTier { id } } }');
  gold = t.body.data!.vipTierCreate.vipTier.id;
});
afterAll(() => stack?.stop());

describe('badge definitions', () => {
  it('the shop defines badges with a name, description, image and rule; shoppers see the enabled ones', async () => {
    const defs: [string, Record<string, unknown>][] = [
      ['first', { key: 'first-order', name: 'First order', description: 'Placed a first order', imageUrl: 'https://cdn.example.com/first.png', rule: { kind: 'FIRST_PURCHASE' } }],
      ['three', { key: 'three-orders', name: 'Regular', rule: { kind: 'ORDERS_COUNT', threshold: 3 } }],
      ['review', { key: 'reviewer', name: 'Reviewer', rule: { kind: 'REVIEWS', threshold: 1 } }],
      ['referral', { key: 'ambassador', name: 'Ambassador', rule: { kind: 'REFERRALS', threshold: 1 } }],
      ['gold', { key: 'gold', name: 'Gold member', rule: { kind: 'TIER_REACHED', tierId: gold } }],
    ];
    for (const [name, input] of defs) {
      const r = await createBadge(input);
      expect(r.userErrors).toEqual([]);
      ids[name] = r.badgeDefinition!.id;
    }
    await createBadge({ key: 'hidden', name: 'Hidden', rule: { kind: 'ORDERS_COUNT', threshold: 99 }, enabled: false });
    const { token } = await customerToken(stack, SHOP, merchantId, '1');
    const shopper = await gql<{ badgeDefinitions: { key: string }[] }>(stack.url, token, '{ badgeDefinitions { key } }');
    expect(shopper.body.data!.badgeDefinitions.map((b) => b.key)).toEqual(['first-order', 'three-orders', 'reviewer', 'ambassador', 'gold']);
    const staff = await gql<{ badgeDefinitions: { key: string }[] }>(stack.url, mtoken, '{ badgeDefinitions { key } }');
    expect(staff.body.data!.badgeDefinitions).toHaveLength(6);
  });

  it('refuses a rule that can never fire and other bad definitions; nothing is written', async () => {
    const before = await count(stack, 'badge_definitions');
    const cases: [Record<string, unknown>, Partial<Err>][] = [
      [{ key: 'zero', name: 'Zero', rule: { kind: 'ORDERS_COUNT', threshold: 0 } },
        { code: 'INVALID', field: ['input', 'rule', 'threshold'], message: 'threshold 0 can never be reached: a orders_count badge needs a threshold of at least 1' }],
      [{ key: 'negative', name: 'Negative', rule: { kind: 'REVIEWS', threshold: -2 } }, { code: 'INVALID', field: ['input', 'rule', 'threshold'] }],
      [{ key: 'no-threshold', name: 'None', rule: { kind: 'STREAK' } }, { code: 'INVALID', message: 'a streak badge needs a threshold of at least 1' }],
      [{ key: 'ghost-tier', name: 'Ghost', rule: { kind: 'TIER_REACHED', tierId: 'tier_01nonexistent000000000000' } },
        { code: 'NOT_FOUND', field: ['input', 'rule', 'tierId'], message: 'No VIP tier tier_01nonexistent000000000000 in this shop: the badge could never be awarded' }],
      [{ key: 'no-tier', name: 'No tier', rule: { kind: 'TIER_REACHED' } }, { code: 'INVALID', field: ['input', 'rule', 'tierId'] }],
      [{ key: 'first-five', name: 'First five', rule: { kind: 'FIRST_PURCHASE', threshold: 5 } }, { code: 'INVALID', field: ['input', 'rule', 'threshold'] }],
      [{ key: 'first-order', name: 'Duplicate key', rule: { kind: 'FIRST_PURCHASE' } }, { code: 'TAKEN', field: ['input', 'key'] }],
      [{ key: 'Bad Key!', name: 'Bad key', rule: { kind: 'FIRST_PURCHASE' } }, { code: 'INVALID', field: ['input', 'key'] }],
      [{ key: 'insecure', name: 'Insecure', imageUrl: 'http://cdn.example.com/x.png', rule: { kind: 'FIRST_PURCHASE' } }, { code: 'INVALID', field: ['input', 'imageUrl'] }],
    ];
    for (const [input, expected] of cases) {
      const r = await createBadge(input);
      expect(r.badgeDefinition, input.key as string).toBeNull();
      expect(r.userErrors[0], input.key as string).toMatchObject(expected);
    }
    // Another shop's tier is as unknown as a made-up one.
    const other = await createBadge({ key: 'their-gold', name: 'Theirs', rule: { kind: 'TIER_REACHED', tierId: gold } }, await merchantToken(stack.config, OTHER));
    expect(other.userErrors[0]).toMatchObject({ code: 'NOT_FOUND' });
    expect(await count(stack, 'badge_definitions')).toBe(before);
  });

  it('a tier a badge depends on cannot be deleted', async () => {
    const { body } = await gql<{ vipTierDelete: { userErrors: Err[] } }>(stack.url, mtoken, 'mutation($input: VipTierDeleteInput!) { vipTierDelete(input: $input) { deletedVipTierId userErrors { code message } } }', { input: { id: gold } });
    expect(body.data!.vipTierDelete.userErrors).toEqual([{ code: 'CONFLICT', message: 'the badge "Gold member" is awarded on reaching this tier; change or remove its rule first' }]);
    expect(await count(stack, 'vip_tiers')).toBe(1);
  });
});

describe('awarding', () => {
  it('orders award first purchase, order counts and the tier badge — each once, with one notification', async () => {
    await paid({ id: 201, customerId: 11, lines: [{ price: '20.00' }] });
    const c = await idOf(11);
    const { token } = await customerToken(stack, SHOP, merchantId, '11');
    expect((await badgeNames(token)).map((b) => b.name)).toEqual(['First order']);
    const [first] = await badgeNames(token);
    expect(first).toMatchObject({ id: ids.first, description: 'Placed a first order', imageUrl: 'https://cdn.example.com/first.png' });
    await paid({ id: 202, customerId: 11, lines: [{ price: '20.00' }] });
    expect((await badgeNames(token)).map((b) => b.name)).toEqual(['First order', 'Gold member']);
    await paid({ id: 203, customerId: 11, lines: [{ price: '20.00' }] });
    await paid({ id: 204, customerId: 11, lines: [{ price: '20.00' }] });
    expect((await badgeNames(token)).map((b) => b.name)).toEqual(['First order', 'Gold member', 'Regular']);
    const notes = await rows<{ dedupe_key: string; payload: { badge: string } }>(sql`select dedupe_key, payload from notification_outbox where customer_id = ${c} and kind = 'badge_awarded' order by dedupe_key`);
    expect(notes.map((n) => n.payload.badge).sort()).toEqual(['First order', 'Gold member', 'Regular']);
    expect(await count(stack, 'gamification_achievements')).toBe(3);
  });

  it('a review through the review mutation and a completed referral award their badges', async () => {
    const { customerId, token } = await customerToken(stack, SHOP, merchantId, '12');
    const review = await gql<{ reviewBonusAward: { userErrors: Err[] } }>(stack.url, mtoken,
      'mutation($input: ReviewBonusAwardInput!) { reviewBonusAward(input: $input) { userErrors { code message } } }', { input: { customerId, reviewId: 'rv-1' } });
    expect(review.body.data!.reviewBonusAward.userErrors).toEqual([]);
    expect((await badgeNames(token)).map((b) => b.name)).toEqual(['Reviewer']);

    const friend = newId('customer');
    const link = newId('referralLink');
    const referral = newId('referral');
    await rows(sql`insert into customers (merchant_id, id, shopify_customer_id) values (${merchantId}, ${friend}, '13')`);
    await stack.deps.db.db.transaction(async (tx) => {
      await stack.deps.db.rows(sql`insert into referral_links (merchant_id, id, advocate_customer_id, referral_code) values (${merchantId}, ${link}, ${customerId}, 'ADA-1234')`, tx);
      await stack.deps.db.rows(sql`insert into referrals (merchant_id, id, referral_link_id, advocate_customer_id, friend_customer_id, status, completed_at)
        values (${merchantId}, ${referral}, ${link}, ${customerId}, ${friend}, 'completed', now())`, tx);
    });
    const r = await post(stack.deps, { merchantId, customerId, type: 'referral', points: 500, reason: 'Referred a friend', source: 'referral', idempotencyKey: `referral:${referral}`, actor: 'system:referrals', referralId: referral });
    expect(r.status).toBe('posted');
    expect((await badgeNames(token)).map((b) => b.name)).toEqual(['Reviewer', 'Ambassador']);
  });

  it('a new or re-enabled badge is awarded to everyone who already meets it, streaks of consecutive local months included', async () => {
    const c = await idOf(11);
    const month = (offset: number) => {
      const d = new Date();
      d.setUTCDate(15);
      d.setUTCMonth(d.getUTCMonth() + offset);
      return d.toISOString();
    };
    // Customer 11 ordered this month already; add the two months before: a 3-month streak.
    await rows(sql`insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, status, processed_at) values
      (${merchantId}, 'streak-1', ${c}, 'USD', 1000, 1000, 'paid', ${month(-1)}::timestamptz),
      (${merchantId}, 'streak-2', ${c}, 'USD', 1000, 1000, 'paid', ${month(-2)}::timestamptz)`);
    const streak = await createBadge({ key: 'streak-3', name: 'Three months running', rule: { kind: 'STREAK', threshold: 3 } });
    const longer = await createBadge({ key: 'streak-4', name: 'Four months running', rule: { kind: 'STREAK', threshold: 4 } });
    const has = async (badge: string) => (await rows(sql`select 1 from gamification_achievements where customer_id = ${c} and badge_id = ${badge}`)).length === 1;
    await waitFor('the streak badge backfill', () => has(streak.badgeDefinition!.id));
    expect(await has(longer.badgeDefinition!.id)).toBe(false);
    // The backfill is idempotent: asking again awards nothing twice.
    const before = await count(stack, 'gamification_achievements');
    await gql(stack.url, mtoken, 'mutation($input: BadgeDefinitionUpdateInput!) { badgeDefinitionUpdate(input: $input) { userErrors { code } } }', { input: { id: streak.badgeDefinition!.id, description: 'Loyal' } });
    await gql(stack.url, mtoken, 'mutation($input: BadgeDefinitionUpdateInput!) { badgeDefinitionUpdate(input: $input) { userErrors { code } } }', { input: { id: ids.three, rule: { kind: 'ORDERS_COUNT', threshold: 3 } } });
    await waitFor('the backfill to finish', async () => (await rows(sql`select 1 from gamification_jobs where merchant_id = ${merchantId} and requested_at is not null`)).length === 0);
    expect(await count(stack, 'gamification_achievements')).toBe(before);
  });

  it('another shop’s customer never sees these badges', async () => {
    const otherId = (await rows<{ id: string }>(sql`select id from merchants where shop_domain = ${OTHER}`))[0].id;
    const { token } = await customerToken(stack, OTHER, otherId, '11');
    expect(await badgeNames(token)).toEqual([]);
  });
});
