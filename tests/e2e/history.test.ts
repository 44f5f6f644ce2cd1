import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { customers, newId, pendingPoints, type LedgerEntryType } from '@herethere/db';
import { afterPosted, postEntry } from '@herethere/loyalty';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

const SHOP = 'history-shop.myshopify.com';
const OTHER = 'history-other.myshopify.com';

type Item = { id: string; type: string; points: number; balanceAfter: number | null; reason: string; pending: boolean; releaseAt: string | null; createdAt: string; orderId: string | null; campaignId: string | null };
type Page = { edges: { cursor: string; node: Item }[]; nodes: Item[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null } };

const NODE = 'id type points balanceAfter reason pending releaseAt createdAt orderId campaignId';
const HISTORY_ARGS = '$first: Int, $after: String, $types: [String!], $since: DateTimeISO, $until: DateTimeISO';
const HISTORY_FIELD = `pointsHistory(first: $first, after: $after, types: $types, since: $since, until: $until) { edges { cursor node { ${NODE} } } nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } }`;
const ME = `query(${HISTORY_ARGS}) { me { ${HISTORY_FIELD} } }`;
const CUSTOMER = `query($id: ID!, ${HISTORY_ARGS}) { customer(id: $id) { ${HISTORY_FIELD} } }`;

let stack: Stack;
let merchantId: string;
let otherId: string;
let merchant: string;
let customer: { token: string; customerId: string };
let pendingId: string;

const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n, 12));

async function postAt(customerId: string, type: LedgerEntryType, points: number, at: Date, key: string, extra: { campaignId?: string; orderId?: string } = {}) {
  const r = await stack.deps.db.db.transaction((tx) =>
    postEntry(stack.deps, tx, { merchantId, customerId, type, points, reason: `${type} ${key}`, source: 'system', idempotencyKey: key, actor: 'test', ...extra }, at),
  );
  if (r.status !== 'posted') throw new Error(`not posted: ${r.status}`);
  await afterPosted(stack.deps, r.entry);
  return r.entry;
}

async function mine(vars: Record<string, unknown> = {}, token = customer.token) {
  const res = await gql<{ me: { pointsHistory: Page } }>(stack.url, token, ME, vars);
  return res;
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  otherId = await install(stack, OTHER);
  merchant = await merchantToken(stack.config, SHOP);
  customer = await customerToken(stack, SHOP, merchantId, '9001');
  // 30 days of history: purchases, a review, a redemption and a campaign bonus.
  for (let i = 0; i < 30; i++) {
    if (i === 10) await postAt(customer.customerId, 'review', 100, day(i), `k${i}`);
    else if (i === 20) await postAt(customer.customerId, 'redemption', -50, day(i), `k${i}`);
    else if (i === 25) await postAt(customer.customerId, 'campaign', 30, day(i), `k${i}`, { campaignId: 'cmp_double' });
    else await postAt(customer.customerId, 'purchase', 10 + i, day(i), `k${i}`, { orderId: `order-${i}` });
  }
  // Points still in their approval period: shown, not yet in the balance.
  const heldAt = new Date(day(15).getTime() + 3_600_000);
  pendingId = newId('pending', heldAt.getTime());
  await stack.deps.db.db.insert(pendingPoints).values({
    merchantId, id: pendingId, customerId: customer.customerId, orderId: 'order-pending', points: 77,
    entries: [{ type: 'purchase', points: 70, reason: 'Order #1077', idempotencyKey: 'order:order-pending:purchase' }, { type: 'tier_bonus', points: 7, reason: 'Gold (1.10×) on order #1077', idempotencyKey: 'order:order-pending:tier' }],
    releaseAt: day(45), createdAt: heldAt,
  });
  await stack.deps.db.db.update(customers).set({ pointsPending: sql`${customers.pointsPending} + 77` }).where(and(eq(customers.merchantId, merchantId), eq(customers.id, customer.customerId)));
  // A cancelled hold is not shown.
  await stack.deps.db.db.insert(pendingPoints).values({
    merchantId, id: newId('pending', day(16).getTime()), customerId: customer.customerId, orderId: 'order-cancelled', points: 5, status: 'cancelled',
    entries: [{ type: 'purchase', points: 5, reason: 'Order #1078', idempotencyKey: 'order:order-cancelled:purchase' }], releaseAt: day(46), createdAt: day(16),
  });
});
afterAll(() => stack?.stop());

