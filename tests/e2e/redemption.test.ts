import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { merchants } from '@herethere/db';
import { ProcessCrash, redemptionFaults } from '@herethere/loyalty';
import { seal, testConfig } from '@herethere/runtime';
import { runCommand } from '@herethere/gateway/cli/commands';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { startFakeShopifyAdmin, type FakeShopifyAdmin } from '../fakes/shopify-admin';
import { deliver, drained, orderPayload, refundPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeShopifyAdmin;
let merchantId: string;
let mtoken: string;
const SHOP = 'redeem-shop.myshopify.com';
const DEV_SHOP = 'redeem-dev.myshopify.com';
const OTHER_SHOP = 'redeem-other.myshopify.com';
const ACCESS_TOKEN = 'shpat_redeem_test_token';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);

const REWARD_FIELDS = 'id name kind pointsCost valueMinor currency percentageBp minOrderMinor enabled affordable slider { pointsPerStep valueMinorPerStep maxSteps }';
const REDEEM = `mutation($input: RewardRedeemInput!) { rewardRedeem(input: $input) {
  redemption { id code status pointsSpent valueMinor expiresAt steps reward { name } }
  customer { pointsBalance }
  userErrors { field message code } } }`;
const CREATE = `mutation($input: RewardCreateInput!) { rewardCreate(input: $input) { reward { id name kind pointsCost valueMinor percentageBp enabled slider { pointsPerStep valueMinorPerStep maxSteps } combinesWith { order product shipping } } userErrors { field message code } } }`;

type RedeemPayload = {
  redemption: { id: string; code: string | null; status: string; pointsSpent: number; valueMinor: number; expiresAt: string | null; steps: number | null; reward: { name: string } } | null;
  customer: { pointsBalance: number } | null;
  userErrors: { field: string[]; message: string; code: string }[];
};

async function createReward(input: Record<string, unknown>, shop = SHOP): Promise<string> {
  const { body } = await gql<{ rewardCreate: { reward: { id: string } | null; userErrors: unknown[] } }>(stack.url, await merchantToken(stack.config, shop), CREATE, { input });
  expect(body.errors).toBeUndefined();
  expect(body.data!.rewardCreate.userErrors).toEqual([]);
  return body.data!.rewardCreate.reward!.id;
}

let nextShopifyId = 7000;
/** A signed-in customer of SHOP with an email and `points` to spend. */
async function shopper(points: number, shop = SHOP, mid = merchantId) {
  const shopifyId = String(nextShopifyId++);
  const { token, customerId } = await customerToken(stack, shop, mid, shopifyId);
  await rows(sql`update customers set email = ${`shopper${shopifyId}@example.com`}, first_name = 'Sam' where merchant_id = ${mid} and id = ${customerId}`);
  if (points) {
    const { body } = await gql(stack.url, await merchantToken(stack.config, shop), 'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { userErrors { code } } }', {
      input: { customerId, points, reason: 'Test balance', idempotencyKey: randomUUID() },
    });
    expect(body.errors).toBeUndefined();
  }
  return { token, customerId, shopifyId };
}

async function redeem(token: string, input: Record<string, unknown>) {
  const { body } = await gql<{ rewardRedeem: RedeemPayload }>(stack.url, token, REDEEM, { input: { idempotencyKey: randomUUID(), ...input } });
  expect(body.errors).toBeUndefined();
  return body.data!.rewardRedeem;
}

const balanceOf = async (customerId: string) => Number((await rows<{ b: number }>(sql`select points_balance as b from customers where id = ${customerId}`))[0].b);
const ledgerOf = (customerId: string) => rows<{ type: string; points: number }>(sql`select type, points from points_transactions where customer_id = ${customerId} order by seq`);
const redemptionsOf = (customerId: string) => rows<{ id: string; status: string; discount_code: string; voided_reason: string | null }>(sql`select id, status, discount_code, voided_reason from reward_redemptions where customer_id = ${customerId} order by id`);
const creates = () => fake.requests.filter((r) => r.operation === 'discountCodeBasicCreate' || r.operation === 'discountCodeFreeShippingCreate');

