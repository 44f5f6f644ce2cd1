import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, newId, plans, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { inboxWriter, type InboxWrite } from './inbox-writer';

/** The webhook door's group commit against a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL). */
let db: DbHandle;
const merchantId = newId('merchant');

beforeAll(async () => {
  db = await openTestDb();
  await db.db.insert(plans).values({ id: 'free', name: 'Free', basePriceMinor: 0 });
  await db.db.insert(merchants).values({ id: merchantId, shopDomain: 'writer-test.myshopify.com', name: 'Writer', planId: 'free' });
});
afterAll(async () => {
  await db?.close();
});

const delivery = (webhookId: string, body: Record<string, unknown> = { id: webhookId }, merchant = merchantId): InboxWrite => ({
  merchantId: merchant, webhookId, topic: 'orders/paid', shopDomain: 'writer-test.myshopify.com', apiVersion: '2025-07', rawBody: JSON.stringify(body),
});

const stored = () => db.rows<{ webhook_id: string; payload: unknown; status: string; api_version: string | null }>(
  sql`select webhook_id, payload, status, api_version from webhook_inbox where merchant_id = ${merchantId} order by created_at, webhook_id`);

/** Counts the INSERT statements the writer sends, to show deliveries of one turn share one. */
function countingInserts(handle: DbHandle): { db: DbHandle; inserts: () => number } {
  let n = 0;
  return {
    db: { ...handle, rows: (q, on) => ((n += 1), handle.rows(q, on)) },
    inserts: () => n,
  };
}

describe('inbox writer', () => {
  it('writes the deliveries of one turn in one statement, in arrival order, each told it is new', async () => {
    const counting = countingInserts(db);
    const writer = inboxWriter(counting.db);
    const ids = Array.from({ length: 30 }, (_, i) => `w-order-${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(ids.map((id, i) => writer.write(delivery(id, { id, total_price: `${i}.00`, note: 'ünïcödé "quoted"' }))));
    expect(answers).toEqual(ids.map(() => true));
    expect(counting.inserts()).toBe(1);
    const rows = (await stored()).filter((r) => r.webhook_id.startsWith('w-order-'));
    // The order they arrived in is the order they are processed in (created_at).
    expect(rows.map((r) => r.webhook_id)).toEqual(ids);
    expect(rows[7]).toMatchObject({ status: 'received', api_version: '2025-07', payload: { id: 'w-order-07', total_price: '7.00', note: 'ünïcödé "quoted"' } });
  });

  it('answers duplicate for a webhook id already stored and for a second copy in the same batch, and writes it once', async () => {
    const writer = inboxWriter(db);
    expect(await writer.write(delivery('w-dup-1'))).toBe(true);
    const [again, first, second] = await Promise.all([writer.write(delivery('w-dup-1')), writer.write(delivery('w-dup-2')), writer.write(delivery('w-dup-2'))]);
    expect([again, first, second]).toEqual([false, true, false]);
    const rows = (await stored()).filter((r) => r.webhook_id.startsWith('w-dup-'));
    expect(rows.map((r) => r.webhook_id)).toEqual(['w-dup-1', 'w-dup-2']);
  });

  it('retries a refused batch row by row, so only the bad delivery fails and nothing of it is written', async () => {
    const counting = countingInserts(db);
    const writer = inboxWriter(counting.db);
    // A shop that does not exist breaks the foreign key: the database refuses that row.
    const results = await Promise.allSettled([
      writer.write(delivery('w-iso-1')),
      writer.write(delivery('w-iso-bad', { id: 1 }, 'mer_missing')),
      writer.write(delivery('w-iso-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(counting.inserts()).toBe(4); // the batch, then each of its three rows alone
    const [{ n }] = await db.rows<{ n: number }>(sql`select count(*)::int as n from webhook_inbox where webhook_id = 'w-iso-bad'`);
    expect(Number(n)).toBe(0);
    expect((await stored()).filter((r) => r.webhook_id.startsWith('w-iso-')).map((r) => r.webhook_id)).toEqual(['w-iso-1', 'w-iso-2']);
  });

  it('stores a payload carrying a NUL character (which jsonb refuses) with U+FFFD in its place, and leaves a literal backslash-u0000 alone', async () => {
    const writer = inboxWriter(db);
    expect(await writer.write(delivery('w-nul', { id: 'w-nul', note: 'gift\u0000wrap', path: 'C:\\u0000' }))).toBe(true);
    const [row] = (await stored()).filter((r) => r.webhook_id === 'w-nul');
    expect(row.payload).toEqual({ id: 'w-nul', note: 'gift\ufffdwrap', path: 'C:\\u0000' });
  });

  it('splits a turn larger than one batch into several statements without losing a delivery', async () => {
    const counting = countingInserts(db);
    const writer = inboxWriter(counting.db);
    const ids = Array.from({ length: 250 }, (_, i) => `w-many-${String(i).padStart(3, '0')}`);
    expect(await Promise.all(ids.map((id) => writer.write(delivery(id))))).toEqual(ids.map(() => true));
    expect(counting.inserts()).toBe(3);
    // Batches of one turn may commit in any order; each keeps its own rows in order.
    expect((await stored()).filter((r) => r.webhook_id.startsWith('w-many-')).map((r) => r.webhook_id).sort()).toEqual(ids);
  });
});
