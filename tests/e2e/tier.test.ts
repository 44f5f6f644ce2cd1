import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser } from '@herethere/admin';
import { newId } from '@herethere/db';
import { addLocalDays, localDateKey } from '@herethere/runtime/zoned-time';
import { recomputeMerchant } from '@herethere/loyalty/tier/recompute';
import { runNightlyTierRecompute, sweepDueTiers } from '@herethere/loyalty/tier/worker';
import { qualificationWindow } from '@herethere/loyalty/tier/rules';
import { deliver, drained, orderPayload, refundPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
let mtoken: string;
const SHOP = 'tier-shop.myshopify.com';
const OTHER = 'tier-other.myshopify.com';
const TZ = 'America/New_York';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);
const waitFor = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};
/** The background recompute requested by a tier edit has run. */
const recomputed = (m = merchantId) => waitFor('the requested tier recompute', async () =>
  (await rows<{ n: number }>(sql`select count(*)::int as n from gamification_jobs where merchant_id = ${m} and kind = 'tier_recompute' and requested_at is not null`))[0].n === 0);

type Err = { code: string; message: string; field: string[] | null };
const TIER_FIELDS = 'id name position threshold thresholdKind qualificationWindow earningMultiplierBp perks entryRewardPoints retentionDays';
async function tierCreate(input: Record<string, unknown>, token = mtoken) {
  const { body } = await gql<{ vipTierCreate: { vipTier: Record<string, unknown> | null; userErrors: Err[] } }>(stack.url, token,
    `mutation($input: VipTierCreateInput!) { vipTierCreate(input: $input) { vipTier { ${TIER_FIELDS} } userErrors { code message field } } }`, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.vipTierCreate;
}
async function tierUpdate(input: Record<string, unknown>) {
  const { body } = await gql<{ vipTierUpdate: { vipTier: Record<string, unknown> | null; userErrors: Err[] } }>(stack.url, mtoken,
    `mutation($input: VipTierUpdateInput!) { vipTierUpdate(input: $input) { vipTier { ${TIER_FIELDS} } userErrors { code message field } } }`, { input });
  expect(body.errors).toBeUndefined();
  return body.data!.vipTierUpdate;
}
const tierRows = () => rows<{ id: string; name: string; position: number; threshold_value: number; earning_multiplier_bp: number }>(
  sql`select id, name, position, threshold_value::float8 as threshold_value, earning_multiplier_bp from vip_tiers where merchant_id = ${merchantId} order by position`);

async function paid(spec: Parameters<typeof orderPayload>[0]) {
  const r = await deliver(stack, SHOP, 'orders/paid', orderPayload(spec), randomUUID());
  expect(r.status).toBe(200);
  await drained(stack);
}
async function refunded(spec: Parameters<typeof refundPayload>[0]) {
  const r = await deliver(stack, SHOP, 'refunds/create', refundPayload(spec), randomUUID());
  expect(r.status).toBe(200);
  await drained(stack);
}
const customerId = async (shopifyId: number) =>
  (await rows<{ id: string }>(sql`select id from customers where merchant_id = ${merchantId} and shopify_customer_id = ${String(shopifyId)}`))[0]?.id;
const ledgerOf = (id: string) => rows<{ type: string; points: number; reason: string }>(sql`select type, points, reason from points_transactions where customer_id = ${id} order by seq`);

const VIP = `vipStatus { tier { id name perks earningMultiplierBp } nextTier { id name threshold } qualifiedTier { id }
  progress { current target remaining percent measure currency } window windowStart retainedUntil retained overridden override { reason by until tier { id } } }`;
type Vip = {
  tier: { id: string; name: string; perks: string[]; earningMultiplierBp: number } | null;
  nextTier: { id: string; name: string; threshold: number } | null;
  qualifiedTier: { id: string } | null;
  progress: { current: number; target: number | null; remaining: number | null; percent: number; measure: string; currency: string | null };
  window: string; windowStart: string | null; retainedUntil: string | null; retained: boolean; overridden: boolean;
  override: { reason: string; by: string; until: string | null; tier: { id: string } | null } | null;
};
async function vipOf(token: string): Promise<Vip> {
  const { body } = await gql<{ me: { vipStatus: Vip } }>(stack.url, token, `{ me { ${VIP} } }`);
  expect(body.errors).toBeUndefined();
  return body.data!.me.vipStatus;
}

let bronze: string;
let silver: string;
let gold: string;

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  await install(stack, OTHER);
  await rows(sql`update merchants set timezone = ${TZ} where id = ${merchantId}`);
  await rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
  mtoken = await merchantToken(stack.config, SHOP);
});
afterAll(() => stack?.stop());