let fixedId: string;
let freeShipId: string;
let percentId: string;
let productId: string;
let sliderId: string;

beforeAll(async () => {
  fake = await startFakeShopifyAdmin();
  const base = testConfig();
  stack = await startStack({ shopify: { ...base.shopify, adminApiUrl: fake.url }, shopifyAdmin: { timeoutMs: 300, maxAttempts: 3 } });
  merchantId = await install(stack, SHOP);
  await install(stack, DEV_SHOP);
  await install(stack, OTHER_SHOP);
  // The shop granted an offline Admin API token: the real client talks to the fake Admin API.
  await stack.deps.db.db.update(merchants).set({ accessTokenSealed: seal(stack.config.encryptionKey, ACCESS_TOKEN) }).where(sql`${merchants.id} = ${merchantId}`);
  fake.registerShop(SHOP, ACCESS_TOKEN);
  mtoken = await merchantToken(stack.config, SHOP);
  fixedId = await createReward({ kind: 'FIXED_AMOUNT', name: '$5 off', pointsCost: 500, valueMinor: 500, minOrderMinor: 2500, codeExpiryDays: 30, combinesWith: { order: false, product: true, shipping: true } });
  freeShipId = await createReward({ kind: 'FREE_SHIPPING', name: 'Free shipping', pointsCost: 300 });
  percentId = await createReward({ kind: 'PERCENTAGE', name: '10% off', pointsCost: 800, percentageBp: 1000 });
  productId = await createReward({ kind: 'FREE_PRODUCT', name: 'Free socks', pointsCost: 900, productVariantId: '4455', valueMinor: 1200 });
  sliderId = await createReward({ kind: 'POINTS_SLIDER', name: 'Points slider', pointsPerStep: 100, valueMinorPerStep: 100, maxSteps: 10 });
});

afterEach(() => {
  redemptionFaults.afterReserve = undefined;
  fake.clearFaults();
});

afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

