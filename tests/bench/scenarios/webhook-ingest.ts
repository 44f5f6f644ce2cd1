import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@herethere/db';
import { installShop } from '@herethere/gateway/seed';
import { testConfig } from '@herethere/runtime';
import { percentile, poster, type BenchEnv, type Metric, type Scenario } from '../lib';
import { benchDatabase } from '../db';
import { startService } from '../services';
import { orderPayload } from '../../support/shopify';
import { startStack, webhookHeaders } from '../../support/stack';

/**
 * Black Friday at the webhook door: 50 concurrent senders post realistic orders/paid deliveries.
 * Measures acknowledgement throughput and latency, how fast the inbox credits them, and that
 * every acknowledged order was credited exactly once. Baseline: pgbench doing, per order, one
 * transaction with an inbox insert, a ledger insert and a balance update.
 */
const SENDERS = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CUSTOMERS = 2000;
const exec = promisify(execFile);

async function pgbenchBaseline(dbUrl: string, merchantId: string, customerPrefix: string, log: (m: string) => void): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'pgbench-'));
  const customer = `'${customerPrefix}' || lpad(:c::text, 6, '0')`;
  const script = `\\set r random(1, 1000000000000)
\\set c random(1, ${CUSTOMERS})
BEGIN;
INSERT INTO webhook_inbox (merchant_id, webhook_id, topic, shop_domain, payload, status) VALUES ('${merchantId}', 'pgb-' || :r || '-' || :client_id, 'orders/paid', 'bench', '{"id": 1, "line_items": [{"price": "10.00"}, {"price": "20.00"}], "subtotal_price": "30.00"}', 'processed') ON CONFLICT DO NOTHING;
INSERT INTO points_transactions (merchant_id, id, customer_id, type, points, balance_after, reason, source, idempotency_key, actor, seq, prev_hash, hash)
  VALUES ('${merchantId}', 'txn_pgb' || :r || '-' || :client_id, ${customer}, 'purchase', 30, 30, 'Order', 'order', 'pgb:' || :r || '-' || :client_id, 'bench', 1000000 + :r % 1000000000, '', md5(:r::text));
UPDATE customers SET points_balance = points_balance + 30, total_points_earned = total_points_earned + 30 WHERE merchant_id = '${merchantId}' AND id = ${customer};
COMMIT;
`;
  writeFileSync(join(dir, 'order.sql'), script);
  try {
    const { stdout } = await exec('pgbench', ['-n', '-c', String(SENDERS), '-j', '2', '-T', '10', '-f', join(dir, 'order.sql'), dbUrl], { maxBuffer: 10_000_000 });
    const tps = Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0);
    log(`pgbench baseline: ${tps.toFixed(0)} tps`);
    return tps;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


interface Target {
  url: string;
  secret: string;
  db: DbHandle;
  stop(): Promise<void>;
}

/**
 * On PostgreSQL the gateway and the loyalty service (which runs the inbox processor) are separate
 * processes, as deployed; on the embedded database they share this process (PGlite has one owner).
 */
async function target(env: BenchEnv): Promise<Target> {
  if (!env.databaseUrl) {
    const stack = await startStack({ logLevel: 'error', inboxConcurrency: 4 });
    return { url: stack.url, secret: stack.config.shopify.apiSecret, db: stack.deps.db, stop: () => stack.stop() };
  }
  const { db, url } = await benchDatabase(env.databaseUrl);
  const common = { DATABASE_URL: url, REDIS_URL: env.redisUrl ?? 'redis://127.0.0.1:6379', INBOX_CONCURRENCY: '8' };
  const loyalty = await startService('loyalty', 4601, common);
  const gateway = await startService('gateway', 4600, { ...common, LOYALTY_URL: `${loyalty.url}/graphql` });
  return {
    url: gateway.url,
    secret: testConfig().shopify.apiSecret,
    db,
    async stop() {
      await gateway.stop();
      await loyalty.stop();
    },
  };
}

