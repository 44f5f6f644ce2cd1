import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, openDb, webhookInbox, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { installShop } from '@herethere/gateway/seed';
import { verifyLedger } from '@herethere/loyalty/ledger/verify';
import { orderPayload } from '../support/shopify';

/**
 * Kill the processor mid-batch (process exit inside a delivery's transaction), restart it, and
 * every acknowledged webhook is credited exactly once. Runs on a PGlite data directory, or on a
 * fresh PostgreSQL database when TEST_DATABASE_URL is set.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORDERS = 30;
let dataDir: string | undefined;
let pgUrl: string | undefined;
let pgHandle: DbHandle | undefined;

async function withDb<T>(fn: (db: DbHandle) => Promise<T>): Promise<T> {
  if (pgUrl) return fn(pgHandle!);
  const db = await openDb({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function runChild(env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fault/processor-child.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(pgUrl ? { FAULT_DATABASE_URL: pgUrl } : { FAULT_DATA_DIR: dataDir! }), ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('exit', (code) => resolve(code));
  });
}

let merchantId: string;

beforeAll(async () => {
  if (process.env.TEST_DATABASE_URL) {
    pgHandle = await openTestDb();
    const [row] = await pgHandle.rows<{ db: string }>(sql`select current_database() as db`);
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${row.db}`;
    pgUrl = u.toString();
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'herethere-fault-'));
  }
  await withDb(async (db) => {
    await migrate(db);
    merchantId = await installShop(db.db, 'fault-shop.myshopify.com');
    await db.rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
    // Acknowledged deliveries: what the webhook route had written before answering 200.
    await db.db.insert(webhookInbox).values(Array.from({ length: ORDERS }, (_, i) => ({
      merchantId, webhookId: `fault-${i}`, topic: 'orders/paid', shopDomain: 'fault-shop.myshopify.com',
      payload: orderPayload({ id: 80_000 + i, customerId: 1 + (i % 4), lines: [{ price: `${10 + i}.00` }] }),
    })));
  });
}, 120_000);

afterAll(async () => {
  await pgHandle?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('processor crash', () => {
  it('after a kill mid-batch and a restart, every acknowledged webhook is credited exactly once', async () => {
    expect(await runChild({ FAULT_AFTER: '14', FAULT_LEASE: '1' })).toBe(9);
    const midway = await withDb((db) => db.rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from webhook_inbox group by status order by status`));
    const processedMidway = Number(midway.find((r) => r.status === 'processed')?.n ?? 0);
    // Batches of ten commit as one: the first is through, the second died before its commit.
    expect(processedMidway).toBe(10);
    expect(midway.find((r) => r.status === 'processing')).toBeDefined(); // claimed by the dead process

    await new Promise((r) => setTimeout(r, 1200)); // the dead process's lease runs out
    expect(await runChild({ FAULT_LEASE: '1' })).toBe(0);

    await withDb(async (db) => {
      const statuses = await db.rows<{ status: string; n: number }>(sql`select status, count(*)::int as n from webhook_inbox group by status`);
      expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([['processed', ORDERS]]);
      const perOrder = await db.rows<{ order_id: string; n: number; points: number }>(sql`
        select order_id, count(*)::int as n, sum(points)::int as points from points_transactions where merchant_id = ${merchantId} group by order_id order by order_id`);
      expect(perOrder).toHaveLength(ORDERS);
      perOrder.forEach((o, i) => expect([o.order_id, Number(o.n), Number(o.points)]).toEqual([String(80_000 + i), 1, 10 + i]));
      expect((await verifyLedger(db.db, merchantId)).problems).toEqual([]);
    });
  }, 180_000);
});
