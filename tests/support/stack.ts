import { createHmac, randomUUID } from 'node:crypto';
import { openTestDb } from '@herethere/db/testing';
import { createLogger, createMemoryCache, createMemoryPubSub, createRedisCache, createRedisPubSub, testConfig, type Config, type Deps } from '@herethere/runtime';
import { startServices, type Running } from '@herethere/gateway/start';
import { installShop } from '@herethere/gateway/seed';
import { mintMerchantSessionToken } from '@herethere/gateway/auth/dev-tokens';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { ensureCustomer } from '@herethere/loyalty';

export interface Stack {
  deps: Deps;
  running: Running;
  url: string;
  config: Config;
  stop(): Promise<void>;
}

/**
 * The whole product in this process: every subgraph and the gateway on free 127.0.0.1 ports, on
 * an in-memory PGlite, or on a fresh PostgreSQL database and Redis when TEST_DATABASE_URL /
 * TEST_REDIS_URL are set. Exactly the code path `pnpm start` runs.
 */
export interface StackOptions {
  /** A PostgreSQL server URL (a fresh database is created on it); defaults to TEST_DATABASE_URL. */
  databaseUrl?: string;
  /** Defaults to TEST_REDIS_URL. */
  redisUrl?: string;
  poolMax?: number;
}

export async function startStack(overrides: Partial<Config> = {}, opts: StackOptions = {}): Promise<Stack> {
  const config = testConfig(overrides);
  const db = await openTestDb({ serverUrl: opts.databaseUrl, max: opts.poolMax });
  const redisUrl = opts.redisUrl ?? process.env.TEST_REDIS_URL;
  const deps: Deps = {
    config,
    db,
    pubsub: redisUrl ? createRedisPubSub(redisUrl) : createMemoryPubSub(),
    cache: redisUrl ? createRedisCache(redisUrl, `test:${randomUUID()}:`) : createMemoryCache(),
    log: createLogger('error'),
  };
  const running = await startServices(deps, ['loyalty', 'merchant-config', 'analytics', 'admin', 'gateway'], { gatewayPort: 0 });
  return {
    deps,
    running,
    config,
    url: running.gatewayUrl!,
    async stop() {
      await running.stop();
      await Promise.allSettled([deps.pubsub.close(), deps.cache.close()]);
      await db.close();
    },
  };
}

export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function gql<T = Record<string, unknown>>(url: string, token: string | undefined, query: string, variables?: Record<string, unknown>): Promise<GqlResult<T>> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: res.status, body: (await res.json()) as GqlResult<T>['body'] };
}

export const merchantToken = (config: Config, shop: string) => mintMerchantSessionToken(config, shop);

export async function customerToken(stack: Stack, shop: string, merchantId: string, shopifyCustomerId: string) {
  const customer = await ensureCustomer(stack.deps.db.db, merchantId, shopifyCustomerId);
  const { token } = await signWidgetToken(stack.config.widgetTokenSecret, { kind: 'customer', merchantId, shop, customerId: customer.id, shopifyCustomerId }, 300);
  return { token, customerId: customer.id };
}

export const install = (stack: Stack, shop: string) => installShop(stack.deps.db.db, shop);

/** Signs a query string the way Shopify's app proxy does (sorted key=value, no separators, hex). */
export function signAppProxyQuery(secret: string, params: Record<string, string>): URLSearchParams {
  const message = Object.keys(params).sort().map((k) => `${k}=${params[k]}`).join('');
  const signature = createHmac('sha256', secret).update(message).digest('hex');
  return new URLSearchParams({ ...params, signature });
}

/** Headers of a Shopify webhook delivery, HMAC-SHA256 over the raw body, base64. */
export function webhookHeaders(secret: string, shop: string, topic: string, body: string, webhookId: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-shopify-topic': topic,
    'x-shopify-shop-domain': shop,
    'x-shopify-api-version': '2025-07',
    'x-shopify-webhook-id': webhookId,
    'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'),
  };
}

export async function count(stack: Stack, table: string): Promise<number> {
  const { sql } = await import('drizzle-orm');
  const [row] = await stack.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`);
  return Number(row.n);
}
