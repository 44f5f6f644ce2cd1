import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { customers, merchants, newId, plans, pointsTransactions, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { createLogger, createMemoryCache, createMemoryPubSub, testConfig, type Deps } from '@herethere/runtime';
import { post } from './post';
import { verifyLedger } from './verify';

let h: DbHandle;
let deps: Deps;

async function shop(domain: string): Promise<string> {
  const id = newId('merchant');
  await h.db.insert(plans).values({ id: 'free', name: 'Free', basePriceMinor: 0 }).onConflictDoNothing();
  await h.db.insert(merchants).values({ id, shopDomain: domain, name: domain, planId: 'free' });
  return id;
}

async function customerWithHistory(merchantId: string, tag: string): Promise<string> {
  const id = newId('customer');
  await h.db.insert(customers).values({ merchantId, id, state: 'member' });
  const entries = [
    { type: 'signup', points: 200 },
    { type: 'purchase', points: 120 },
    { type: 'redemption', points: -300 },
    { type: 'expiry', points: -20 },
    { type: 'custom', points: 75 },
  ] as const;
  for (const [i, e] of entries.entries()) {
    const r = await post(deps, { merchantId, customerId: id, type: e.type, points: e.points, reason: `entry ${i}`, source: 'system', idempotencyKey: `${tag}:${i}`, actor: 'test' });
    expect(r.status).toBe('posted');
  }
  return id;
}

/** The append-only trigger refuses UPDATE; only a test, as the table owner, switches it off to forge history. */
async function tamper(statement: ReturnType<typeof sql>) {
  await h.db.execute(sql`alter table points_transactions disable trigger points_transactions_no_update`);
  try {
    await h.db.execute(statement);
  } finally {
    await h.db.execute(sql`alter table points_transactions enable trigger points_transactions_no_update`);
  }
}

let shopA: string;
let shopB: string;
let alice: string;
let bob: string;
let carol: string;

beforeAll(async () => {
  h = await openTestDb();
  deps = { config: testConfig(), db: h, cache: createMemoryCache(), pubsub: createMemoryPubSub(), log: createLogger('error') };
  shopA = await shop('verify-a.myshopify.com');
  shopB = await shop('verify-b.myshopify.com');
  alice = await customerWithHistory(shopA, 'alice');
  bob = await customerWithHistory(shopA, 'bob');
  carol = await customerWithHistory(shopB, 'carol');
  await h.db.insert(customers).values({ merchantId: shopB, id: newId('customer'), state: 'member' }); // no entries at all
});
afterAll(() => h?.close());

describe('ledger verification', () => {
  it('verifies untouched chains and balances, per shop and across shops', async () => {
    expect(await verifyLedger(h.db)).toEqual({ customers: 4, entries: 15, problems: [] });
    expect(await verifyLedger(h.db, shopA)).toEqual({ customers: 2, entries: 10, problems: [] });
    // Paging through customers gives the same answer.
    expect(await verifyLedger(h.db, undefined, 1)).toEqual({ customers: 4, entries: 15, problems: [] });
  });

  it('the database itself refuses to rewrite an entry', async () => {
    await expect(h.db.execute(sql`update points_transactions set points = 9999 where customer_id = ${alice}`)).rejects.toThrow();
    await expect(h.db.execute(sql`delete from points_transactions where customer_id = ${alice}`)).rejects.toThrow();
    expect((await verifyLedger(h.db)).problems).toEqual([]);
  });

  it('detects an altered amount, even when balance_after is forged to match', async () => {
    const [second] = await h.db.select().from(pointsTransactions).where(and(eq(pointsTransactions.customerId, alice), eq(pointsTransactions.seq, 2)));
    await tamper(sql`update points_transactions set points = 1120, balance_after = 1320 where merchant_id = ${shopA} and id = ${second.id}`);
    const v = await verifyLedger(h.db, shopA);
    const problems = v.problems.filter((p) => p.customerId === alice).map((p) => p.problem);
    expect(problems.some((p) => p.includes(`entry ${second.id} (seq 2): hash does not match`))).toBe(true);
    expect(problems.some((p) => p.includes('points_balance 75 but the entries sum to 1075'))).toBe(true);
    expect(v.problems.every((p) => p.customerId === alice && p.merchantId === shopA)).toBe(true);
    // The other shop's chains are unaffected.
    expect((await verifyLedger(h.db, shopB)).problems).toEqual([]);
    await tamper(sql`update points_transactions set points = 120, balance_after = 320 where merchant_id = ${shopA} and id = ${second.id}`);
    expect((await verifyLedger(h.db, shopA)).problems).toEqual([]);
  });

  it('detects a changed entry type', async () => {
    const [first] = await h.db.select().from(pointsTransactions).where(and(eq(pointsTransactions.customerId, bob), eq(pointsTransactions.seq, 1)));
    await tamper(sql`update points_transactions set type = 'custom' where merchant_id = ${shopA} and id = ${first.id}`);
    expect((await verifyLedger(h.db, shopA)).problems.map((p) => p.problem)).toEqual([`entry ${first.id} (seq 1): hash does not match its contents (entry altered)`]);
    await tamper(sql`update points_transactions set type = 'signup' where merchant_id = ${shopA} and id = ${first.id}`);
  });

  it('detects a broken sequence and a broken link', async () => {
    const [third] = await h.db.select().from(pointsTransactions).where(and(eq(pointsTransactions.customerId, carol), eq(pointsTransactions.seq, 3)));
    await tamper(sql`update points_transactions set seq = 30 where merchant_id = ${shopB} and id = ${third.id}`);
    const problems = (await verifyLedger(h.db, shopB)).problems.map((p) => p.problem);
    expect(problems.some((p) => /sequence is not contiguous/.test(p))).toBe(true);
    expect(problems.some((p) => /prev_hash does not match/.test(p))).toBe(true);
    await tamper(sql`update points_transactions set seq = 3 where merchant_id = ${shopB} and id = ${third.id}`);
    expect((await verifyLedger(h.db, shopB)).problems).toEqual([]);
  });

  it('detects a projection that drifted from the ledger', async () => {
    await h.db.update(customers).set({ pointsBalance: 5000 }).where(and(eq(customers.merchantId, shopB), eq(customers.id, carol)));
    await h.db.update(customers).set({ ledgerHeadHash: 'f'.repeat(64), totalPointsExpired: 0 }).where(and(eq(customers.merchantId, shopA), eq(customers.id, bob)));
    const v = await verifyLedger(h.db);
    expect(v.problems).toEqual(
      expect.arrayContaining([
        { merchantId: shopB, customerId: carol, problem: 'points_balance 5000 but the entries sum to 75' },
        { merchantId: shopA, customerId: bob, problem: 'ledger_head_hash does not match the last entry’s hash' },
        { merchantId: shopA, customerId: bob, problem: 'total_points_expired 0 but expiry entries sum to 20' },
      ]),
    );
    expect(v.problems).toHaveLength(3);
  });
});