describe('the rewards catalogue', () => {
  it('merchants manage rewards; bad definitions are refused with a clear error and nothing is written', async () => {
    const before = await count(stack, 'rewards');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ kind: 'FIXED_AMOUNT', name: 'No amount', pointsCost: 100 }, /valueMinor is required/],
      [{ kind: 'PERCENTAGE', name: 'Too much', pointsCost: 100, percentageBp: 10_001 }, /percentageBp must be a whole number from 1 to 10,000/],
      [{ kind: 'POINTS_SLIDER', name: 'Half a slider', pointsPerStep: 100, valueMinorPerStep: 100 }, /maxSteps is required/],
      [{ kind: 'FREE_SHIPPING', name: 'Mixed', pointsCost: 100, percentageBp: 500 }, /percentageBp does not apply to a free_shipping reward/],
      [{ kind: 'FREE_PRODUCT', name: 'No variant', pointsCost: 100 }, /productVariantId must be a Shopify product variant id/],
      [{ kind: 'FIXED_AMOUNT', name: '', pointsCost: 100, valueMinor: 100 }, /name must be 1 to 120 characters/],
      [{ kind: 'FIXED_AMOUNT', name: 'Negative', pointsCost: -5, valueMinor: 100 }, /pointsCost must be a whole number/],
    ];
    for (const [input, message] of cases) {
      const { body } = await gql<{ rewardCreate: { reward: null; userErrors: { message: string; code: string }[] } }>(stack.url, mtoken, CREATE, { input });
      expect(body.data!.rewardCreate.reward).toBeNull();
      expect(body.data!.rewardCreate.userErrors[0].code).toBe('INVALID');
      expect(body.data!.rewardCreate.userErrors.map((e) => e.message).join(' | ')).toMatch(message);
    }
    expect(await count(stack, 'rewards')).toBe(before);
  });

  it('a customer cannot manage the catalogue', async () => {
    const { token } = await shopper(0);
    const { body } = await gql(stack.url, token, CREATE, { input: { kind: 'FREE_SHIPPING', name: 'Mine', pointsCost: 1 } });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('shoppers see enabled rewards with `affordable`; visitors without it; the merchant sees all', async () => {
    const hidden = await createReward({ kind: 'FREE_SHIPPING', name: 'Hidden', pointsCost: 1, enabled: false });
    const { token } = await shopper(600);
    const asCustomer = await gql<{ rewards: { id: string; affordable: boolean | null; name: string; slider: unknown }[] }>(stack.url, token, `{ rewards { ${REWARD_FIELDS} } }`);
    const mine = asCustomer.body.data!.rewards;
    expect(mine.map((r) => r.id)).not.toContain(hidden);
    expect(mine.find((r) => r.id === fixedId)!.affordable).toBe(true);
    expect(mine.find((r) => r.id === percentId)!.affordable).toBe(false);
    expect(mine.find((r) => r.id === sliderId)!.slider).toEqual({ pointsPerStep: 100, valueMinorPerStep: 100, maxSteps: 10 });
    const visitor = await signWidgetToken(stack.config.widgetTokenSecret, { kind: 'visitor', merchantId, shop: SHOP }, 60);
    const asVisitor = await gql<{ rewards: { id: string; affordable: boolean | null }[] }>(stack.url, visitor.token, `{ rewards { id affordable } }`);
    expect(asVisitor.body.data!.rewards.every((r) => r.affordable === null)).toBe(true);
    expect(asVisitor.body.data!.rewards.map((r) => r.id)).not.toContain(hidden);
    const asMerchant = await gql<{ rewards: { id: string; enabled: boolean; combinesWith?: unknown }[] }>(stack.url, mtoken, `{ rewards { id enabled } }`);
    expect(asMerchant.body.data!.rewards.find((r) => r.id === hidden)?.enabled).toBe(false);
    // Another shop's catalogue never shows this shop's rewards.
    const other = await gql<{ rewards: { id: string }[] }>(stack.url, await merchantToken(stack.config, OTHER_SHOP), `{ rewards { id } }`);
    expect(other.body.data!.rewards).toEqual([]);
  });

  it('rewardUpdate disables; rewardDelete removes an unused reward and refuses a redeemed one', async () => {
    const id = await createReward({ kind: 'FREE_SHIPPING', name: 'Short-lived', pointsCost: 10 });
    const upd = await gql<{ rewardUpdate: { reward: { enabled: boolean; name: string } } }>(stack.url, mtoken, 'mutation($input: RewardUpdateInput!) { rewardUpdate(input: $input) { reward { enabled name } userErrors { code } } }', { input: { id, enabled: false, name: 'Renamed' } });
    expect(upd.body.data!.rewardUpdate.reward).toEqual({ enabled: false, name: 'Renamed' });
    const del = await gql<{ rewardDelete: { deletedRewardId: string | null; userErrors: { code: string }[] } }>(stack.url, mtoken, 'mutation($input: RewardDeleteInput!) { rewardDelete(input: $input) { deletedRewardId userErrors { code message } } }', { input: { id } });
    expect(del.body.data!.rewardDelete.deletedRewardId).toBe(id);
    const { token } = await shopper(300);
    expect((await redeem(token, { rewardId: freeShipId })).userErrors).toEqual([]);
    const refused = await gql<{ rewardDelete: { deletedRewardId: string | null; userErrors: { code: string }[] } }>(stack.url, mtoken, 'mutation($input: RewardDeleteInput!) { rewardDelete(input: $input) { deletedRewardId userErrors { code message } } }', { input: { id: freeShipId } });
    expect(refused.body.data!.rewardDelete.userErrors[0].code).toBe('CONFLICT');
    const otherShop = await gql<{ rewardUpdate: { userErrors: { code: string }[] } }>(stack.url, await merchantToken(stack.config, OTHER_SHOP), 'mutation($input: RewardUpdateInput!) { rewardUpdate(input: $input) { userErrors { code } } }', { input: { id: fixedId, enabled: false } });
    expect(otherShop.body.data!.rewardUpdate.userErrors[0].code).toBe('NOT_FOUND');
  });
});

