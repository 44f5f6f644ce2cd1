import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, newId } from '@herethere/db';
import { seal, testConfig } from '@herethere/runtime';
import { runCampaignLifecycle } from '@herethere/loyalty/campaign/lifecycle';
import { refreshCollections } from '@herethere/merchant-config/campaign/collections';
import { startFakeShopifyCatalog, type FakeShopifyCatalog } from '../fakes/shopify-catalog';
import { customerPayload, deliver, drained, orderPayload, refundPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let fake: FakeShopifyCatalog;
let merchantId: string;
let mtoken: string;
const SHOP = 'campaign-shop.myshopify.com';
const PLAIN = 'campaign-plain.myshopify.com';
const TZ = 'America/New_York';
const ACCESS_TOKEN = 'shpat_campaign_test_token';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);
type Err = { code: string; message: string; field: string[] | null };
type Campaign = { id: string; status: string; startsAt: string; endsAt: string | null; startsAtLocal: string; endsAtLocal: string | null; timeZone: string; multiplierBp: number | null };
const FIELDS = 'id status startsAt endsAt startsAtLocal endsAtLocal timeZone multiplierBp';

async function create(input: Record<string, unknown>, token = mtoken) {
  const { body } = await gql<{ bonusCampaignCreate: { bonusCampaign: Campaign | null; userErrors: Err[] } }>(stack.url, token,
    `mutation($input: BonusCampaignCreateInput!) { bonusCampaignCreate(input: $input) { bonusCampaign { ${FIELDS} } userErrors { code message field } } }`, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.bonusCampaignCreate;
}
async function end(id: string) {
  const { body } = await gql<{ bonusCampaignEnd: { bonusCampaign: Campaign | null; userErrors: Err[] } }>(stack.url, mtoken,
    `mutation($input: BonusCampaignEndInput!) { bonusCampaignEnd(input: $input) { bonusCampaign { ${FIELDS} } userErrors { code message field } } }`, { input: { id } });
  return body.data!.bonusCampaignEnd;
}
/** An order placed just now (campaigns apply by when an order was placed). */
async function paid(spec: Parameters<typeof orderPayload>[0]) {
  const now = new Date().toISOString();
  expect((await deliver(stack, SHOP, 'orders/paid', { ...orderPayload(spec), created_at: now, processed_at: now }, randomUUID())).status).toBe(200);
  await drained(stack);
}
const customerId = async (shopifyId: number) => (await rows<{ id: string }>(sql`select id from customers where merchant_id = ${merchantId} and shopify_customer_id = ${String(shopifyId)}`))[0].id;
const ledgerOf = async (shopifyId: number) => rows<{ type: string; points: number; campaign_id: string | null; order_id: string }>(
  sql`select type, points, campaign_id, order_id from points_transactions where customer_id = ${await customerId(shopifyId)} order by seq`);
const hours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

beforeAll(async () => {
  fake = await startFakeShopifyCatalog();
  const base = testConfig();
  stack = await startStack({ shopify: { ...base.shopify, adminApiUrl: fake.url }, shopifyAdmin: { timeoutMs: 500, maxAttempts: 2 } });
  merchantId = await install(stack, SHOP);
  await install(stack, PLAIN);
  await rows(sql`update merchants set timezone = ${TZ} where id = ${merchantId}`);
  await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
  await stack.deps.db.db.update(merchants).set({ accessTokenSealed: seal(stack.config.encryptionKey, ACCESS_TOKEN) }).where(sql`${merchants.id} = ${merchantId}`);
  fake.registerShop(SHOP, ACCESS_TOKEN, [7000, 7001, 4242], [300]);
  mtoken = await merchantToken(stack.config, SHOP);
});
afterAll(async () => {
  await stack?.stop();
  await fake?.close();
});

describe('campaign definitions', () => {
  it('reads times without an offset in the shop’s time zone, across DST, and shows them back', async () => {
    const xmas = await create({ name: 'Christmas Eve', type: 'MULTIPLIER', multiplierBp: 20_000, startsAt: '2026-12-24T00:00', endsAt: '2026-12-26T00:00' });
    expect(xmas.userErrors).toEqual([]);
    expect(xmas.bonusCampaign).toMatchObject({ status: 'SCHEDULED', startsAt: '2026-12-24T05:00:00.000Z', endsAt: '2026-12-26T05:00:00.000Z', startsAtLocal: '2026-12-24T00:00:00', timeZone: TZ });
    // 02:30 on 14 March 2027 does not exist in New York (clocks jump to 03:00): it starts at 03:30 EDT.
    const spring = await create({ name: 'Spring forward', type: 'MULTIPLIER', multiplierBp: 15_000, startsAt: '2027-03-14T02:30', endsAt: '2027-03-15T00:00' });
    expect(spring.bonusCampaign).toMatchObject({ startsAt: '2027-03-14T07:30:00.000Z', startsAtLocal: '2027-03-14T03:30:00', endsAt: '2027-03-15T04:00:00.000Z' });
    const instant = await create({ name: 'Explicit offset', type: 'MULTIPLIER', multiplierBp: 15_000, startsAt: '2027-01-10T09:00:00+01:00' });
    expect(instant.bonusCampaign).toMatchObject({ startsAt: '2027-01-10T08:00:00.000Z', startsAtLocal: '2027-01-10T03:00:00', endsAt: null });
    for (const c of [xmas, spring, instant]) expect((await end(c.bonusCampaign!.id)).bonusCampaign!.status).toBe('CANCELLED');
  });

  it('refuses a campaign ending before it starts, entirely in the past, a multiplier ≤ 0 or > 10×, unknown products, collections or tiers; nothing is written', async () => {
    const before = await count(stack, 'bonus_campaigns');
    const requests = fake.requests.length;
    const cases: [Record<string, unknown>, Partial<Err>][] = [
      [{ name: 'Backwards', type: 'MULTIPLIER', multiplierBp: 20_000, startsAt: '2027-02-10T00:00', endsAt: '2027-02-09T00:00' },
        { code: 'INVALID', field: ['input', 'endsAt'], message: 'endsAt (2027-02-09T05:00:00.000Z) must be after startsAt (2027-02-10T05:00:00.000Z)' }],
      [{ name: 'Last year', type: 'MULTIPLIER', multiplierBp: 20_000, startsAt: '2025-11-01T00:00', endsAt: '2025-11-03T00:00' },
        { code: 'INVALID', field: ['input', 'endsAt'], message: 'the campaign would be entirely in the past: it ends 2025-11-03T05:00:00.000Z, before now' }],
      [{ name: 'Zero', type: 'MULTIPLIER', multiplierBp: 0, startsAt: hours(1) },
        { code: 'INVALID', field: ['input', 'multiplierBp'], message: 'multiplierBp must be above 0 and at most 100000 (10×), in basis points where 10000 = 1.0×' }],
      [{ name: 'Negative', type: 'MULTIPLIER', multiplierBp: -10_000, startsAt: hours(1) }, { code: 'INVALID', field: ['input', 'multiplierBp'] }],
      [{ name: 'Eleven', type: 'MULTIPLIER', multiplierBp: 110_000, startsAt: hours(1) }, { code: 'INVALID', field: ['input', 'multiplierBp'] }],
      [{ name: 'Bad id', type: 'PRODUCT_BONUS', bonusPoints: 50, productIds: ['gid://shopify/Product/abc'], startsAt: hours(1) },
        { code: 'INVALID', field: ['input', 'productIds'], message: 'productIds must be Shopify product ids like gid://shopify/Product/123 (not: gid://shopify/Product/abc)' }],
      [{ name: 'Unknown product', type: 'PRODUCT_BONUS', bonusPoints: 50, productIds: ['gid://shopify/Product/7000', 'gid://shopify/Product/999999'], startsAt: hours(1) },
        { code: 'NOT_FOUND', field: ['input', 'productIds'], message: 'Unknown product in this shop: gid://shopify/Product/999999' }],
      [{ name: 'Unknown collection', type: 'PRODUCT_BONUS', bonusPoints: 50, collectionIds: ['gid://shopify/Collection/404'], startsAt: hours(1) },
        { code: 'NOT_FOUND', field: ['input', 'collectionIds'], message: 'Unknown collection in this shop: gid://shopify/Collection/404' }],
      [{ name: 'A product as a collection', type: 'PRODUCT_BONUS', bonusPoints: 50, collectionIds: ['gid://shopify/Collection/7000'], startsAt: hours(1) },
        { code: 'NOT_FOUND', field: ['input', 'collectionIds'] }],
      [{ name: 'Unknown tier', type: 'TIER_BONUS', bonusPoints: 50, tierIds: ['tier_doesnotexist'], startsAt: hours(1) },
        { code: 'NOT_FOUND', field: ['input', 'tierIds'], message: 'No VIP tier tier_doesnotexist in this shop' }],
      [{ name: 'Wrong fields', type: 'SPEND_GOAL', bonusPoints: 50, multiplierBp: 20_000, startsAt: hours(1) },
        { code: 'INVALID', field: ['input', 'goalMinor'], message: 'goalMinor is required for a spend_goal campaign' }],
      [{ name: 'Bad time', type: 'MULTIPLIER', multiplierBp: 20_000, startsAt: 'next friday' }, { code: 'INVALID', field: ['input', 'startsAt'] }],
    ];
    for (const [input, expected] of cases) {
      const r = await create(input);
      expect(r.bonusCampaign, input.name as string).toBeNull();
      expect(r.userErrors[0], input.name as string).toMatchObject(expected);
    }
    expect(await count(stack, 'bonus_campaigns')).toBe(before);
    // The catalogue was asked through the Admin API for the well-formed ids only.
    const asked = fake.requests.slice(requests).filter((r) => r.operation === 'nodes');
    expect(asked.map((r) => r.ids)).toEqual([['gid://shopify/Product/7000', 'gid://shopify/Product/999999'], ['gid://shopify/Collection/404'], ['gid://shopify/Collection/7000']]);
  });

  it('says so when Shopify cannot be asked, and writes nothing; a shop without an Admin API token gets the format check only', async () => {
    const before = await count(stack, 'bonus_campaigns');
    fake.failNext('server_error', 2);
    const down = await create({ name: 'Shopify down', type: 'PRODUCT_BONUS', bonusPoints: 50, productIds: ['gid://shopify/Product/7000'], startsAt: hours(1) });
    expect(down.userErrors[0]).toMatchObject({ code: 'UNAVAILABLE', field: ['input', 'productIds'] });
    expect(down.userErrors[0].message).toMatch(/^Could not check the products and collections with Shopify; try again/);
    expect(await count(stack, 'bonus_campaigns')).toBe(before);
    const plain = await create({ name: 'No token', type: 'PRODUCT_BONUS', bonusPoints: 50, productIds: ['gid://shopify/Product/123'], startsAt: hours(1) }, await merchantToken(stack.config, PLAIN));
    expect(plain.userErrors).toEqual([]);
  });
});

describe('campaigns at earn time', () => {
  let double: string;
  let goal: string;
  let product: string;

  it('a multiplier campaign earns its extra points as an entry linked to the campaign', async () => {
    const r = await create({ name: 'Double points week', type: 'MULTIPLIER', multiplierBp: 20_000, startsAt: hours(-1), endsAt: hours(24 * 7) });
    expect(r.userErrors).toEqual([]);
    expect(r.bonusCampaign!.status).toBe('ACTIVE');
    double = r.bonusCampaign!.id;
    await paid({ id: 7101, customerId: 801, lines: [{ price: '40.00' }] });
    expect(await ledgerOf(801)).toEqual([
      { type: 'purchase', points: 40, campaign_id: null, order_id: '7101' },
      { type: 'campaign', points: 40, campaign_id: double, order_id: '7101' },
    ]);
  });

  it('stacks with the tier multiplier per the shop’s policy: MULTIPLY gives 3×, MAX gives the larger 2×', async () => {
    const tier = await gql<{ vipTierCreate: { userErrors: Err[] } }>(stack.url, mtoken,
      'mutation { vipTierCreate(input: { name: "Member", threshold: 0, thresholdKind: MONEY_SPENT, earningMultiplierBp: 15000 }) { userErrors { code message } } }');
    expect(tier.body.data!.vipTierCreate.userErrors).toEqual([]);
    await paid({ id: 7201, customerId: 802, lines: [{ price: '100.00' }] });
    expect((await ledgerOf(802)).map((e) => [e.type, e.points])).toEqual([['purchase', 100], ['tier_bonus', 50], ['campaign', 150]]);
    const policy = await gql<{ vipProgramUpdate: { vipProgram: { tierStackingPolicy: string }; userErrors: Err[] } }>(stack.url, mtoken,
      'mutation { vipProgramUpdate(input: { tierStackingPolicy: MAX }) { vipProgram { tierStackingPolicy } userErrors { code } } }');
    expect(policy.body.data!.vipProgramUpdate).toEqual({ vipProgram: { tierStackingPolicy: 'MAX' }, userErrors: [] });
    await paid({ id: 7202, customerId: 803, lines: [{ price: '100.00' }] });
    expect((await ledgerOf(803)).map((e) => [e.type, e.points])).toEqual([['purchase', 100], ['campaign', 100]]);
    await gql(stack.url, mtoken, 'mutation { vipProgramUpdate(input: { tierStackingPolicy: MULTIPLY }) { userErrors { code } } }');
  });

  it('a spend goal pays once when spend inside the campaign reaches it; a product bonus pays on orders with the product', async () => {
    expect((await end(double)).bonusCampaign!.status).toBe('ENDED');
    const g = await create({ name: 'Spend $150', type: 'SPEND_GOAL', goalMinor: 15_000, bonusPoints: 300, startsAt: hours(-1), endsAt: hours(48) });
    expect(g.userErrors).toEqual([]);
    goal = g.bonusCampaign!.id;
    const p = await create({ name: 'Socks bonus', type: 'PRODUCT_BONUS', bonusPoints: 25, productIds: ['gid://shopify/Product/4242'], startsAt: hours(-1), endsAt: hours(48) });
    expect(p.userErrors).toEqual([]);
    product = p.bonusCampaign!.id;
    await paid({ id: 7301, customerId: 804, lines: [{ price: '100.00' }] });
    await paid({ id: 7302, customerId: 804, lines: [{ price: '60.00', productId: 4242 }] });
    await paid({ id: 7303, customerId: 804, lines: [{ price: '80.00' }] });
    const campaignEntries = (await ledgerOf(804)).filter((e) => e.type === 'campaign');
    expect(campaignEntries).toEqual([
      { type: 'campaign', points: 300, campaign_id: goal, order_id: '7302' },
      { type: 'campaign', points: 25, campaign_id: product, order_id: '7302' },
    ]);
  });

  it('a guest order earns its product bonus when the shopper’s account appears', async () => {
    await paid({ id: 7305, customerId: null, email: 'sock.guest@example.com', lines: [{ price: '20.00', productId: 4242 }] });
    await deliver(stack, SHOP, 'customers/create', customerPayload({ id: 806, email: 'sock.guest@example.com' }));
    await drained(stack);
    const entries = (await ledgerOf(806)).filter((e) => e.campaign_id === product);
    expect(entries).toEqual([{ type: 'campaign', points: 25, campaign_id: product, order_id: '7305' }]);
  });

  it('a collection bonus pays on orders with a product in the collection, read from Shopify page by page and re-read daily', async () => {
    const many = Array.from({ length: 300 }, (_, i) => 910_000 + i);
    fake.setCollectionProducts(SHOP, 300, [...many, 5151]);
    const before = fake.requests.length;
    const c = await create({ name: 'Summer collection', type: 'PRODUCT_BONUS', bonusPoints: 40, collectionIds: ['gid://shopify/Collection/300'], startsAt: hours(-1), endsAt: hours(48) });
    expect(c.userErrors).toEqual([]);
    // 301 products: two pages of at most 250.
    expect(fake.requests.slice(before).filter((r) => r.operation === 'collection')).toHaveLength(2);
    await paid({ id: 7311, customerId: 805, lines: [{ price: '30.00', productId: 5151 }] });
    await paid({ id: 7312, customerId: 805, lines: [{ price: '30.00', productId: 7000 }] });
    // A product added to the collection in Shopify counts once the collection is read again.
    fake.setCollectionProducts(SHOP, 300, [...many, 5151, 6262]);
    await paid({ id: 7313, customerId: 805, lines: [{ price: '30.00', productId: 6262 }] });
    expect(await refreshCollections(stack.deps)).toBe(0); // read less than a day ago
    await rows(sql`update collection_syncs set synced_at = now() - interval '25 hours' where merchant_id = ${merchantId}`);
    expect(await refreshCollections(stack.deps)).toBe(1);
    await paid({ id: 7314, customerId: 805, lines: [{ price: '30.00', productId: 6262 }] });
    const entries = (await ledgerOf(805)).filter((e) => e.campaign_id === c.bonusCampaign!.id);
    expect(entries.map((e) => [e.order_id, e.points])).toEqual([['7311', 40], ['7314', 40]]);
    const [synced] = await rows<{ product_count: number }>(sql`select product_count from collection_syncs where merchant_id = ${merchantId} and collection_id = 'gid://shopify/Collection/300'`);
    expect(synced.product_count).toBe(302);
    expect((await end(c.bonusCampaign!.id)).bonusCampaign!.status).toBe('ENDED');
  });

  it('reports performance: points issued, orders, customers and revenue, net of refunds, to the shop only', async () => {
    const PERF = 'query($id: ID!) { bonusCampaign(id: $id) { name performance { pointsIssued orders customers revenueMinor currency } } }';
    const { body } = await gql<{ bonusCampaign: { performance: Record<string, unknown> } }>(stack.url, mtoken, PERF, { id: double });
    expect(body.errors).toBeUndefined();
    expect(body.data!.bonusCampaign.performance).toEqual({ pointsIssued: 40 + 150 + 100, orders: 3, customers: 3, revenueMinor: 4_000 + 10_000 + 10_000, currency: 'USD' });
    expect((await deliver(stack, SHOP, 'refunds/create', refundPayload({ id: 9301, orderId: 7302, lines: [{ subtotal: '60.00' }] }), randomUUID())).status).toBe(200);
    await drained(stack);
    const afterRefund = await gql<{ bonusCampaign: { performance: { revenueMinor: number; orders: number } } }>(stack.url, mtoken, PERF, { id: goal });
    expect(afterRefund.body.data!.bonusCampaign.performance.revenueMinor).toBe(0);
    const other = await merchantToken(stack.config, PLAIN);
    expect((await gql<{ bonusCampaign: unknown }>(stack.url, other, PERF, { id: double })).body.data!.bonusCampaign).toBeNull();
  });
});

describe('campaign lifecycle', () => {
  it('tells eligible members (accepting marketing, in the campaign’s tiers) once when it starts, and ends it after its end', async () => {
    const shop = 'campaign-life.myshopify.com';
    const m = await install(stack, shop);
    const token = await merchantToken(stack.config, shop);
    const t = await gql<{ vipTierCreate: { vipTier: { id: string } } }>(stack.url, token, 'mutation { vipTierCreate(input: { name: "Gold", threshold: 0, thresholdKind: ORDER_COUNT }) { vipTier { id } } }');
    const gold = t.body.data!.vipTierCreate.vipTier.id;
    // Creating the tier queues a recompute of the shop's members; let it finish first, so it cannot
    // move the members placed in (or out of) the tier below.
    for (let waited = 0; ; waited += 50) {
      const [job] = await rows<{ n: number }>(sql`select count(*)::int as n from gamification_jobs where merchant_id = ${m} and kind = 'tier_recompute' and requested_at is not null`);
      if (Number(job.n) === 0) break;
      if (waited > 20_000) throw new Error('the tier recompute did not finish');
      await new Promise((r) => setTimeout(r, 50));
    }
    const people = [
      { id: newId('customer'), marketing: true, tier: gold },
      { id: newId('customer'), marketing: false, tier: gold },
      { id: newId('customer'), marketing: true, tier: null },
    ];
    for (const [i, p] of people.entries()) {
      await rows(sql`insert into customers (merchant_id, id, shopify_customer_id, accepts_marketing, vip_tier_id) values (${m}, ${p.id}, ${String(i + 1)}, ${p.marketing}, ${p.tier})`);
    }
    const startsAt = new Date(Date.now() + 3_600_000);
    const r = await create({ name: 'Gold weekend', type: 'TIER_BONUS', tierIds: [gold], multiplierBp: 30_000, startsAt: startsAt.toISOString(), endsAt: hours(5) }, token);
    expect(r.bonusCampaign!.status).toBe('SCHEDULED');
    const notes = () => rows<{ customer_id: string; payload: { name: string } }>(sql`select customer_id, payload from notification_outbox where merchant_id = ${m} and kind = 'campaign_started'`);
    await runCampaignLifecycle(stack.deps, new Date(startsAt.getTime() - 1000));
    expect(await notes()).toEqual([]);
    await runCampaignLifecycle(stack.deps, startsAt);
    const sent = await notes();
    expect(sent.map((n) => n.customer_id)).toEqual([people[0].id]);
    expect(sent[0].payload).toMatchObject({ name: 'Gold weekend' });
    await runCampaignLifecycle(stack.deps, new Date(startsAt.getTime() + 60_000));
    expect(await notes()).toHaveLength(1);
    const status = async () => (await rows<{ status: string }>(sql`select status from bonus_campaigns where id = ${r.bonusCampaign!.id}`))[0].status;
    expect(await status()).toBe('active');
    await runCampaignLifecycle(stack.deps, new Date(Date.now() + 6 * 3_600_000));
    expect(await status()).toBe('ended');
  });

  it('lists running campaigns to shoppers', async () => {
    const { token } = await customerToken(stack, SHOP, merchantId, '805');
    const { body } = await gql<{ activeBonusCampaigns: { name: string }[] }>(stack.url, token, '{ activeBonusCampaigns { name } }');
    expect(body.data!.activeBonusCampaigns.map((c) => c.name).sort()).toEqual(['Socks bonus', 'Spend $150']);
  });
});
