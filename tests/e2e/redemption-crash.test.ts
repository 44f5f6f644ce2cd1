import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, newId, openDb, rewards, type DbHandle } from '@herethere/db';
import { ensureCustomer, post } from '@herethere/loyalty';
import { createLogger, createMemoryCache, createMemoryPubSub, testConfig, type Deps } from '@herethere/runtime';
import { runCommand } from '@herethere/gateway/cli/commands';
import { installShop } from '@herethere/gateway/seed';
import { startServices } from '@herethere/gateway/start';
import { gql } from '../support/stack';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';

/**
 * A real crash: a child process reserves a redemption (points debited, row `reserved`) and is
 * killed with SIGKILL before it calls Shopify. After a restart on the same database, reconciling
 * (twice at once) voids it exactly once and the points come back.
 */
const CHILD = fileURLToPath(new URL('./redemption-crash-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** A database the child can open too: a PGlite directory, or a fresh PostgreSQL database. */
async function sharedDatabase(): Promise<{ target: string; open: () => Promise<DbHandle> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), 'herethere-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return { target: dir, open: () => openDb({ dataDir: dir }) };
  }
  const name = `herethere_crash_${randomBytes(6).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const dropper = postgres(server, { max: 1, onnotice: () => {} });
    await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    await dropper.end();
  });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { target: url.toString(), open: () => openDb({ url: url.toString(), max: 5 }) };
}

const depsOn = (db: DbHandle): Deps => ({ config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') });

describe('a process killed between reserve and issue', () => {
  it('leaves a reservation that reconciliation after restart resolves exactly once', async () => {
    const { target, open } = await sharedDatabase();
    let db = await open();
    await migrate(db);
    const shop = 'crash-shop.myshopify.com';
    const merchantId = await installShop(db.db, shop);
    const customer = await ensureCustomer(db.db, merchantId, '31337');
    let deps = depsOn(db);
    await post(deps, { merchantId, customerId: customer.id, type: 'admin_adjust', points: 700, reason: 'Test balance', source: 'admin', idempotencyKey: 'seed', actor: 'test' });
    const rewardId = newId('reward');
    await db.db.insert(rewards).values({ merchantId, id: rewardId, kind: 'fixed_amount', name: '$5 off', pointsCost: 500, valueMinor: 500, currency: 'USD' });
    await db.close();

    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, target, merchantId, customer.id, rewardId], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(out).toContain('RESERVED');
    expect(signal).toBe('SIGKILL');

    // Restart on the same database.
    db = await open();
    cleanups.push(() => db.close());
    deps = depsOn(db);
    const balance = async () => Number((await db.rows<{ b: number }>(sql`select points_balance as b from customers where id = ${customer.id}`))[0].b);
    const status = async () => (await db.rows<{ status: string }>(sql`select status from reward_redemptions where customer_id = ${customer.id}`)).map((r) => r.status);
    expect(await status()).toEqual(['reserved']);
    expect(await balance()).toBe(200);

    const running = await startServices(deps, ['loyalty', 'merchant-config', 'gateway'], { gatewayPort: 0, workers: false });
    cleanups.push(() => running.stop());
    const [a, b] = await Promise.all([runCommand(deps, ['redemptions', 'reconcile', '--grace', '0']), runCommand(deps, ['redemptions', 'reconcile', '--grace', '0'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(await status()).toEqual(['voided']);
    expect(await balance()).toBe(700);
    const ledger = await db.rows<{ type: string; points: number }>(sql`select type, points from points_transactions where customer_id = ${customer.id} order by seq`);
    expect(ledger).toEqual([{ type: 'admin_adjust', points: 700 }, { type: 'redemption', points: -500 }, { type: 'redemption_void', points: 500 }]);

    // The customer sees the outcome through the gateway after the restart.
    const { token } = await signWidgetToken(deps.config.widgetTokenSecret, { kind: 'customer', merchantId, shop, customerId: customer.id, shopifyCustomerId: '31337' }, 60);
    const { body } = await gql<{ me: { pointsBalance: number; redemptions: { nodes: { status: string; code: string | null }[] } } }>(running.gatewayUrl!, token, '{ me { pointsBalance redemptions(first: 5) { nodes { status code } } } }');
    expect(body.data!.me).toEqual({ pointsBalance: 700, redemptions: { nodes: [{ status: 'VOIDED', code: null }] } });
  }, 60_000);
});