describe('rewardRedeem through the Shopify Admin API', () => {
  it('issues a single-use code restricted to the customer, spending the points once', async () => {
    const { token, customerId, shopifyId } = await shopper(1200);
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.userErrors).toEqual([]);
    expect(r.redemption).toMatchObject({ status: 'ISSUED', pointsSpent: 500, valueMinor: 500, reward: { name: '$5 off' } });
    expect(r.redemption!.code).toMatch(/^HT-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(new Date(r.redemption!.expiresAt!).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(r.customer!.pointsBalance).toBe(700);
    const created = fake.discounts.get(`${SHOP}/${r.redemption!.code}`)!;
    expect(created.mutation).toBe('discountCodeBasicCreate');
    expect(created.input).toMatchObject({
      code: r.redemption!.code,
      customerSelection: { customers: { add: [`gid://shopify/Customer/${shopifyId}`] } },
      customerGets: { value: { discountAmount: { amount: '5.00', appliesOnEachItem: false } }, items: { all: true } },
      minimumRequirement: { subtotal: { greaterThanOrEqualToSubtotal: '25.00' } },
      usageLimit: 1,
      appliesOncePerCustomer: true,
      combinesWith: { orderDiscounts: false, productDiscounts: true, shippingDiscounts: true },
    });
    expect(created.input.endsAt).toBe(r.redemption!.expiresAt);
    expect(await ledgerOf(customerId)).toEqual([{ type: 'admin_adjust', points: 1200 }, { type: 'redemption', points: -500 }]);
    // The customer is told, through the outbox written with the status change.
    const [outbox] = await rows<{ kind: string; payload: { reward: { code: string } } }>(sql`select kind, payload from notification_outbox where customer_id = ${customerId}`);
    expect(outbox.kind).toBe('reward_issued');
    expect(outbox.payload.reward.code).toBe(r.redemption!.code);
  });

  it('free shipping, percentage, free product and slider rewards become the right discounts', async () => {
    const { token } = await shopper(5000);
    const ship = await redeem(token, { rewardId: freeShipId });
    expect(fake.discounts.get(`${SHOP}/${ship.redemption!.code}`)).toMatchObject({ mutation: 'discountCodeFreeShippingCreate', input: { destination: { all: true }, usageLimit: 1 } });
    const pct = await redeem(token, { rewardId: percentId });
    expect(fake.discounts.get(`${SHOP}/${pct.redemption!.code}`)!.input).toMatchObject({ customerGets: { value: { percentage: 0.1 }, items: { all: true } } });
    const product = await redeem(token, { rewardId: productId });
    expect(fake.discounts.get(`${SHOP}/${product.redemption!.code}`)!.input).toMatchObject({
      customerGets: { value: { discountAmount: { amount: '12.00', appliesOnEachItem: false } }, items: { products: { productVariantsToAdd: ['gid://shopify/ProductVariant/4455'] } } },
    });
    const slider = await redeem(token, { rewardId: sliderId, steps: 3 });
    expect(slider.redemption).toMatchObject({ status: 'ISSUED', pointsSpent: 300, valueMinor: 300, steps: 3 });
    expect(fake.discounts.get(`${SHOP}/${slider.redemption!.code}`)!.input).toMatchObject({ customerGets: { value: { discountAmount: { amount: '3.00' } } } });
    expect(slider.customer!.pointsBalance).toBe(5000 - 300 - 800 - 900 - 300);
  });

  it('a double click (same idempotency key, concurrently and again later) debits once and returns the same code', async () => {
    const { token, customerId } = await shopper(1000);
    const key = randomUUID();
    const before = creates().length;
    const [a, b] = await Promise.all([redeem(token, { rewardId: fixedId, idempotencyKey: key }), redeem(token, { rewardId: fixedId, idempotencyKey: key })]);
    const c = await redeem(token, { rewardId: fixedId, idempotencyKey: key });
    for (const r of [a, b, c]) expect(r.userErrors).toEqual([]);
    expect(new Set([a, b, c].map((r) => r.redemption!.id)).size).toBe(1);
    expect(new Set([a, b, c].map((r) => r.redemption!.code)).size).toBe(1);
    expect(await balanceOf(customerId)).toBe(500);
    expect((await ledgerOf(customerId)).filter((e) => e.type === 'redemption')).toHaveLength(1);
    expect(creates().length - before).toBe(1);
    // The same key for a different reward is a mistake, not a second redemption.
    const clash = await redeem(token, { rewardId: freeShipId, idempotencyKey: key });
    expect(clash.userErrors[0].code).toBe('CONFLICT');
    expect(await balanceOf(customerId)).toBe(500);
  });

  it('insufficient points: INSUFFICIENT_POINTS, nothing reserved, Shopify not called', async () => {
    const { token, customerId } = await shopper(499);
    const before = fake.requests.length;
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.userErrors).toEqual([{ field: ['input', 'rewardId'], code: 'INSUFFICIENT_POINTS', message: 'This reward costs 500 points; the balance is 499' }]);
    expect(r.redemption).toBeNull();
    expect(await redemptionsOf(customerId)).toEqual([]);
    expect(await ledgerOf(customerId)).toEqual([{ type: 'admin_adjust', points: 499 }]);
    expect(fake.requests.length).toBe(before);
  });

  it('a disabled, unknown or other shop’s reward is NOT_FOUND, all alike, and nothing is written', async () => {
    const disabled = await createReward({ kind: 'FREE_SHIPPING', name: 'Off', pointsCost: 1, enabled: false });
    const foreign = await createReward({ kind: 'FREE_SHIPPING', name: 'Theirs', pointsCost: 1 }, OTHER_SHOP);
    const { token, customerId } = await shopper(1000);
    const answers = [];
    for (const rewardId of [disabled, foreign, 'rwd_00000000000000000000000000']) answers.push((await redeem(token, { rewardId })).userErrors);
    expect(answers[0]).toEqual([{ field: ['input', 'rewardId'], code: 'NOT_FOUND', message: 'No such reward' }]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await redemptionsOf(customerId)).toEqual([]);
    expect(await balanceOf(customerId)).toBe(1000);
  });

  it('bad slider steps and malformed keys are INVALID with nothing written', async () => {
    const { token, customerId } = await shopper(5000);
    expect((await redeem(token, { rewardId: sliderId, steps: 11 })).userErrors[0]).toMatchObject({ code: 'INVALID', message: 'steps must be a whole number from 1 to 10 for this reward' });
    expect((await redeem(token, { rewardId: sliderId })).userErrors[0].code).toBe('INVALID');
    expect((await redeem(token, { rewardId: fixedId, steps: 2 })).userErrors[0].message).toMatch(/only applies to a points slider/);
    expect((await redeem(token, { rewardId: fixedId, idempotencyKey: 'has spaces in it' })).userErrors[0].field).toEqual(['input', 'idempotencyKey']);
    expect(await redemptionsOf(customerId)).toEqual([]);
    expect(await balanceOf(customerId)).toBe(5000);
  });

  it('enforces the per-customer limit', async () => {
    const limited = await createReward({ kind: 'FREE_SHIPPING', name: 'Once each', pointsCost: 100, perCustomerLimit: 1 });
    const { token, customerId } = await shopper(1000);
    expect((await redeem(token, { rewardId: limited })).userErrors).toEqual([]);
    const again = await redeem(token, { rewardId: limited });
    expect(again.userErrors[0]).toMatchObject({ code: 'LIMIT_REACHED' });
    expect(await balanceOf(customerId)).toBe(900);
  });

  it('a merchant may redeem on a customer’s behalf; a customer only for themselves', async () => {
    const { customerId } = await shopper(600);
    const viaMerchant = await redeem(mtoken, { rewardId: fixedId, customerId });
    expect(viaMerchant.redemption!.status).toBe('ISSUED');
    expect(viaMerchant.customer!.pointsBalance).toBe(100);
    expect((await redeem(mtoken, { rewardId: fixedId })).userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'customerId'] });
    const { token } = await shopper(600);
    const { body } = await gql(stack.url, token, REDEEM, { input: { rewardId: fixedId, idempotencyKey: randomUUID(), customerId } });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A customer of another shop cannot reach this shop's rewards.
    const otherId = await install(stack, OTHER_SHOP);
    const foreigner = await shopper(10_000, OTHER_SHOP, otherId);
    expect((await redeem(foreigner.token, { rewardId: fixedId })).userErrors[0].code).toBe('NOT_FOUND');
  });

  it('lists the customer’s codes newest first, paginated', async () => {
    const { token } = await shopper(2000);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) codes.push((await redeem(token, { rewardId: freeShipId })).redemption!.code!);
    const Q = 'query($after: String) { me { redemptions(first: 2, after: $after) { nodes { code status reward { name } } pageInfo { hasNextPage endCursor } } } }';
    const p1 = await gql<{ me: { redemptions: { nodes: { code: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } }>(stack.url, token, Q);
    expect(p1.body.data!.me.redemptions.nodes.map((n) => n.code)).toEqual([codes[2], codes[1]]);
    expect(p1.body.data!.me.redemptions.pageInfo.hasNextPage).toBe(true);
    const p2 = await gql<{ me: { redemptions: { nodes: { code: string }[] } } }>(stack.url, token, Q, { after: p1.body.data!.me.redemptions.pageInfo.endCursor });
    expect(p2.body.data!.me.redemptions.nodes.map((n) => n.code)).toEqual([codes[0]]);
  });
});

