import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { merchants, newId, rewards, type DbHandle } from '@herethere/db';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { installShop } from '@herethere/gateway/seed';
import { seal, testConfig } from '@herethere/runtime';
import type { BenchEnv } from './lib';
import { benchDatabase } from './db';
import { startService } from './services';
import { startStack } from '../support/stack';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The fake Shopify Admin API in a process of its own, so its work never delays the services measured. */
export async function startAdminApiProcess(opts: { latencyMs: number; shop: string; token: string; bucket?: string }): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'tests/fakes/shopify-admin.ts', '--latency', String(opts.latencyMs), '--bucket', opts.bucket ?? '2000/100', '--shop', `${opts.shop}=${opts.token}`], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c) => {
      out += c;
      const m = /LISTENING (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`fake Admin API exited with ${code}`)));
  });
  return {
    url,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5000).unref();
    }),
  };
}

/** Gateway and loyalty as their own processes on PostgreSQL and Redis, or the in-process stack. */
async function serve(env: BenchEnv, adminApiUrl: string): Promise<{ url: string; db: DbHandle; stop(): Promise<void> }> {
  if (!env.databaseUrl) {
    const stack = await startStack({ logLevel: 'error', shopify: { ...testConfig().shopify, adminApiUrl } });
    return { url: stack.url, db: stack.deps.db, stop: () => stack.stop() };
  }
  const bench = await benchDatabase(env.databaseUrl, 20);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const common = { DATABASE_URL: bench.url, REDIS_URL: env.redisUrl ?? 'redis://127.0.0.1:6379', SHOPIFY_ADMIN_API_URL: adminApiUrl, ...(process.env.SERVICE_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SERVICE_NODE_OPTIONS } : {}) };
  const loyalty = await startService('loyalty', port + 1, common).catch(async (err) => {
    await bench.db.close();
    throw err;
  });
  const gateway = await startService('gateway', port, { ...common, LOYALTY_URL: `${loyalty.url}/graphql` }).catch(async (err) => {
    await loyalty.stop();
    await bench.db.close();
    throw err;
  });
  return {
    url: gateway.url,
    db: bench.db,
    async stop() {
      await gateway.stop();
      await loyalty.stop();
      await bench.db.close();
    },
  };
}

export interface RedeemTarget {
  url: string;
  db: DbHandle;
  merchantId: string;
  shop: string;
  rewardId: string;
  /** Widget tokens for customers (created with `points` each, through the ledger). */
  customers(n: number, points: number): Promise<{ customerId: string; token: string }[]>;
  stop(): Promise<void>;
}

/**
 * A shop with an Admin API token and a $5 reward, served as in production: with DATABASE_URL the
 * gateway and loyalty run as their own processes on PostgreSQL and Redis; otherwise in-process.
 */
export async function redeemTarget(env: BenchEnv, latencyMs: number, reward: { pointsCost: number }): Promise<RedeemTarget> {
  const shop = `redeem-${randomBytes(3).toString('hex')}.myshopify.com`;
  const token = `shpat_${randomBytes(12).toString('hex')}`;
  // A large shop's Admin API budget: the bench measures our overhead, not Shopify's rate limit
  // (which the tests cover: THROTTLED answers are waited out).
  const fake = await startAdminApiProcess({ latencyMs, shop, token, bucket: '20000/2000' });
  const config = testConfig();
  let served: { url: string; db: DbHandle; stop(): Promise<void> };
  try {
    served = await serve(env, fake.url);
  } catch (err) {
    await fake.stop();
    throw err;
  }
  const { url, db } = served;
  const stopServices = () => served.stop();
  const merchantId = await installShop(db.db, shop);
  await db.db.update(merchants).set({ accessTokenSealed: seal(config.encryptionKey, token) }).where(sql`${merchants.id} = ${merchantId}`);
  const rewardId = newId('reward');
  await db.db.insert(rewards).values({ merchantId, id: rewardId, kind: 'fixed_amount', name: '$5 off', pointsCost: reward.pointsCost, valueMinor: 500, currency: 'USD' });
  let seq = 0;
  return {
    url, db, merchantId, shop, rewardId,
    async customers(n, points) {
      const out: { customerId: string; token: string }[] = [];
      const start = seq;
      seq += n;
      // Customers arrive with a ledger: one import entry each, so balance = sum(entries) holds.
      await db.rows(sql`insert into customers (merchant_id, id, shopify_customer_id, email, state, points_balance, total_points_earned, ledger_seq, ledger_head_hash)
        select ${merchantId}, 'cus_bench' || lpad(g::text, 7, '0'), (500000 + g)::text, null, 'member', ${points}::int, ${points}::int, 1, 'bench' || g from generate_series(${start + 1}::int, ${start + n}::int) g`);
      await db.rows(sql`insert into points_transactions (merchant_id, id, customer_id, seq, type, points, balance_after, reason, source, idempotency_key, actor, prev_hash, hash)
        select ${merchantId}, 'txn_bench' || lpad(g::text, 7, '0'), 'cus_bench' || lpad(g::text, 7, '0'), 1, 'import', ${points}::int, ${points}::int, 'Bench balance', 'import', 'bench:' || g, 'bench', '', 'bench' || g
        from generate_series(${start + 1}::int, ${start + n}::int) g`);
      for (let g = start + 1; g <= start + n; g++) {
        const customerId = `cus_bench${String(g).padStart(7, '0')}`;
        const { token: t } = await signWidgetToken(config.widgetTokenSecret, { kind: 'customer', merchantId, shop, customerId, shopifyCustomerId: String(500000 + g) }, 3600);
        out.push({ customerId, token: t });
      }
      return out;
    },
    async stop() {
      await stopServices();
      await fake.stop();
    },
  };
}

export const REDEEM = 'mutation($input: RewardRedeemInput!) { rewardRedeem(input: $input) { redemption { id code status pointsSpent } customer { pointsBalance } userErrors { code message } } }';

export async function redeemOnce(url: string, token: string, rewardId: string): Promise<{ ok: boolean; code: string | null; error: string | null; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: REDEEM, variables: { input: { rewardId, idempotencyKey: randomBytes(12).toString('hex') } } }),
  });
  const body = (await res.json()) as { data?: { rewardRedeem: { redemption: { code: string; status: string } | null; userErrors: { code: string }[] } }; errors?: { message: string }[] };
  const ms = performance.now() - started;
  const r = body.data?.rewardRedeem;
  if (!r) return { ok: false, code: null, error: body.errors?.[0]?.message ?? `HTTP ${res.status}`, ms };
  return { ok: r.redemption?.status === 'ISSUED', code: r.redemption?.code ?? null, error: r.userErrors[0]?.code ?? null, ms };
}