describe('tier definitions', () => {
  it('builds a ladder; every principal of the shop reads it, lowest first', async () => {
    const b = await tierCreate({ name: 'Bronze', threshold: 0, thresholdKind: 'MONEY_SPENT', qualificationWindow: 'ROLLING_12_MONTHS', perks: ['Birthday gift'] });
    expect(b.userErrors).toEqual([]);
    bronze = b.vipTier!.id as string;
    const g = await tierCreate({ name: 'Gold', threshold: 50_000, earningMultiplierBp: 20_000, retentionDays: 30, entryRewardPoints: 500, perks: ['Free shipping', 'Early access'] });
    expect(g.userErrors).toEqual([]);
    gold = g.vipTier!.id as string;
    // Inserted between the two: positions follow.
    const s = await tierCreate({ name: 'Silver', threshold: 10_000, earningMultiplierBp: 15_000, retentionDays: 14, entryRewardPoints: 100, perks: ['Free shipping'], position: 1 });
    expect(s.userErrors).toEqual([]);
    silver = s.vipTier!.id as string;
    expect(s.vipTier).toMatchObject({ name: 'Silver', position: 1, threshold: 10_000, thresholdKind: 'MONEY_SPENT', qualificationWindow: 'ROLLING_12_MONTHS', earningMultiplierBp: 15_000, entryRewardPoints: 100, retentionDays: 14 });

    const { token } = await customerToken(stack, SHOP, merchantId, '9001');
    const { body } = await gql<{ vipTiers: { name: string; position: number; threshold: number; perks: string[] }[] }>(stack.url, token, '{ vipTiers { name position threshold perks } }');
    expect(body.data!.vipTiers).toEqual([
      { name: 'Bronze', position: 0, threshold: 0, perks: ['Birthday gift'] },
      { name: 'Silver', position: 1, threshold: 10_000, perks: ['Free shipping'] },
      { name: 'Gold', position: 2, threshold: 50_000, perks: ['Free shipping', 'Early access'] },
    ]);
    const other = await merchantToken(stack.config, OTHER);
    expect((await gql<{ vipTiers: unknown[] }>(stack.url, other, '{ vipTiers { id } }')).body.data!.vipTiers).toEqual([]);
    await recomputed();
  });

  it('refuses overlapping or non-increasing thresholds and out-of-range multipliers; nothing is written', async () => {
    const before = await tierRows();
    const tiersBefore = await count(stack, 'vip_tiers');
    const jobsBefore = await rows(sql`select requested_at::text as r from gamification_jobs where merchant_id = ${merchantId}`);

    const overlap = await tierCreate({ name: 'Silver Plus', threshold: 10_000, position: 2 });
    expect(overlap.vipTier).toBeNull();
    expect(overlap.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'threshold'], message: 'thresholds overlap: Silver Plus and Silver both ask for 10000; each tier needs a higher threshold than the one below' }]);

    const below = await tierCreate({ name: 'Diamond', threshold: 40_000 });
    expect(below.userErrors[0]).toMatchObject({ code: 'INVALID', message: 'thresholds must increase up the ladder: Diamond (40000) must be above Gold (50000), the tier below it' });

    const lowered = await tierUpdate({ id: gold, threshold: 5_000 });
    expect(lowered.userErrors[0]).toMatchObject({ code: 'INVALID', message: 'thresholds must increase up the ladder: Gold (5000) must be above Silver (10000), the tier below it' });

    const moved = await tierUpdate({ id: bronze, position: 2 });
    expect(moved.userErrors[0].message).toMatch(/thresholds must increase up the ladder: Bronze \(0\) must be above Gold \(50000\)/);

    for (const bp of [0, -5, 100_001]) {
      const r = await tierCreate({ name: `Bad ${bp}`, threshold: 900_000, earningMultiplierBp: bp });
      expect(r.userErrors).toEqual([{ code: 'INVALID', field: ['input', 'earningMultiplierBp'], message: 'earningMultiplierBp must be above 0 and at most 100000 (10×), in basis points where 10000 = 1.0×' }]);
    }
    const upd = await tierUpdate({ id: silver, earningMultiplierBp: 0 });
    expect(upd.userErrors[0].field).toEqual(['input', 'earningMultiplierBp']);

    const kind = await tierCreate({ name: 'Orders', threshold: 900_000, thresholdKind: 'ORDER_COUNT' });
    expect(kind.userErrors[0]).toMatchObject({ code: 'INVALID', field: ['input', 'thresholdKind'] });
    const dup = await tierCreate({ name: 'gold', threshold: 900_000 });
    expect(dup.userErrors[0]).toMatchObject({ code: 'TAKEN' });

    expect(await count(stack, 'vip_tiers')).toBe(tiersBefore);
    expect(await tierRows()).toEqual(before);
    expect(await rows(sql`select requested_at::text as r from gamification_jobs where merchant_id = ${merchantId}`)).toEqual(jobsBefore);
  });

  it('previews how many members would sit in each tier, from current data, without saving anything', async () => {
    const shop = 'tier-preview.myshopify.com';
    const m = await install(stack, shop);
    const spends = [0, 5_000, 12_000, 30_000, 60_000, 80_000, 250_000];
    for (const [i, total] of spends.entries()) {
      const c = newId('customer');
      await rows(sql`insert into customers (merchant_id, id, shopify_customer_id) values (${m}, ${c}, ${String(7000 + i)})`);
      if (total) {
        await rows(sql`insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, status, processed_at)
          values (${m}, ${String(8000 + i)}, ${c}, 'USD', ${total}, ${total}, 'paid', now() - interval '3 days')`);
      }
    }
    // An old order outside a rolling window, and a refunded one, count only where they should.
    const c = newId('customer');
    await rows(sql`insert into customers (merchant_id, id, shopify_customer_id) values (${m}, ${c}, '7999')`);
    await rows(sql`insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, refunded_minor, status, processed_at)
      values (${m}, '8999', ${c}, 'USD', 70000, 70000, 20000, 'partially_refunded', now() - interval '400 days')`);
    const token = await merchantToken(stack.config, shop);
    const preview = async (window: string, thresholds: number[]) => {
      const { body } = await gql<{ vipTierPreview: { tiers: { threshold: number; customers: number }[]; belowLowest: number; totalMembers: number } }>(stack.url, token,
        'query($input: VipTierPreviewInput!) { vipTierPreview(input: $input) { tiers { threshold customers } belowLowest totalMembers } }',
        { input: { thresholdKind: 'MONEY_SPENT', qualificationWindow: window, thresholds } });
      return body;
    };
    const rolling = await preview('ROLLING_12_MONTHS', [10_000, 50_000, 200_000]);
    expect(rolling.data!.vipTierPreview).toEqual({ tiers: [{ threshold: 10_000, customers: 2 }, { threshold: 50_000, customers: 2 }, { threshold: 200_000, customers: 1 }], belowLowest: 3, totalMembers: 8 });
    const lifetime = await preview('LIFETIME', [10_000, 50_000, 200_000]);
    expect(lifetime.data!.vipTierPreview.tiers[1]).toEqual({ threshold: 50_000, customers: 3 }); // 70,000 − 20,000 refunded
    const bad = await preview('LIFETIME', [10_000, 10_000]);
    expect(bad.errors?.[0].message).toBe('thresholds must be strictly increasing: tier 2 (10000) must be above tier 1 (10000)');
    expect(await count(stack, 'vip_tiers')).toBe(3);
  });
});