describe('when Shopify misbehaves', () => {
  async function failing(setup: () => void, expected: { code: string; message: RegExp }) {
    const { token, customerId } = await shopper(500);
    setup();
    const before = fake.discounts.size;
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.userErrors[0]).toMatchObject({ code: expected.code, field: ['input', 'rewardId'] });
    expect(r.userErrors[0].message).toMatch(expected.message);
    expect(r.redemption?.code ?? null).toBeNull();
    expect(r.customer!.pointsBalance).toBe(500);
    expect(await balanceOf(customerId)).toBe(500);
    const [red] = await redemptionsOf(customerId);
    expect(red.status).toBe('voided');
    expect((await ledgerOf(customerId)).map((e) => e.type)).toEqual(['admin_adjust', 'redemption', 'redemption_void']);
    expect(fake.discounts.size).toBe(before);
    return red;
  }

  it('answers 5xx on every attempt: UNAVAILABLE, the reservation is voided and the points come back', async () => {
    await failing(() => fake.failNext({ kind: 'server_error', status: 503 }, 3, 'discountCodeBasicCreate'), { code: 'UNAVAILABLE', message: /Shopify answered 503/ });
  });

  it('times out: UNAVAILABLE, points back', async () => {
    await failing(() => fake.failNext({ kind: 'hang' }, 6), { code: 'UNAVAILABLE', message: /did not answer within 300 ms/ });
  });

  it('is down (connections dropped): UNAVAILABLE, points back', async () => {
    await failing(() => fake.failNext({ kind: 'drop' }, 6), { code: 'UNAVAILABLE', message: /could not be reached/ });
  });

  it('stays THROTTLED: UNAVAILABLE after backing off, points back', async () => {
    await failing(() => fake.failNext({ kind: 'throttled' }, 30), { code: 'UNAVAILABLE', message: /throttled/i });
  });

  it('answers with userErrors: INVALID carrying Shopify’s message, points back', async () => {
    await failing(() => fake.failNext({ kind: 'user_error', message: 'Customer selection is invalid for this shop' }, 1, 'discountCodeBasicCreate'), { code: 'INVALID', message: /Customer selection is invalid for this shop/ });
  });

  it('THROTTLED once (cost bucket empty): waits for the bucket and issues', async () => {
    const { token } = await shopper(500);
    fake.failNext({ kind: 'throttled' }, 1, 'discountCodeBasicCreate');
    const started = fake.requests.length;
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.redemption!.status).toBe('ISSUED');
    expect(fake.requests.slice(started).map((q) => q.outcome)).toEqual(['throttled', 'created']);
  });

  it('a real leaky bucket: many concurrent redemptions all succeed by honouring the cost extension', async () => {
    fake.setBucket({ maximumAvailable: 30, restoreRate: 100 });
    try {
      const shoppers = await Promise.all(Array.from({ length: 8 }, () => shopper(300)));
      const started = fake.requests.length;
      const results = await Promise.all(shoppers.map((s) => redeem(s.token, { rewardId: freeShipId })));
      expect(results.every((r) => r.redemption?.status === 'ISSUED')).toBe(true);
      expect(fake.requests.slice(started).some((q) => q.outcome === 'throttled')).toBe(true);
    } finally {
      fake.setBucket({ maximumAvailable: 2000, restoreRate: 100 });
    }
  });

  it('5xx once, then success: issued with one discount', async () => {
    const { token } = await shopper(500);
    fake.failNext({ kind: 'server_error', status: 502 }, 1, 'discountCodeBasicCreate');
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.redemption!.status).toBe('ISSUED');
  });

  it('created but the answer timed out: the retry finds the code taken, looks it up, and issues it (one discount)', async () => {
    const { token, customerId } = await shopper(500);
    fake.failNext({ kind: 'hang_after_create' }, 1, 'discountCodeBasicCreate');
    const before = fake.discounts.size;
    const r = await redeem(token, { rewardId: fixedId });
    expect(r.userErrors).toEqual([]);
    expect(r.redemption!.status).toBe('ISSUED');
    expect(fake.discounts.size).toBe(before + 1);
    expect(await balanceOf(customerId)).toBe(0);
  });

  it('a retried key after a failure reports the failure again instead of charging twice', async () => {
    const { token, customerId } = await shopper(500);
    const key = randomUUID();
    fake.failNext({ kind: 'server_error' }, 3, 'discountCodeBasicCreate');
    expect((await redeem(token, { rewardId: fixedId, idempotencyKey: key })).userErrors[0].code).toBe('UNAVAILABLE');
    const again = await redeem(token, { rewardId: fixedId, idempotencyKey: key });
    expect(again.userErrors[0].code).toBe('UNAVAILABLE');
    expect(again.redemption!.status).toBe('VOIDED');
    expect(await balanceOf(customerId)).toBe(500);
    expect((await ledgerOf(customerId)).filter((e) => e.type === 'redemption')).toHaveLength(1);
  });
});

