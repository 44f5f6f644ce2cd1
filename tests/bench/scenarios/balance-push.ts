import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { installShop } from '@herethere/gateway/seed';
import { testConfig } from '@herethere/runtime';
import type { DbHandle } from '@herethere/db';
import { percentile, type BenchEnv, type Scenario } from '../lib';
import { benchDatabase } from '../db';
import { startService } from '../services';
import { orderPayload } from '../../support/shopify';
import { startStack, webhookHeaders } from '../../support/stack';

/**
 * 1,000 shoppers with the widget open, each subscribed to their own balance over graphql-ws.
 * Orders arrive as webhooks; the metric is the time from the webhook's acknowledgement to the
 * shopper's subscriber receiving the new balance.
 */
const SUBSCRIBERS = 1000;
const ORDERS = Number(process.env.BENCH_ORDERS ?? 400);
const SENDERS = 10;
const WARMUP_ORDERS = 100;

interface Target {
  url: string;
  db: DbHandle;
  stop(): Promise<void>;
}

async function target(env: BenchEnv): Promise<Target> {
  if (!env.databaseUrl) {
    const stack = await startStack({ logLevel: 'error' });
    return { url: stack.url, db: stack.deps.db, stop: () => stack.stop() };
  }
  const { db, url } = await benchDatabase(env.databaseUrl);
  const common = { DATABASE_URL: url, REDIS_URL: env.redisUrl ?? 'redis://127.0.0.1:6379', INBOX_CONCURRENCY: '8' };
  const loyalty = await startService('loyalty', 4611, common);
  const gateway = await startService('gateway', 4610, { ...common, LOYALTY_URL: `${loyalty.url}/graphql` });
  return {
    url: gateway.url,
    db,
    async stop() {
      await gateway.stop();
      await loyalty.stop();
      await db.close();
    },
  };
}

export const run: Scenario = async (env) => {
  const config = testConfig();
  const t = await target(env);
  const clients: Client[] = [];
  try {
    const shop = 'push-shop.myshopify.com';
    const merchantId = await installShop(t.db.db, shop);
    await t.db.rows(sql`insert into customers (merchant_id, id, shopify_customer_id, state)
      select ${merchantId}, 'cus_push' || lpad(g::text, 6, '0'), (200000 + g)::text, 'member' from generate_series(1, ${SUBSCRIBERS}) g`);

    const received = new Map<string, number>();
    const receivedWall = new Map<string, number>();
    const ackedWall = new Map<string, number>();
    const waiting = new Map<string, () => void>();
    env.log(`opening ${SUBSCRIBERS} subscriptions`);
    const ready: Promise<void>[] = [];
    for (let i = 1; i <= SUBSCRIBERS; i++) {
      const customerId = `cus_push${String(i).padStart(6, '0')}`;
      const { token } = await signWidgetToken(config.widgetTokenSecret, { kind: 'customer', merchantId, shop, customerId, shopifyCustomerId: String(200000 + i) }, 3600);
      const client = createClient({ url: `${t.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 });
      clients.push(client);
      ready.push(new Promise<void>((resolve) => {
        const unsubscribe = client.on('connected', () => {
          unsubscribe();
          resolve();
        });
      }));
      client.subscribe({ query: 'subscription { pointsBalanceChanged { transactionId reason } }' }, {
        next: (msg) => {
          const reason = (msg.data as { pointsBalanceChanged: { reason: string } } | undefined)?.pointsBalanceChanged.reason ?? '';
          const orderId = /Order (\d+)/.exec(reason)?.[1];
          if (orderId && !received.has(orderId)) {
            received.set(orderId, performance.now());
            receivedWall.set(orderId, Date.now());
            waiting.get(orderId)?.();
          }
        },
        error: () => {},
        complete: () => {},
      });
    }
    await Promise.all(ready);
    await new Promise((r) => setTimeout(r, 1000)); // subscriptions registered on Redis

    const latencies: number[] = [];
    /** Sends `count` orders from `first` with 10 senders, each waiting for its push before the next order. */
    const sendOrders = async (first: number, count: number, measured: boolean) => {
      let next = 0;
      const sender = async () => {
        while (next < count) {
          const n = next++;
          const orderId = String(first + n);
          const payload = orderPayload({ id: Number(orderId), customerId: 200001 + (n % SUBSCRIBERS), lines: [{ price: '19.99' }, { price: '5.00', quantity: 2 }], shipping: '4.00', tax: '2.10' });
          const body = JSON.stringify(payload);
          const arrived = new Promise<void>((resolve) => waiting.set(orderId, resolve));
          const res = await fetch(`${t.url}/webhooks/shopify`, { method: 'POST', headers: webhookHeaders(config.shopify.apiSecret, shop, 'orders/paid', body, randomUUID()), body });
          await res.arrayBuffer();
          const ackedAt = performance.now();
          if (measured) ackedWall.set(orderId, Date.now());
          await Promise.race([arrived, new Promise((r) => setTimeout(r, 10_000))]);
          const at = received.get(orderId);
          if (measured && at !== undefined) latencies.push(Math.max(0, at - ackedAt));
        }
      };
      await Promise.all(Array.from({ length: SENDERS }, sender));
    };
    // Warm-up, not measured: freshly started processes compile their hot paths and prepare their
    // statements on the first orders (those took 60–110 ms), which a running service did long ago.
    await sendOrders(7_000_000, WARMUP_ORDERS, false);
    await sendOrders(8_000_000, ORDERS, true);
    env.log(`${latencies.length}/${ORDERS} pushes received`);
    // Where the time goes: acknowledgement to the ledger entry (inbox pickup and crediting), then
    // the entry to the subscriber (commit, pub/sub, gateway, WebSocket).
    const posted = await t.db.rows<{ order_id: string; at: Date | string }>(sql`
      select order_id, min(created_at) as at from points_transactions where merchant_id = ${merchantId} and type = 'purchase' group by order_id`);
    const toEntry: number[] = [];
    const toSubscriber: number[] = [];
    for (const p of posted) {
      const at = new Date(p.at).getTime();
      const acked = ackedWall.get(p.order_id);
      const got = receivedWall.get(p.order_id);
      if (acked !== undefined) toEntry.push(at - acked);
      if (got !== undefined) toSubscriber.push(got - at);
    }
    env.log(`ack → entry p50 ${percentile(toEntry, 50)} ms, p99 ${percentile(toEntry, 99)} ms; entry → subscriber p50 ${percentile(toSubscriber, 50)} ms, p99 ${percentile(toSubscriber, 99)} ms`);
    return [
      { metric: 'push_latency_p99', value: percentile(latencies, 99), unit: 'ms' },
      { metric: 'push_latency_p50', value: percentile(latencies, 50), unit: 'ms' },
      { metric: 'pushes_received', value: latencies.length, unit: 'count' },
      { metric: 'subscribers', value: SUBSCRIBERS, unit: 'count' },
    ];
  } finally {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  }
};