interface Sent {
  acked: Map<string, number>;
  latencies: number[];
  failures: number;
  seconds: number;
}

/**
 * Sends orders/paid deliveries for `seconds`. Without `rate`, 50 senders post back to back (the
 * saturation the throughput is measured at). With `rate`, deliveries are due at that many per
 * second, at most 50 in flight, and each latency counts from when it was due, so a slow answer that
 * holds up the next delivery shows in the figures instead of hiding.
 */
async function send(t: Target, shop: string, firstOrder: number, seconds: number, rate?: number): Promise<Sent> {
  const sent: Sent = { acked: new Map(), latencies: [], failures: 0, seconds: 0 };
  const url = `${t.url}/webhooks/shopify`;
  const http = poster(SENDERS);
  let n = 0;
  const one = async (due: number) => {
    const i = n++;
    const orderId = firstOrder + i;
    const payload = orderPayload({
      id: orderId,
      customerId: 100001 + (i % CUSTOMERS),
      lines: [{ price: '24.99', quantity: 2 }, { price: '59.00', discount: '10.00' }, { price: '12.50', quantity: 3 }, { price: '25.00', giftCard: i % 10 === 0 }],
      shipping: '7.95', tax: '11.20', tip: i % 5 === 0 ? '3.00' : undefined, discountCodes: i % 3 === 0 ? ['BF2026'] : [],
    });
    const body = JSON.stringify(payload);
    const headers = webhookHeaders(t.secret, shop, 'orders/paid', body, randomUUID());
    const status = await http.post(url, headers, body).catch(() => 0); // a refused connection counts as a failure
    sent.latencies.push(performance.now() - due);
    if (status === 200) sent.acked.set(String(orderId), Date.now());
    else sent.failures += 1;
  };
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  if (!rate) {
    await Promise.all(Array.from({ length: SENDERS }, async () => {
      while (performance.now() < until) await one(performance.now());
    }));
  } else {
    const inFlight = new Set<Promise<void>>();
    for (let k = 0; ; k++) {
      const due = t0 + (k * 1000) / rate;
      if (due >= until) break;
      if (due > performance.now()) await new Promise((r) => setTimeout(r, due - performance.now()));
      while (inFlight.size >= SENDERS) await Promise.race(inFlight);
      const p: Promise<void> = one(due).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  sent.seconds = (performance.now() - t0) / 1000;
  http.close();
  return sent;
}

async function drain(db: DbHandle, merchantId: string): Promise<void> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    const [left] = await db.rows<{ n: number }>(sql`select count(*)::int as n from webhook_inbox where merchant_id = ${merchantId} and status <> 'processed'`);
    if (Number(left.n) === 0 || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function seedShop(db: DbHandle, shop: string, prefix: string): Promise<string> {
  const merchantId = await installShop(db.db, shop);
  await db.rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
  // The customers exist already (as after an import), so the bench measures orders.
  await db.rows(sql`insert into customers (merchant_id, id, shopify_customer_id, email, state)
    select ${merchantId}, ${prefix} || lpad(g::text, 6, '0'), (100000 + g)::text, 'b' || g || '@example.com', 'member' from generate_series(1, ${CUSTOMERS}) g`);
  return merchantId;
}

/**
 * Two phases. Saturation: 50 senders flat out for BENCH_SECONDS gives `acknowledged_per_s` (the
 * goal is half the pgbench baseline) and how fast the backlog is credited. Sustained: once that
 * backlog is credited, deliveries arrive at the goal rate (half the baseline; half the saturated
 * rate without PostgreSQL) for BENCH_SECONDS, which is where acknowledgement latency and credit lag
 * are judged: under a load the system keeps up with, as a shop's webhooks arrive on Black Friday,
 * rather than behind a queue the bench itself piles up. Exactly-once covers both phases.
 */
export const run: Scenario = async (env) => {
  const t = await target(env);
  const db = t.db;
  let closeDb = async () => {};
  if (env.databaseUrl) closeDb = () => db.close();
  try {
    const shop = 'bench-shop.myshopify.com';
    const merchantId = await seedShop(db, shop, 'cus_bench');
    let baseline: number | null = null;
    if (env.databaseUrl) {
      // Measured first, on a shop of its own, while the services idle.
      const baselineShop = await seedShop(db, 'bench-baseline.myshopify.com', 'cus_base');
      const [row] = await db.rows<{ name: string }>(sql`select current_database() as name`);
      const u = new URL(env.databaseUrl);
      u.pathname = `/${row.name}`;
      baseline = await pgbenchBaseline(u.toString(), baselineShop, 'cus_base', env.log);
    } else {
      env.log('the pgbench baseline needs DATABASE_URL (PostgreSQL); no ratio on the embedded database');
    }

    const t0 = Date.now();
    const saturated = await send(t, shop, 5_000_000, SECONDS);
    const ackRate = saturated.acked.size / saturated.seconds;
    env.log(`saturation: acknowledged ${saturated.acked.size} in ${saturated.seconds.toFixed(1)} s (${saturated.failures} failures)`);
    await drain(db, merchantId);
    const [span] = await db.rows<{ n: number; last: Date | string | null }>(sql`
      select count(*)::int as n, max(created_at) as last from points_transactions where merchant_id = ${merchantId} and type = 'purchase'`);
    const creditedPerS = Number(span.n) / Math.max(0.001, (new Date(span.last ?? t0).getTime() - t0) / 1000);
    env.log(`saturation: ${span.n} orders credited at ${creditedPerS.toFixed(1)}/s`);

    const rate = Math.max(1, Math.round(0.5 * (baseline ?? ackRate)));
    const sustained = await send(t, shop, 6_000_000, SECONDS, rate);
    env.log(`sustained at ${rate}/s: acknowledged ${sustained.acked.size} in ${sustained.seconds.toFixed(1)} s (${sustained.failures} failures)`);
    await drain(db, merchantId);
    await t.stop();

    const credited = await db.rows<{ order_id: string; n: number; at: Date | string }>(sql`
      select order_id, count(*)::int as n, min(created_at) as at from points_transactions where merchant_id = ${merchantId} and type = 'purchase' group by order_id`);
    const acked = new Map([...saturated.acked, ...sustained.acked]);
    const lags: number[] = [];
    let exactlyOnce = credited.length === acked.size;
    for (const c of credited) {
      const ackAt = acked.get(c.order_id);
      if (ackAt === undefined || Number(c.n) !== 1) exactlyOnce = false;
      const lagFrom = sustained.acked.get(c.order_id);
      if (lagFrom !== undefined) lags.push(Math.max(0, new Date(c.at).getTime() - lagFrom));
    }
    const [{ ok }] = await db.rows<{ ok: boolean }>(sql`
      select bool_and(c.points_balance = coalesce(t.sum, 0)) as ok from customers c
      left join (select customer_id, sum(points) as sum from points_transactions where merchant_id = ${merchantId} group by customer_id) t on t.customer_id = c.id
      where c.merchant_id = ${merchantId}`);
    if (!ok) exactlyOnce = false;
    const failures = saturated.failures + sustained.failures;
    return [
      { metric: 'acknowledged_per_s', value: Number(ackRate.toFixed(1)), unit: 'req/s', baseline },
      { metric: 'ack_latency_p99', value: percentile(sustained.latencies, 99), unit: 'ms' },
      { metric: 'ack_latency_p99_saturated', value: percentile(saturated.latencies, 99), unit: 'ms' },
      { metric: 'sustained_rate', value: rate, unit: 'req/s' },
      { metric: 'credited_per_s', value: Number(creditedPerS.toFixed(1)), unit: 'orders/s' },
      { metric: 'credit_lag_p99', value: percentile(lags, 99), unit: 'ms' },
      { metric: 'credited_exactly_once', value: exactlyOnce && failures === 0 ? 1 : 0, unit: 'bool' },
    ] satisfies Metric[];
  } finally {
    await t.stop().catch(() => {});
    await closeDb();
  }
};
