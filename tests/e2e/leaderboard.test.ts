import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afterPosted, postEntry } from '@herethere/loyalty';
import { applyLeaderboardDeltas, rebuildLeaderboard } from '@herethere/loyalty/leaderboard/store';
import { monthKey } from '@herethere/runtime/zoned-time';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
const SHOP = 'board-shop.myshopify.com';
const OTHER = 'board-other.myshopify.com';
const TZ = 'Asia/Tokyo';

const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);
type Standing = { rank: number | null; total: number; points: number; optedOut: boolean };
type Entry = { rank: number; name: string; points: number; isYou: boolean };

const people: Record<string, { id: string; token: string }> = {};
const NAMES: [string, string, string | null][] = [
  ['ada', 'Ada', 'Lovelace'], ['grace', 'Grace', 'Hopper'], ['alan', 'Alan', 'Turing'], ['kat', 'Katherine', 'Johnson'],
  ['edsger', 'Edsger', 'Dijkstra'], ['barbara', 'Barbara', 'Liskov'], ['nameless', null as unknown as string, null],
];

/** Posts an earning entry as the ledger does, dated `at` (for last week's points). */
async function earn(who: string, points: number, key: string, at = new Date(), type: 'custom' | 'refund_clawback' | 'redemption' = 'custom') {
  const result = await stack.deps.db.db.transaction((tx) => postEntry(stack.deps, tx, {
    merchantId, customerId: people[who].id, type, points, reason: 'Test', source: 'api', idempotencyKey: key, actor: 'system:test',
  }, at));
  expect(result.status).toBe('posted');
  if (result.status === 'posted') await afterPosted(stack.deps, result.entry);
}
const settle = async () => {
  while ((await applyLeaderboardDeltas(stack.deps)) > 0);
};
async function standing(who: string, period = 'ALL_TIME'): Promise<Standing> {
  const { body } = await gql<{ me: { leaderboard: Standing } }>(stack.url, people[who].token, `query($p: LeaderboardPeriod!) { me { leaderboard(period: $p) { rank total points optedOut } } }`, { p: period });
  expect(body.errors).toBeUndefined();
  return body.data!.me.leaderboard;
}
async function board(token: string, period = 'ALL_TIME', first = 10, after?: string) {
  const { body } = await gql<{ leaderboard: { nodes: Entry[]; totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string } } }>(stack.url, token,
    'query($p: LeaderboardPeriod!, $first: Int, $after: String) { leaderboard(period: $p, first: $first, after: $after) { nodes { rank name points isYou } totalCount pageInfo { hasNextPage endCursor } } }',
    { p: period, first, after });
  expect(body.errors).toBeUndefined();
  return body.data!.leaderboard;
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  await install(stack, OTHER);
  await rows(sql`update merchants set timezone = ${TZ} where id = ${merchantId}`);
  for (const [i, [key, first, last]] of NAMES.entries()) {
    const { token, customerId } = await customerToken(stack, SHOP, merchantId, String(100 + i));
    await rows(sql`update customers set first_name = ${first}, last_name = ${last} where id = ${customerId}`);
    people[key] = { id: customerId, token };
  }
  // Points earned now: Katherine 3100, Ada 1250 and Barbara 1250 (tied), Grace 480, Alan 200; Edsger nothing yet.
  await earn('kat', 3100, 'k1');
  await earn('ada', 1000, 'a1');
  await earn('ada', 250, 'a2');
  await earn('barbara', 1250, 'b1');
  await earn('grace', 480, 'g1');
  await earn('alan', 200, 'al1');
  await earn('nameless', 10, 'n1');
  // Edsger earned 5000 two weeks ago: it counts all-time, not this week.
  await earn('edsger', 5000, 'e1', new Date(Date.now() - 14 * 86_400_000));
  // Spending does not lower what was earned; a refund clawback does.
  await earn('grace', -100, 'g2', new Date(), 'redemption');
  await earn('alan', -50, 'al2', new Date(), 'refund_clawback');
  await settle();
});
afterAll(() => stack?.stop());

