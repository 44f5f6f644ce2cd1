import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { merchants, newId, plans, txRoot, webhookInbox, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { testConfig } from './config';
import type { Deps } from './context';
import { processInboxBatch, type WebhookHandler } from './inbox';
import { createLogger } from './logger';
import { createMemoryCache } from './cache';
import { createMemoryPubSub } from './pubsub';

/** The inbox processor against a real database: batches commit together, a bad delivery is isolated. */
let db: DbHandle;
let deps: Deps;
const merchantId = newId('merchant');

beforeAll(async () => {
  db = await openTestDb();
  deps = { config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
  await db.db.insert(plans).values({ id: 'free', name: 'Free', basePriceMinor: 0 });
  await db.db.insert(merchants).values({ id: merchantId, shopDomain: 'inbox-test.myshopify.com', name: 'Inbox', planId: 'free' });
  await db.rows(sql`create table inbox_effects (webhook_id text primary key, position serial)`);
  await db.rows(sql`create table inbox_chain (position int primary key, webhook_id text not null)`);
});
afterAll(async () => {
  await db?.close();
});

const deliver = (ids: string[], topic = 'test/record', customer?: (id: string) => number) =>
  db.db.insert(webhookInbox).values(ids.map((webhookId) => ({
    merchantId, webhookId, topic, shopDomain: 'inbox-test.myshopify.com', payload: { id: webhookId, ...(customer ? { customer: { id: customer(webhookId) } } : {}) },
  })));

const afterCommit: string[] = [];
const seen: { id: string; tx: object }[] = [];
const steps: string[] = [];
const handlers: Record<string, WebhookHandler> = {
  'test/record': async (tx, _deps, d) => {
    if (d.webhookId.startsWith('bad')) throw new Error(`cannot handle ${d.webhookId}`);
    await tx.execute(sql`insert into inbox_effects (webhook_id) values (${d.webhookId})`);
    return { outcome: `recorded ${d.webhookId}`, after: async () => void afterCommit.push(d.webhookId) };
  },
  'test/later': async () => ({ defer: 'not yet' }),
  // Appends to one shared chain, as a referral reward appends to an advocate's ledger: the next
  // position is read, then taken; two handlers reading at once would both claim the same one.
  'test/chain': async (tx, _deps, d) => {
    seen.push({ id: d.webhookId, tx });
    const [{ last }] = await db.rows<{ last: number }>(sql`select coalesce(max(position), 0)::int as last from inbox_chain`, tx);
    await db.rows(sql`insert into inbox_chain (position, webhook_id) values (${Number(last) + 1}, ${d.webhookId})`, tx);
    return { outcome: `chained ${d.webhookId} at ${Number(last) + 1}` };
  },
  'test/slow': async (tx, _deps, d) => {
    seen.push({ id: d.webhookId, tx });
    steps.push(`start ${d.webhookId}`);
    await tx.execute(sql`select 1`);
    await tx.execute(sql`insert into inbox_effects (webhook_id) values (${d.webhookId})`);
    steps.push(`end ${d.webhookId}`);
    return { outcome: `recorded ${d.webhookId}` };
  },
  'test/push-fails': async (tx, _deps, d) => {
    await tx.execute(sql`insert into inbox_effects (webhook_id) values (${d.webhookId})`);
    return { outcome: `recorded ${d.webhookId}`, after: async () => { throw new Error('pub/sub is down'); } };
  },
};

const status = async () => db.rows<{ webhook_id: string; status: string; outcome: string | null; last_error: string | null }>(
  sql`select webhook_id, status, outcome, last_error from webhook_inbox order by webhook_id`);

describe('inbox batches', () => {
  it('processes a batch in one go: effects, outcomes and after-commit work for each delivery, per customer in arrival order', async () => {
    await deliver(['a1', 'a2', 'a3', 'a4'], 'test/record', (id) => (id === 'a3' ? 7 : 9));
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(4);
    expect((await status()).map((r) => [r.webhook_id, r.status, r.outcome])).toEqual([
      ['a1', 'processed', 'recorded a1'], ['a2', 'processed', 'recorded a2'], ['a3', 'processed', 'recorded a3'], ['a4', 'processed', 'recorded a4'],
    ]);
    // Customer 7 first (the lock order), then customer 9's deliveries in the order they came.
    const effects = await db.rows<{ webhook_id: string }>(sql`select webhook_id from inbox_effects order by position`);
    expect(effects.map((e) => e.webhook_id)).toEqual(['a3', 'a1', 'a2', 'a4']);
    expect(afterCommit).toEqual(['a3', 'a1', 'a2', 'a4']);
  });

  it('rolls a batch back when one delivery fails, then processes the rest one by one and records the failure on that one alone', async () => {
    afterCommit.length = 0;
    await deliver(['b1', 'bad-b2', 'b3']);
    await deliver(['c1'], 'test/later');
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(4);
    const rows = Object.fromEntries((await status()).map((r) => [r.webhook_id, r]));
    expect([rows.b1.status, rows.b3.status]).toEqual(['processed', 'processed']);
    expect(rows['bad-b2'].status).toBe('failed');
    expect(rows['bad-b2'].last_error).toBe('cannot handle bad-b2');
    expect(rows.c1.status).toBe('failed');
    expect(rows.c1.outcome).toBe('not yet');
    const effects = await db.rows<{ webhook_id: string }>(sql`select webhook_id from inbox_effects where webhook_id like 'b%' order by webhook_id`);
    expect(effects.map((e) => e.webhook_id)).toEqual(['b1', 'b3']);
    // After-commit work ran once per committed delivery, never for the rolled-back attempt.
    expect(afterCommit.sort()).toEqual(['b1', 'b3']);
  });

  it('runs different customers side by side in one transaction, each on a view of its own, one customer\'s deliveries in order', async () => {
    seen.length = 0;
    steps.length = 0;
    await deliver(['s1', 's2', 's3'], 'test/slow', (id) => (id === 's2' ? 2 : 1));
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(3);
    // Customer 1's two deliveries in order, customer 2's alongside them rather than after.
    expect(steps.indexOf('start s2')).toBeLessThan(steps.indexOf('end s1'));
    expect(steps.indexOf('end s1')).toBeLessThan(steps.indexOf('start s3'));
    const [s1, s2, s3] = ['s1', 's2', 's3'].map((id) => seen.find((x) => x.id === id)!.tx);
    expect(s1).not.toBe(s2);
    expect(s1).toBe(s3);
    expect(txRoot(s1)).toBe(txRoot(s2));
    expect((await status()).filter((r) => r.webhook_id.startsWith('s')).map((r) => r.status)).toEqual(['processed', 'processed', 'processed']);
  });

  it('retries one by one when two customers\' handlers collide on shared state, and then records both exactly once', async () => {
    await deliver(['x1', 'x2'], 'test/chain', (id) => (id === 'x1' ? 11 : 12));
    const warn = vi.spyOn(deps.log, 'warn');
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(2);
    // Side by side both read position 0 and claimed 1: the database refused the second claim.
    expect(warn).toHaveBeenCalledWith('inbox batch rolled back; processing its deliveries one by one', expect.objectContaining({ size: 2 }));
    warn.mockRestore();
    const chain = await db.rows<{ position: number; webhook_id: string }>(sql`select position, webhook_id from inbox_chain order by position`);
    expect(chain.map((c) => [Number(c.position), c.webhook_id])).toEqual([[1, 'x1'], [2, 'x2']]);
    const rows = Object.fromEntries((await status()).map((r) => [r.webhook_id, r]));
    expect([rows.x1.outcome, rows.x2.outcome]).toEqual(['chained x1 at 1', 'chained x2 at 2']);
  });

  it('keeps a committed delivery processed when its after-commit work fails, and does not run it again', async () => {
    await deliver(['d1', 'd2'], 'test/push-fails');
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(2);
    const rows = Object.fromEntries((await status()).map((r) => [r.webhook_id, r]));
    expect([rows.d1.status, rows.d1.outcome, rows.d2.status]).toEqual(['processed', 'recorded d1', 'processed']);
    const effects = await db.rows<{ n: number }>(sql`select count(*)::int as n from inbox_effects where webhook_id in ('d1', 'd2')`);
    expect(Number(effects[0].n)).toBe(2);
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(0);
  });

  it('claims only what is due, oldest first: new, retries whose time has come, and leases a crash left to expire', async () => {
    await db.rows(sql`update webhook_inbox set status = 'processed' where status <> 'processed'`);
    afterCommit.length = 0;
    const ids = ['e-new', 'e-retry-due', 'e-retry-later', 'e-leased', 'e-lease-expired', 'e-processed', 'e-dead', 'e-newest'];
    for (const [i, id] of ids.entries()) {
      await deliver([id]);
      // Arrival order is the order of `ids`, whatever the clock's resolution.
      await db.rows(sql`update webhook_inbox set created_at = now() - make_interval(secs => ${100 - i}) where webhook_id = ${id}`);
    }
    await db.rows(sql`update webhook_inbox set status = 'failed', next_attempt_at = now() - interval '1 second' where webhook_id = 'e-retry-due'`);
    await db.rows(sql`update webhook_inbox set status = 'failed', next_attempt_at = now() + interval '1 hour' where webhook_id = 'e-retry-later'`);
    await db.rows(sql`update webhook_inbox set status = 'processing', locked_until = now() + interval '1 minute' where webhook_id = 'e-leased'`);
    await db.rows(sql`update webhook_inbox set status = 'processing', locked_until = now() - interval '1 second' where webhook_id = 'e-lease-expired'`);
    await db.rows(sql`update webhook_inbox set status = 'processed' where webhook_id = 'e-processed'`);
    await db.rows(sql`update webhook_inbox set status = 'dead' where webhook_id = 'e-dead'`);
    // A batch of two takes the two oldest due; the next takes the rest; then nothing is left.
    expect(await processInboxBatch(deps, handlers, { batchSize: 2 })).toBe(2);
    expect(afterCommit).toEqual(['e-new', 'e-retry-due']);
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(2);
    expect(afterCommit).toEqual(['e-new', 'e-retry-due', 'e-lease-expired', 'e-newest']);
    expect(await processInboxBatch(deps, handlers, { batchSize: 10 })).toBe(0);
    const rows = Object.fromEntries((await status()).map((r) => [r.webhook_id, r.status]));
    expect([rows['e-retry-later'], rows['e-leased'], rows['e-dead']]).toEqual(['failed', 'processing', 'dead']);
  });
});