describe('embedded mode (no Admin API token)', () => {
  it('the recording provider issues the code and keeps what it would have created', async () => {
    const devMerchant = await install(stack, DEV_SHOP);
    const id = await createReward({ kind: 'FIXED_AMOUNT', name: 'Dev $5', pointsCost: 100, valueMinor: 500 }, DEV_SHOP);
    const { token } = await shopper(100, DEV_SHOP, devMerchant);
    const before = fake.requests.length;
    const r = await redeem(token, { rewardId: id });
    expect(r.redemption!.status).toBe('ISSUED');
    expect(fake.requests.length).toBe(before);
    const [rec] = await rows<{ code: string; mutation: string; input: { basicCodeDiscount: { usageLimit: number } } }>(sql`select code, mutation, input from dev_discount_codes where merchant_id = ${devMerchant}`);
    expect(rec).toMatchObject({ code: r.redemption!.code, mutation: 'discountCodeBasicCreate', input: { basicCodeDiscount: { usageLimit: 1 } } });
  });
});

describe('a crash between reserve and issue', () => {
  async function crashAfterReserve(createInShopify: boolean) {
    const { token, customerId } = await shopper(500);
    redemptionFaults.afterReserve = async (row) => {
      if (createInShopify) {
        // The create reached Shopify just before the process died.
        fake.discounts.set(`${SHOP}/${row.discountCode}`, { id: 'gid://shopify/DiscountCodeNode/424242', shop: SHOP, code: row.discountCode!, mutation: 'discountCodeBasicCreate', input: {}, createdAt: new Date() });
      }
      throw new ProcessCrash('simulated crash');
    };
    const { body } = await gql(stack.url, token, REDEEM, { input: { rewardId: fixedId, idempotencyKey: randomUUID() } });
    redemptionFaults.afterReserve = undefined;
    expect(body.errors?.length).toBe(1);
    expect(await balanceOf(customerId)).toBe(0);
    expect((await redemptionsOf(customerId))[0].status).toBe('reserved');
    return customerId;
  }

  it('leaves a reservation that reconciliation voids exactly once, even with two reconcilers at once', async () => {
    const customerId = await crashAfterReserve(false);
    // Within the grace period the reconciler leaves it alone.
    expect((await runCommand(stack.deps, ['redemptions', 'reconcile'])).out).toMatch(/voided \(points returned\): 0/);
    const [a, b] = await Promise.all([runCommand(stack.deps, ['redemptions', 'reconcile', '--grace', '0']), runCommand(stack.deps, ['redemptions', 'reconcile', '--grace', '0'])]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const [red] = await redemptionsOf(customerId);
    expect(red.status).toBe('voided');
    expect(await balanceOf(customerId)).toBe(500);
    expect((await ledgerOf(customerId)).map((e) => e.type)).toEqual(['admin_adjust', 'redemption', 'redemption_void']);
    const third = await runCommand(stack.deps, ['redemptions', 'reconcile', '--grace', '0']);
    expect(third.out).toMatch(/voided \(points returned\): 0/);
  });

  it('completes the reservation when Shopify has the code', async () => {
    const customerId = await crashAfterReserve(true);
    const r = await runCommand(stack.deps, ['redemptions', 'reconcile', '--grace', '0']);
    expect(r.out).toMatch(/issued: 1/);
    const [red] = await redemptionsOf(customerId);
    expect(red.status).toBe('issued');
    expect(await balanceOf(customerId)).toBe(0);
    const [row] = await rows<{ shopify_discount_id: string }>(sql`select shopify_discount_id from reward_redemptions where id = ${red.id}`);
    expect(row.shopify_discount_id).toBe('gid://shopify/DiscountCodeNode/424242');
  });

  it('rejects a malformed reconcile command', async () => {
    expect((await runCommand(stack.deps, ['redemptions', 'reconcile', '--grace', 'soon'])).code).toBe(2);
  });
});

describe('used and refunded codes (orders webhooks)', () => {
  it('an order applying the code marks it used; a full refund restores the points under the restore policy', async () => {
    const { token, customerId, shopifyId } = await shopper(500);
    const r = await redeem(token, { rewardId: fixedId });
    const code = r.redemption!.code!;
    const orderId = 880_000 + Number(shopifyId);
    expect((await deliver(stack, SHOP, 'orders/paid', orderPayload({ id: orderId, customerId: Number(shopifyId), lines: [{ price: '40.00' }], discountCodes: [code.toLowerCase()] }))).status).toBe(200);
    await drained(stack);
    const [used] = await rows<{ status: string; used_order_id: string }>(sql`select status, used_order_id from reward_redemptions where id = ${r.redemption!.id}`);
    expect(used).toEqual({ status: 'used', used_order_id: String(orderId) });
    const { body } = await gql<{ me: { redemptions: { nodes: { status: string }[] } } }>(stack.url, token, '{ me { redemptions(first: 1) { nodes { status } } } }');
    expect(body.data!.me.redemptions.nodes[0].status).toBe('USED');

    const policy = await gql<{ rewardSettingsUpdate: { rewardSettings: { usedRewardOnFullRefund: string } } }>(stack.url, mtoken, 'mutation { rewardSettingsUpdate(input: { usedRewardOnFullRefund: RESTORE_POINTS }) { rewardSettings { usedRewardOnFullRefund } userErrors { code } } }');
    expect(policy.body.data!.rewardSettingsUpdate.rewardSettings.usedRewardOnFullRefund).toBe('RESTORE_POINTS');
    const before = await balanceOf(customerId);
    await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 990_000 + Number(shopifyId), orderId, lines: [{ subtotal: '40.00' }] }));
    await drained(stack);
    const [after] = await rows<{ status: string }>(sql`select status from reward_redemptions where id = ${r.redemption!.id}`);
    expect(after.status).toBe('voided');
    // The reward's 500 points come back (the order's own points are clawed back by the refund).
    const voids = (await ledgerOf(customerId)).filter((e) => e.type === 'redemption_void');
    expect(voids).toEqual([{ type: 'redemption_void', points: 500 }]);
    expect(await balanceOf(customerId)).toBeGreaterThan(before);
    await gql(stack.url, mtoken, 'mutation { rewardSettingsUpdate(input: { usedRewardOnFullRefund: KEEP }) { userErrors { code } } }');
  });
});
