import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, newId, plans, webhookInbox, type DbHandle } from '@herethere/db';
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
});
afterAll(async () => {
  await db?.close();
});

const deliver = (ids: string[], topic = 'test/record', customer?: (id: string) => number) =>
  db.db.insert(webhookInbox).values(ids.map((webhookId) => ({
    merchantId, webhookId, topic, shopDomain: 'inbox-test.myshopify.com', payload: { id: webhookId, ...(customer ? { customer: { id: customer(webhookId) } } : {}) },
  })));

const afterCommit: string[] = [];
const handlers: Record<string, WebhookHandler> = {
  'test/record': async (tx, _deps, d) => {
    if (d.webhookId.startsWith('bad')) throw new Error(`cannot handle ${d.webhookId}`);
    await tx.execute(sql`insert into inbox_effects (webhook_id) values (${d.webhookId})`);
    return { outcome: `recorded ${d.webhookId}`, after: async () => void afterCommit.push(d.webhookId) };
  },
  'test/later': async () => ({ defer: 'not yet' }),
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
