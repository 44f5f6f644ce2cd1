import { sql } from 'drizzle-orm';
import { newId } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { installShop } from '@herethere/gateway/seed';
import { createLogger, createMemoryCache, createMemoryPubSub, testConfig, type Deps } from '@herethere/runtime';
import { qualificationWindow } from '@herethere/loyalty/tier/rules';
import { runNightlyTierRecompute } from '@herethere/loyalty/tier/worker';
import type { Scenario } from '../lib';
import { benchDatabase } from '../db';

/**
 * The nightly tier recompute of one shop with 1,000,000 customers and 5,000,000 orders over two
 * years, a rolling 12-month window in the shop's time zone and four tiers with 30-day retention.
 * Yesterday's placement is in place (as the previous night left it) and 1% of the customers'
 * retention ran out overnight; the run finds, set-based, everyone whose tier needs a look (the
 * window slid one day) and moves them with history, notifications and entry rewards.
 */
const CUSTOMERS = Number(process.env.BENCH_CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 5_000_000);
const TZ = 'America/New_York';

const TIERS = [
  { name: 'Member', threshold: 0, bp: 10_000 },
  { name: 'Silver', threshold: 20_000, bp: 12_500 },
  { name: 'Gold', threshold: 60_000, bp: 15_000 },
  { name: 'Platinum', threshold: 150_000, bp: 20_000 },
];

export const run: Scenario = async (env) => {
  const { db } = env.databaseUrl ? await benchDatabase(env.databaseUrl, 4) : { db: await openTestDb() };
  const deps: Deps = { config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
  try {
    const merchantId = await installShop(db.db, 'nightly-shop.myshopify.com');
    await db.rows(sql`update merchants set timezone = ${TZ} where id = ${merchantId}`);
    const tierIds = TIERS.map(() => newId('vipTier'));
    for (const [i, t] of TIERS.entries()) {
      await db.rows(sql`insert into vip_tiers (merchant_id, id, name, threshold_kind, threshold_value, qualification_window, earning_multiplier_bp, retention_days, position, entry_reward)
        values (${merchantId}, ${tierIds[i]}, ${t.name}, 'money_spent', ${t.threshold}, 'rolling_12_months', ${t.bp}, 30, ${i}, ${i === 2 ? sql`'{"points": 500}'::jsonb` : sql`null`})`);
    }

    const started = Date.now();
    env.log(`generating ${CUSTOMERS.toLocaleString('en')} customers and ${ORDERS.toLocaleString('en')} orders`);
    await db.rows(sql`
      insert into customers (merchant_id, id, shopify_customer_id, state)
      select ${merchantId}, 'cus_' || lpad(to_hex(g), 26, '0'), g::text, 'member' from generate_series(1, ${CUSTOMERS}::int) g`);
    const batch = 1_000_000;
    for (let from = 1; from <= ORDERS; from += batch) {
      const to = Math.min(ORDERS, from + batch - 1);
      await db.rows(sql`
        insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, refunded_minor, status, processed_at)
        select ${merchantId}, g::text, 'cus_' || lpad(to_hex(1 + floor(random() * ${CUSTOMERS}::int)::int), 26, '0'), 'USD', total, total,
          case when r < 0.05 then total / 2 else 0 end,
          case when r < 0.05 then 'partially_refunded' when r < 0.06 then 'cancelled' else 'paid' end,
          now() - random() * interval '730 days'
        from (select g, 1000 + floor(random() * 25000)::int as total, random() as r from generate_series(${from}::int, ${to}::int) g) s`);
      env.log(`  ${to.toLocaleString('en')} orders`);
    }
    await db.rows(sql`analyze customers`);
    await db.rows(sql`analyze orders`);

    // Last night's placement, as the recompute left it: everyone in the tier their spend in
    // yesterday's window reached; 1% of them held one tier higher on a retention that ends today.
    const now = new Date();
    const yesterday = qualificationWindow('rolling_12_months', new Date(now.getTime() - 86_400_000), TZ);
    const tierCase = sql.join([...TIERS.entries()].reverse().map(([i, t]) => sql`when x.val >= ${t.threshold} then ${tierIds[i]}`), sql` `);
    await db.rows(sql`
      insert into customer_tier_status (merchant_id, customer_id, tier_id, tier_since, qualified_tier_id, computed_at)
      select ${merchantId}, c.id, q, now() - interval '100 days', q, now() - interval '1 day'
      from (select c.id, (case ${tierCase} end)::text as q
            from customers c left join (
              select customer_id, sum(greatest(total_minor - refunded_minor, 0)) as v from orders
              where merchant_id = ${merchantId} and status <> 'cancelled' and processed_at >= ${yesterday.start!.toISOString()}::timestamptz
              group by customer_id) o on o.customer_id = c.id
            cross join lateral (select coalesce(o.v, 0) as val) x
            where c.merchant_id = ${merchantId}) c`);
    const up = sql.join(TIERS.slice(0, -1).map((_, i) => sql`when ${tierIds[i]} then ${tierIds[i + 1]}`), sql` `);
    await db.rows(sql`
      update customer_tier_status set tier_id = case tier_id ${up} end,
        below_since = now() - interval '31 days', retained_until = now() - interval '1 day'
      where merchant_id = ${merchantId} and tier_id <> ${tierIds[TIERS.length - 1]} and random() < 0.01`);
    await db.rows(sql`update customers c set vip_tier_id = s.tier_id from customer_tier_status s where s.merchant_id = c.merchant_id and s.customer_id = c.id and c.merchant_id = ${merchantId}`);
    await db.rows(sql`insert into gamification_jobs (merchant_id, kind, last_run_key) values (${merchantId}, 'tier_nightly', 'yesterday')`);
    await db.rows(sql`vacuum analyze customer_tier_status`);
    await db.rows(sql`vacuum analyze customers`);
    await db.rows(sql`vacuum analyze orders`);
    env.log(`data ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const t0 = performance.now();
    const result = await runNightlyTierRecompute(deps, now, { merchantIds: [merchantId] });
    const seconds = (performance.now() - t0) / 1000;
    env.log(`nightly recompute: ${result.candidates.toLocaleString('en')} customers looked at, ${result.moves.toLocaleString('en')} moved, in ${seconds.toFixed(2)} s`);

    const [check] = await db.rows<{ due: number; changes: number; notes: number }>(sql`select
      (select count(*) from customer_tier_status where merchant_id = ${merchantId} and retained_until <= now())::int as due,
      (select count(*) from tier_changes where merchant_id = ${merchantId})::int as changes,
      (select count(*) from notification_outbox where merchant_id = ${merchantId} and kind = 'tier_change')::int as notes`);
    if (result.merchants !== 1 || Number(check.due) !== 0 || Number(check.changes) !== result.moves || Number(check.notes) !== result.moves) {
      throw new Error(`recompute incomplete: ${JSON.stringify({ result, check })}`);
    }
    return [
      { metric: 'recompute_s', value: Number(seconds.toFixed(2)), unit: 's' },
      { metric: 'recompute_customers_examined', value: result.candidates, unit: 'customers' },
      { metric: 'recompute_tier_moves', value: result.moves, unit: 'customers' },
    ];
  } finally {
    await deps.pubsub.close();
    await db.close();
  }
};