describe('tiers at earn time', () => {
  let token: string;
  let id: string;

  it('an order that crosses a threshold moves the customer up, pays the entry reward, and the next order earns at the tier’s rate', async () => {
    await paid({ id: 5101, customerId: 601, lines: [{ price: '120.00' }] });
    id = (await customerId(601))!;
    ({ token } = await customerToken(stack, SHOP, merchantId, '601'));

    await waitFor('the Silver entry reward', async () => (await ledgerOf(id)).some((e) => e.type === 'tier_bonus'));
    expect(await ledgerOf(id)).toEqual([
      { type: 'purchase', points: 120, reason: 'Order 5101' },
      { type: 'tier_bonus', points: 100, reason: 'Welcome to Silver' },
    ]);
    await paid({ id: 5102, customerId: 601, lines: [{ price: '100.00' }] });
    const ledger = await ledgerOf(id);
    expect(ledger.slice(2)).toEqual([
      { type: 'purchase', points: 100, reason: 'Order 5102' },
      { type: 'tier_bonus', points: 50, reason: 'Silver tier (1.50×) on order 5102' },
    ]);
    const vip = await vipOf(token);
    expect(vip).toMatchObject({
      tier: { id: silver, name: 'Silver', perks: ['Free shipping'], earningMultiplierBp: 15_000 },
      nextTier: { id: gold, name: 'Gold', threshold: 50_000 },
      progress: { current: 22_000, target: 50_000, remaining: 28_000, percent: 44, measure: 'MONEY_SPENT', currency: 'USD' },
      window: 'ROLLING_12_MONTHS', retainedUntil: null, retained: false, overridden: false, override: null,
    });
    const changes = await rows<{ from_tier_id: string | null; to_tier_id: string; reason: string; actor: string }>(
      sql`select from_tier_id, to_tier_id, reason, actor from tier_changes where customer_id = ${id} order by id`);
    // A new member's first order places them straight in the tier it reaches.
    expect(changes).toEqual([{ from_tier_id: null, to_tier_id: silver, reason: 'qualified', actor: 'system:tiers' }]);
    const outbox = await rows<{ kind: string; payload: { toTier: { name: string }; direction: string } }>(
      sql`select kind, payload from notification_outbox where customer_id = ${id} and kind = 'tier_change'`);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].payload).toMatchObject({ toTier: { name: 'Silver' }, direction: 'up' });
    const customerRow = await rows<{ vip_tier_id: string }>(sql`select vip_tier_id from customers where id = ${id}`);
    expect(customerRow[0].vip_tier_id).toBe(silver);
  });

  it('a refund below the threshold starts retention; the tier is kept until it runs out, then the demotion is explained', async () => {
    await refunded({ id: 6101, orderId: 5102, lines: [{ subtotal: '100.00' }] });
    await refunded({ id: 6102, orderId: 5101, lines: [{ subtotal: '50.00' }] });
    const vip = await vipOf(token);
    expect(vip).toMatchObject({ tier: { name: 'Silver' }, qualifiedTier: { id: bronze }, retained: true, progress: { current: 7_000 } });
    const until = new Date(vip.retainedUntil!);
    const [{ below }] = await rows<{ below: number }>(sql`select (extract(epoch from below_since) * 1000)::float8 as below from customer_tier_status where customer_id = ${id}`);
    expect(until.toISOString()).toBe(addLocalDays(new Date(Number(below)), 14, TZ).toISOString());

    // A minute before the end nothing happens; at the end the sweep demotes.
    await sweepDueTiers(stack.deps, new Date(until.getTime() - 60_000));
    expect((await vipOf(token)).tier!.name).toBe('Silver');
    await sweepDueTiers(stack.deps, until);
    const [change] = await rows<{ reason: string; to_tier_id: string }>(sql`select reason, to_tier_id from tier_changes where customer_id = ${id} order by id desc limit 1`);
    expect(change).toEqual({ reason: 'retention_expired', to_tier_id: bronze });
    const { body } = await gql<{ me: { vipTierHistory: { nodes: { reason: string; explanation: string; toTier: { name: string } }[] } } }>(stack.url, token,
      '{ me { vipTierHistory(first: 5) { nodes { reason explanation toTier { name } } } } }');
    const latest = body.data!.me.vipTierHistory.nodes[0];
    expect(latest).toMatchObject({ reason: 'retention_expired', toTier: { name: 'Bronze' } });
    expect(latest.explanation).toMatch(/^Moved down from Silver to Bronze: stopped qualifying for Silver \(needs \$100\.00\) on \d{4}-\d\d-\d\d — spent \$70\.00 in the 12 months from \d{4}-\d\d-\d\d — and the 14-day retention ended on \d{4}-\d\d-\d\d\.$/);
    // The entry reward is paid once per tier, ever: coming back to Silver pays nothing again.
    await paid({ id: 5103, customerId: 601, lines: [{ price: '40.00' }] });
    expect((await vipOf(token)).tier!.name).toBe('Silver');
    await new Promise((r) => setTimeout(r, 300));
    expect((await ledgerOf(id)).filter((e) => e.reason === 'Welcome to Silver')).toHaveLength(1);
  });
});