describe('standing', () => {
  it('gives the customer’s rank among everyone with points, ties sharing a rank, per period', async () => {
    expect(await standing('edsger')).toEqual({ rank: 1, total: 7, points: 5000, optedOut: false });
    expect(await standing('kat')).toEqual({ rank: 2, total: 7, points: 3100, optedOut: false });
    expect(await standing('ada')).toEqual({ rank: 3, total: 7, points: 1250, optedOut: false });
    expect(await standing('barbara')).toEqual({ rank: 3, total: 7, points: 1250, optedOut: false });
    expect(await standing('grace')).toMatchObject({ rank: 5, points: 480 });
    expect(await standing('alan')).toMatchObject({ rank: 6, points: 150 });
    // This week Edsger has nothing: no rank, and one fewer ranked customer.
    expect(await standing('edsger', 'WEEK')).toEqual({ rank: null, total: 6, points: 0, optedOut: false });
    expect(await standing('kat', 'WEEK')).toEqual({ rank: 1, total: 6, points: 3100, optedOut: false });
    // Two weeks ago may or may not be this month in Tokyo.
    const sameMonth = monthKey(new Date(Date.now() - 14 * 86_400_000), TZ) === monthKey(new Date(), TZ);
    expect(await standing('edsger', 'MONTH')).toMatchObject(sameMonth ? { rank: 1, points: 5000 } : { rank: null, points: 0 });
    expect(await standing('kat', 'MONTH')).toMatchObject({ rank: sameMonth ? 2 : 1 });
  });

  it('lists the top with masked names, the caller’s own line marked, ranks exact across pages', async () => {
    const page1 = await board(people.grace.token, 'ALL_TIME', 3);
    expect(page1.totalCount).toBe(7);
    expect(page1.nodes).toEqual([
      { rank: 1, name: 'Edsger D.', points: 5000, isYou: false },
      { rank: 2, name: 'Katherine J.', points: 3100, isYou: false },
      { rank: 3, name: 'Ada L.', points: 1250, isYou: false },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = await board(people.grace.token, 'ALL_TIME', 3, page1.pageInfo.endCursor);
    expect(page2.nodes).toEqual([
      { rank: 3, name: 'Barbara L.', points: 1250, isYou: false },
      { rank: 5, name: 'Grace H.', points: 480, isYou: true },
      { rank: 6, name: 'Alan T.', points: 150, isYou: false },
    ]);
    const page3 = await board(people.grace.token, 'ALL_TIME', 3, page2.pageInfo.endCursor);
    expect(page3.nodes).toEqual([{ rank: 7, name: 'Anonymous', points: 10, isYou: false }]);
    expect(page3.pageInfo.hasNextPage).toBe(false);
    // No full last name, email or id leaks into the listing.
    expect(JSON.stringify([page1, page2, page3])).not.toMatch(/Lovelace|Hopper|cus_/);
  });

  it('visitors and the shop see it too; another shop’s board is its own', async () => {
    const merchant = await board(await merchantToken(stack.config, SHOP), 'WEEK', 2);
    expect(merchant.nodes.map((n) => n.name)).toEqual(['Katherine J.', 'Ada L.']);
    const otherId = (await rows<{ id: string }>(sql`select id from merchants where shop_domain = ${OTHER}`))[0].id;
    const { token } = await customerToken(stack, OTHER, otherId, '1');
    expect((await board(token)).nodes).toEqual([]);
  });
});

describe('opting out', () => {
  const OPT = 'mutation($input: LeaderboardOptOutInput!) { leaderboardOptOut(input: $input) { optedOut userErrors { code } } }';

  it('removes the customer’s name and rank everywhere and moves everyone below up; opting in restores it', async () => {
    const out = await gql<{ leaderboardOptOut: { optedOut: boolean; userErrors: unknown[] } }>(stack.url, people.kat.token, OPT, { input: { optOut: true } });
    expect(out.body.errors).toBeUndefined();
    expect(out.body.data!.leaderboardOptOut).toEqual({ optedOut: true, userErrors: [] });
    expect(await standing('kat')).toEqual({ rank: null, total: 6, points: 3100, optedOut: true });
    expect(await standing('ada')).toMatchObject({ rank: 2, total: 6 });
    expect((await board(people.ada.token)).nodes.map((n) => n.name)).not.toContain('Katherine J.');
    // New points while out stay out of the ranks.
    await earn('kat', 100, 'k2');
    await settle();
    expect(await standing('ada')).toMatchObject({ rank: 2, total: 6 });
    await gql(stack.url, people.kat.token, OPT, { input: { optOut: false } });
    expect(await standing('kat')).toEqual({ rank: 2, total: 7, points: 3200, optedOut: false });
    expect(await standing('ada')).toMatchObject({ rank: 3, total: 7 });
  });

  it('only a signed-in customer can opt out, and only themselves; nothing is written otherwise', async () => {
    const before = await rows(sql`select id, leaderboard_opt_out from customers where merchant_id = ${merchantId} order by id`);
    const merchant = await gql(stack.url, await merchantToken(stack.config, SHOP), OPT, { input: { optOut: true } });
    expect(merchant.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await rows(sql`select id, leaderboard_opt_out from customers where merchant_id = ${merchantId} order by id`)).toEqual(before);
  });
});

describe('consistency', () => {
  it('the incremental scores and histogram equal a rebuild from the ledger', async () => {
    const snapshot = async () => ({
      scores: await rows(sql`select period, period_key, customer_id, points::float8 as points from leaderboard_scores where merchant_id = ${merchantId} and points <> 0 order by 1, 2, 3`),
      histogram: await rows(sql`select period, period_key, level, bucket::float8 as bucket, n from leaderboard_histogram where merchant_id = ${merchantId} and n > 0 order by 1, 2, 3, 4`),
    });
    const incremental = await snapshot();
    await rebuildLeaderboard(stack.deps, merchantId, TZ);
    expect(await snapshot()).toEqual(incremental);
    expect(await count(stack, 'leaderboard_deltas')).toBe(0);
  });
});
