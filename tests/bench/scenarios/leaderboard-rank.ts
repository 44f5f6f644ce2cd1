import { sql } from 'drizzle-orm';
import type { DbHandle } from '@herethere/db';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { installShop } from '@herethere/gateway/seed';
import { testConfig } from '@herethere/runtime';
import { rebuildHistogram } from '@herethere/loyalty/leaderboard/store';
import { standing } from '@herethere/loyalty/leaderboard/rank';
import { percentile, type Scenario } from '../lib';
import { benchDatabase } from '../db';
import { startService } from '../services';
import { startStack } from '../../support/stack';

/**
 * A customer's all-time rank among 1,000,000 ranked customers: the widget's
 * `me { leaderboard(period: ALL_TIME) { rank total } }` through the gateway, one request at a time,
 * for randomly chosen customers. Baseline: the same rank read straight from the database (no HTTP,
 * no gateway). Scores follow a long-tailed distribution with many ties, as real programs have.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 600);
const WARMUP = 50;

interface Target {
  /** The gateway's URL (embedded), or null until the service processes start. */
  url: string | null;
  /** The bench database's URL for the service processes (PostgreSQL only). */
  dbUrl: string | null;
  db: DbHandle;
  stop(): Promise<void>;
}

async function target(databaseUrl: string | undefined): Promise<Target> {
  if (!databaseUrl) {
    const stack = await startStack({ logLevel: 'error' });
    return { url: stack.url, dbUrl: null, db: stack.deps.db, stop: () => stack.stop() };
  }
  const { db, url } = await benchDatabase(databaseUrl);
  return { url: null, dbUrl: url, db, stop: () => db.close() };
}

export const run: Scenario = async (env) => {
  const config = testConfig();
  const t = await target(env.databaseUrl);
  const services: { stop(): Promise<void> }[] = [];
  try {
    const shop = 'rank-shop.myshopify.com';
    const merchantId = await installShop(t.db.db, shop);
    const started = Date.now();
    env.log(`generating ${CUSTOMERS.toLocaleString('en')} customers and their all-time scores`);
    await t.db.rows(sql`
      insert into customers (merchant_id, id, shopify_customer_id, first_name, last_name, state, total_points_earned)
      select ${merchantId}, 'cus_' || lpad(to_hex(g), 26, '0'), g::text, 'Name' || g, 'Last' || g, 'member', 0
      from generate_series(1, ${CUSTOMERS}::int) g`);
    // Long-tailed scores: most customers hold a few hundred points, a few hold hundreds of thousands.
    await t.db.rows(sql`
      insert into leaderboard_scores (merchant_id, period, period_key, customer_id, points)
      select ${merchantId}, 'all', 'all', 'cus_' || lpad(to_hex(g), 26, '0'), 1 + floor(exp(random() * 13))::bigint
      from generate_series(1, ${CUSTOMERS}::int) g`);
    await t.db.db.transaction((tx) => rebuildHistogram({ db: t.db }, tx, merchantId, 'all', 'all'));
    await t.db.rows(sql`vacuum analyze customers`);
    await t.db.rows(sql`vacuum analyze leaderboard_scores`);
    await t.db.rows(sql`vacuum analyze leaderboard_histogram`);
    env.log(`data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    let url = t.url ?? '';
    if (t.dbUrl) {
      // As in production: the gateway and the loyalty subgraph in their own processes.
      const common = { DATABASE_URL: t.dbUrl, REDIS_URL: env.redisUrl ?? 'redis://127.0.0.1:6379' };
      const loyalty = await startService('loyalty', 4631, common);
      services.push(loyalty);
      const gateway = await startService('gateway', 4630, { ...common, LOYALTY_URL: `${loyalty.url}/graphql` });
      services.unshift(gateway);
      url = gateway.url;
    }

    const pick = () => 1 + Math.floor(Math.random() * CUSTOMERS);
    const idOf = (g: number) => `cus_${g.toString(16).padStart(26, '0')}`;

    // Correctness on a sample: the histogram rank equals a brute-force count.
    for (let i = 0; i < 5; i++) {
      const id = idOf(pick());
      const s = await standing({ db: t.db }, merchantId, id, 'all', 'all');
      const [row] = await t.db.rows<{ above: number }>(sql`select count(*)::int as above from leaderboard_scores where merchant_id = ${merchantId} and period = 'all' and points > ${s.points}`);
      if (s.rank !== Number(row.above) + 1 || s.total !== CUSTOMERS) throw new Error(`rank mismatch for ${id}: ${s.rank} vs ${Number(row.above) + 1}`);
    }

    const baseline: number[] = [];
    for (let i = 0; i < REQUESTS; i++) {
      const t0 = performance.now();
      await standing({ db: t.db }, merchantId, idOf(pick()), 'all', 'all');
      baseline.push(performance.now() - t0);
    }

    const ask = async (query: string): Promise<{ ms: number; body: { data?: { me: { id: string; leaderboard?: { rank: number | null; total: number } } }; errors?: unknown } }> => {
      const g = pick();
      const { token } = await signWidgetToken(config.widgetTokenSecret, { kind: 'customer', merchantId, shop, customerId: idOf(g), shopifyCustomerId: String(g) }, 300);
      const t0 = performance.now();
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as Awaited<ReturnType<typeof ask>>['body'];
      return { ms: performance.now() - t0, body };
    };
    // The same request without the rank, for how much of the time is the platform's round trip.
    const plain: number[] = [];
    for (let i = 0; i < REQUESTS / 2 + WARMUP; i++) {
      const r = await ask('{ me { id } }');
      if (i >= WARMUP) plain.push(r.ms);
    }
    const latencies: number[] = [];
    for (let i = 0; i < REQUESTS + WARMUP; i++) {
      const { ms, body } = await ask('{ me { id leaderboard(period: ALL_TIME) { rank total } } }');
      const lb = body.data?.me.leaderboard;
      if (!lb || lb.total !== CUSTOMERS || !lb.rank) throw new Error(`bad answer: ${JSON.stringify(body)}`);
      if (i >= WARMUP) latencies.push(ms);
    }
    env.log(`gateway p50 ${percentile(latencies, 50)} ms, p95 ${percentile(latencies, 95)} ms; the same request without the rank p95 ${percentile(plain, 95)} ms; database only p95 ${percentile(baseline, 95)} ms`);
    return [{ metric: 'rank_latency_p95', value: percentile(latencies, 95), unit: 'ms', baseline: percentile(baseline, 95) }];
  } finally {
    for (const s of services) await s.stop();
    await t.stop();
  }
};