describe('the customer’s own history', () => {
  it('pages through everything newest first with no gaps or repeats, pending points in place', async () => {
    const seen: Item[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const { body } = await mine({ first: 7, after });
      expect(body.errors).toBeUndefined();
      const page: Page = body.data!.me.pointsHistory;
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...page.edges.map((e) => e.node));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(seen).toHaveLength(31);
    expect(new Set(seen.map((s) => s.id)).size).toBe(31);
    const times = seen.map((s) => Date.parse(s.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(seen[0]).toMatchObject({ type: 'purchase', points: 39, orderId: 'order-29' });

    const pending = seen.find((s) => s.pending)!;
    expect(pending).toEqual({
      id: pendingId, type: 'purchase', points: 77, balanceAfter: null, pending: true, releaseAt: day(45).toISOString(), createdAt: new Date(day(15).getTime() + 3_600_000).toISOString(),
      reason: 'Order #1077; Gold (1.10×) on order #1077', orderId: 'order-pending', campaignId: null,
    });
    // It sits between day 16 and day 15 (it was held an hour after that day's entry).
    const at = seen.indexOf(pending);
    expect(Date.parse(seen[at - 1].createdAt)).toBe(day(16).getTime());
    expect(Date.parse(seen[at + 1].createdAt)).toBe(day(15).getTime());
    expect(seen.filter((s) => !s.pending).every((s) => typeof s.balanceAfter === 'number')).toBe(true);
    expect(seen.find((s) => s.type === 'campaign')!.campaignId).toBe('cmp_double');
  });

  it('filters by type and by date', async () => {
    const reviews = (await mine({ types: ['review'] })).body.data!.me.pointsHistory.nodes;
    expect(reviews).toHaveLength(1);
    const some = (await mine({ types: ['review', 'redemption', 'campaign'], first: 100 })).body.data!.me.pointsHistory.edges.map((e) => e.node.type);
    expect(some).toEqual(['campaign', 'redemption', 'review']);
    // Pending points match the types of the entries they hold.
    const tier = (await mine({ types: ['tier_bonus'] })).body.data!.me.pointsHistory.edges.map((e) => e.node);
    expect(tier.map((t) => t.id)).toEqual([pendingId]);

    const window = (await mine({ since: day(10).toISOString(), until: day(15).toISOString(), first: 100 })).body.data!.me.pointsHistory.edges.map((e) => e.node);
    expect(window.map((w) => w.createdAt)).toEqual([14, 13, 12, 11, 10].map((n) => day(n).toISOString()));
    const withPending = (await mine({ since: day(15).toISOString(), until: day(16).toISOString() })).body.data!.me.pointsHistory.edges.map((e) => e.node.id);
    expect(withPending).toHaveLength(2);
    expect(withPending).toContain(pendingId);
    const sinceOnly = (await mine({ since: day(28).toISOString() })).body.data!.me.pointsHistory.nodes;
    expect(sinceOnly).toHaveLength(2);
    const filteredPage = await mine({ types: ['purchase'], first: 5 });
    const next = await mine({ types: ['purchase'], first: 5, after: filteredPage.body.data!.me.pointsHistory.pageInfo.endCursor });
    expect(next.body.data!.me.pointsHistory.edges.every((e) => e.node.type === 'purchase')).toBe(true);
    expect(Date.parse(next.body.data!.me.pointsHistory.edges[0].node.createdAt)).toBeLessThan(Date.parse(filteredPage.body.data!.me.pointsHistory.edges[4].node.createdAt));
  });

  it('refuses bad arguments with a clear error', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ types: ['bonus'] }, /"bonus" is not an entry type/],
      [{ types: [] }, /at least one entry type/],
      [{ since: day(5).toISOString(), until: day(5).toISOString() }, /since must be before until/],
      [{ first: 0 }, /first must be between 1 and 100/],
      [{ first: 101 }, /first must be between 1 and 100/],
      [{ after: 'not-a-cursor' }, /after is not a valid cursor/],
      [{ after: Buffer.from('c:cus_0000000000000000000000000').toString('base64url') }, /after is not a valid cursor/],
    ];
    for (const [vars, message] of cases) {
      const { body } = await mine(vars);
      expect(body.errors?.[0].message, JSON.stringify(vars)).toMatch(message);
    }
  });
});

describe('who may read a history', () => {
  it('the merchant reads any of its customers’ histories', async () => {
    const { body } = await gql<{ customer: { pointsHistory: Page } }>(stack.url, merchant, CUSTOMER, { id: customer.customerId, first: 3 });
    expect(body.errors).toBeUndefined();
    expect(body.data!.customer.pointsHistory.nodes).toHaveLength(3);
  });

  it('a developer key needs read_customers', async () => {
    const created = async (scopes: string[]) =>
      (await gql<{ apiKeyCreate: { secret: string } }>(stack.url, merchant, 'mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret } }', { input: { name: 'k', scopes } })).body.data!.apiKeyCreate.secret;
    const reader = await created(['READ_CUSTOMERS']);
    const ok = await gql<{ customer: { pointsHistory: Page } }>(stack.url, reader, CUSTOMER, { id: customer.customerId, types: ['review'] });
    expect(ok.body.data!.customer.pointsHistory.nodes).toHaveLength(1);
    // A write-only key can reach the Customer through a mutation payload, but not its history.
    const writer = await created(['WRITE_POINTS']);
    const res = await gql<{ pointsEarn: { customer: { pointsHistory: Page } | null } }>(
      stack.url, writer,
      'mutation($input: PointsEarnInput!) { pointsEarn(input: $input) { customer { id pointsHistory(first: 1) { nodes { id } } } } }',
      { input: { customerId: customer.customerId, points: 1, reason: 'Poll answered', idempotencyKey: 'poll-1' } },
    );
    expect(res.body.errors?.[0].message).toMatch(/Not allowed to read this customer’s points history/);
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('another shop sees nothing of it', async () => {
    const otherMerchant = await merchantToken(stack.config, OTHER);
    const { body } = await gql<{ customer: null }>(stack.url, otherMerchant, CUSTOMER, { id: customer.customerId });
    expect(body.data!.customer).toBeNull();
    const { token: otherCustomer } = await customerToken(stack, OTHER, otherId, '9001');
    const own = await mine({}, otherCustomer);
    expect(own.body.data!.me.pointsHistory.nodes).toEqual([]);
  });
});