describe('rolling windows, nightly', () => {
  it('an order drops out at local midnight exactly 12 months on; the nightly recompute moves the customer, once per local date', async () => {
    const shop = 'tier-night.myshopify.com';
    const m = await install(stack, shop);
    const tz = 'Pacific/Auckland';
    await rows(sql`update merchants set timezone = ${tz} where id = ${m}`);
    const token = await merchantToken(stack.config, shop);
    // The real nightly of today is taken, so only the simulated nights below run.
    await rows(sql`insert into gamification_jobs (merchant_id, kind, last_run_key) values (${m}, 'tier_nightly', ${localDateKey(new Date(), tz)})`);
    await tierCreate({ name: 'Member', threshold: 1, thresholdKind: 'MONEY_SPENT', qualificationWindow: 'ROLLING_12_MONTHS', retentionDays: 0 }, token);
    await recomputed(m);
    const T = new Date(Date.now() + 2 * 86_400_000);
    const start = qualificationWindow('rolling_12_months', T, tz).start!;
    const [inside, outside] = [newId('customer'), newId('customer')];
    await rows(sql`insert into customers (merchant_id, id, shopify_customer_id) values (${m}, ${inside}, 'n1'), (${m}, ${outside}, 'n2')`);
    await rows(sql`insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, status, processed_at) values
      (${m}, 'n-1', ${inside}, 'USD', 5000, 5000, 'paid', ${start.toISOString()}::timestamptz),
      (${m}, 'n-2', ${outside}, 'USD', 5000, 5000, 'paid', ${new Date(start.getTime() - 1).toISOString()}::timestamptz)`);
    const tierOf = async (c: string) => (await rows<{ tier_id: string | null }>(sql`select tier_id from customer_tier_status where customer_id = ${c}`))[0]?.tier_id ?? null;

    await recomputeMerchant(stack.deps, m, { at: T });
    expect(await tierOf(inside)).not.toBeNull();
    expect(await tierOf(outside)).toBeNull();
    // One local day later the order at the window's first instant is out.
    const next = addLocalDays(T, 1, tz);
    const night = await runNightlyTierRecompute(stack.deps, next, { merchantIds: [m] });
    expect(night).toMatchObject({ candidates: 1, moves: 1 });
    expect(await tierOf(inside)).toBeNull();
    const [change] = await rows<{ reason: string }>(sql`select reason from tier_changes where customer_id = ${inside} order by id desc limit 1`);
    expect(change.reason).toBe('no_longer_qualified');
    // The same local night never runs twice: an hour later, or earlier when later is already tomorrow there.
    const later = new Date(next.getTime() + 3_600_000);
    const sameNight = localDateKey(later, tz) === localDateKey(next, tz) ? later : new Date(next.getTime() - 3_600_000);
    expect(localDateKey(sameNight, tz)).toBe(localDateKey(next, tz));
    expect((await runNightlyTierRecompute(stack.deps, sameNight, { merchantIds: [m] })).merchants).toBe(0);
  });
});

describe('manual override', () => {
  const SET = `mutation($input: VipTierOverrideSetInput!) { vipTierOverrideSet(input: $input) { customerId vipStatus { tier { id name } overridden override { reason by until } } userErrors { code message field } } }`;
  const CLEAR = `mutation($input: VipTierOverrideClearInput!) { vipTierOverrideClear(input: $input) { vipStatus { tier { name } overridden } userErrors { code message field } } }`;

  it('a merchant pins a customer to a tier until a date; it is audited and shown; the customer cannot do it', async () => {
    const { token, customerId: c } = await customerToken(stack, SHOP, merchantId, '602');
    const until = new Date(Date.now() + 10 * 86_400_000).toISOString();
    const audits = await count(stack, 'audit_logs');
    const { body } = await gql<{ vipTierOverrideSet: { vipStatus: { tier: { name: string }; overridden: boolean; override: { reason: string; by: string; until: string } }; userErrors: Err[] } }>(
      stack.url, mtoken, SET, { input: { customerId: c, tierId: gold, until, reason: 'Influencer partnership' } });
    expect(body.data!.vipTierOverrideSet.userErrors).toEqual([]);
    expect(body.data!.vipTierOverrideSet.vipStatus).toMatchObject({ tier: { name: 'Gold' }, overridden: true, override: { reason: 'Influencer partnership', by: expect.stringMatching(/^merchant:tier-shop\.myshopify\.com/), until } });
    expect(await count(stack, 'audit_logs')).toBe(audits + 1);
    const [audit] = await rows<{ actor: string; action: string; target_id: string; merchant_id: string; details: Record<string, unknown> }>(
      sql`select actor, action, target_id, merchant_id, details from audit_logs order by id desc limit 1`);
    expect(audit).toMatchObject({ actor: expect.stringMatching(/^merchant:tier-shop\.myshopify\.com/), action: 'vip_tier.override_set', target_id: c, merchant_id: merchantId, details: { toTierId: gold, reason: 'Influencer partnership' } });
    const vip = await vipOf(token);
    expect(vip).toMatchObject({ tier: { name: 'Gold' }, overridden: true, override: null }); // the customer does not see who or why
    await waitFor('the Gold entry reward', async () => (await ledgerOf(c)).some((e) => e.reason === 'Welcome to Gold'));

    const forbidden = await gql(stack.url, token, SET, { input: { customerId: c, tierId: bronze, reason: 'me me me' } });
    expect(forbidden.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count(stack, 'audit_logs')).toBe(audits + 1);
  });

  it('a platform admin clears it for the named shop; other shops’ customers and unknown tiers are not found; nothing is written', async () => {
    const c = (await customerToken(stack, SHOP, merchantId, '602')).customerId;
    await createAdminUser(stack.deps.db.db, { username: 'tiers-ops', email: 'tiers-ops@example.com', password: 'correct horse battery', role: 'support' });
    const login = await gql<{ adminSessionCreate: { token: string } }>(stack.url, undefined, 'mutation { adminSessionCreate(input: { username: "tiers-ops", password: "correct horse battery" }) { token } }');
    const admin = login.body.data!.adminSessionCreate.token;

    const audits = await count(stack, 'audit_logs');
    const changes = await count(stack, 'tier_changes');
    const missing = await gql<{ vipTierOverrideClear: { userErrors: Err[] } }>(stack.url, admin, CLEAR, { input: { customerId: c, reason: 'Partnership over' } });
    expect(missing.body.data!.vipTierOverrideClear.userErrors).toEqual([{ code: 'INVALID', message: 'merchantId is required for platform admins', field: ['input', 'merchantId'] }]);
    const otherShopCustomer = (await customerToken(stack, OTHER, (await rows<{ id: string }>(sql`select id from merchants where shop_domain = ${OTHER}`))[0].id, '77')).customerId;
    const cross = await gql<{ vipTierOverrideSet: { userErrors: Err[] } }>(stack.url, mtoken, SET, { input: { customerId: otherShopCustomer, tierId: gold, reason: 'steal' } });
    expect(cross.body.data!.vipTierOverrideSet.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'customerId'] });
    const unknownTier = await gql<{ vipTierOverrideSet: { userErrors: Err[] } }>(stack.url, mtoken, SET, { input: { customerId: c, tierId: 'tier_nope', reason: 'x' } });
    expect(unknownTier.body.data!.vipTierOverrideSet.userErrors[0]).toMatchObject({ code: 'NOT_FOUND', field: ['input', 'tierId'] });
    expect(await count(stack, 'audit_logs')).toBe(audits);
    expect(await count(stack, 'tier_changes')).toBe(changes);

    const cleared = await gql<{ vipTierOverrideClear: { vipStatus: { tier: { name: string }; overridden: boolean }; userErrors: Err[] } }>(
      stack.url, admin, CLEAR, { input: { customerId: c, reason: 'Partnership over', merchantId } });
    expect(cleared.body.data!.vipTierOverrideClear).toMatchObject({ userErrors: [], vipStatus: { tier: { name: 'Bronze' }, overridden: false } });
    const [audit] = await rows<{ action: string; admin_user_id: string | null; actor: string }>(sql`select action, admin_user_id, actor from audit_logs order by id desc limit 1`);
    expect(audit.action).toBe('vip_tier.override_clear');
    expect(audit.admin_user_id).not.toBeNull();
    const [change] = await rows<{ reason: string; actor: string }>(sql`select reason, actor from tier_changes where customer_id = ${c} order by id desc limit 1`);
    expect(change).toEqual({ reason: 'override_cleared', actor: audit.actor });
  });
});

describe('live tier pushes', () => {
  it('a signed-in customer follows their tier over graphql-ws; a change arrives with the new tier’s name', async () => {
    const { token, customerId: c } = await customerToken(stack, SHOP, merchantId, '603');
    const ws = createWsClient({ url: `${stack.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
    const received: { toTierName: string; reason: string; customerId: string }[] = [];
    const dispose = ws.subscribe<{ vipTierChanged: { toTierName: string; reason: string; customerId: string } }>(
      { query: 'subscription { vipTierChanged { customerId toTierName reason } }' },
      { next: (r) => r.data && received.push(r.data.vipTierChanged), error: () => {}, complete: () => {} },
    );
    await new Promise((r) => setTimeout(r, 500));
    await paid({ id: 5201, customerId: 603, lines: [{ price: '600.00' }] });
    await waitFor('the tier push', async () => received.length > 0);
    expect(received[0]).toEqual({ customerId: c, toTierName: 'Gold', reason: 'qualified' });
    dispose();
    await ws.dispose();
  });
});
