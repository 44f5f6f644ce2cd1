import '@shopify/shopify-api/adapters/node';
import {
  ApiVersion,
  GraphqlQueryError,
  HttpRequestError,
  HttpResponseError,
  LogSeverity,
  Session,
  shopifyApi,
  type Shopify,
} from '@shopify/shopify-api';
import { setAbstractFetchFunc } from '@shopify/shopify-api/runtime';
import type { Config } from '../config';

/**
 * The Admin GraphQL API through @shopify/shopify-api's `clients.Graphql`. The library's own
 * retries are off: this wrapper retries itself so it can honour Shopify's cost-based throttle
 * (a THROTTLED error carries the bucket state in `extensions.cost`), back off on 429/5xx and
 * network failures, and bound each attempt with a timeout.
 */

export type AdminFailure = 'throttled' | 'server_error' | 'timeout' | 'network' | 'unauthorized' | 'rejected';

/** Shopify could not be reached or would not answer in time: nothing is known to have happened. */
export class AdminApiUnavailable extends Error {
  constructor(message: string, readonly reason: AdminFailure, readonly attempts: number) {
    super(message);
  }
}

export interface CostExtension {
  requestedQueryCost?: number;
  actualQueryCost?: number | null;
  throttleStatus?: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
}

export interface AdminSession {
  shop: string;
  accessToken: string;
}

export interface AdminCallOptions {
  /** Called before each wait, for logs and tests. */
  onRetry?: (info: { attempt: number; reason: AdminFailure; waitMs: number }) => void;
  sleep?: (ms: number) => Promise<void>;
}

// When config.shopify.adminApiUrl is set (a local Admin API, e.g. a test double), requests for
// the registered shops go there instead of https://<shop>/admin/api/…; everything else is untouched.
const routes = new Map<string, string>();
let routingInstalled = false;

function installRoutingFetch(): void {
  if (routingInstalled) return;
  routingInstalled = true;
  const base = globalThis.fetch;
  setAbstractFetchFunc(async (input: RequestInfo | URL, init?: RequestInit) => {
    const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const url = new URL(raw);
    const target = routes.get(url.host);
    if (!target) return base(input, init);
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-host', url.host);
    return base(`${target}${url.pathname}${url.search}`, { ...init, headers });
  });
}

const instances = new WeakMap<Config, Shopify>();

/** One library instance per configuration (the app's key, secret and API version). */
export function shopifyFor(config: Config): Shopify {
  let s = instances.get(config);
  if (!s) {
    const url = new URL(config.shopify.appUrl);
    s = shopifyApi({
      apiKey: config.shopify.apiKey,
      apiSecretKey: config.shopify.apiSecret,
      scopes: ['read_customers', 'write_discounts', 'read_orders'],
      hostName: url.host,
      hostScheme: url.protocol === 'http:' ? 'http' : 'https',
      apiVersion: config.shopify.apiVersion as ApiVersion,
      isEmbeddedApp: true,
      logger: { level: LogSeverity.Error, log: async () => {} },
    });
    instances.set(config, s);
  }
  return s;
}

const MAX_THROTTLE_RETRIES = 20;
const MAX_THROTTLE_WAIT_MS = 15_000;

const clients = new WeakMap<Config, Map<string, InstanceType<Shopify['clients']['Graphql']>>>();

/** Admin clients are reused per shop and token (building one per call is measurable under load). */
function clientFor(config: Config, shopify: Shopify, session: AdminSession) {
  let byShop = clients.get(config);
  if (!byShop) clients.set(config, (byShop = new Map()));
  const key = `${session.shop}\u0000${session.accessToken}`;
  let client = byShop.get(key);
  if (!client) {
    if (byShop.size >= 1000) byShop.delete(byShop.keys().next().value as string);
    client = new shopify.clients.Graphql({
      session: new Session({ id: `offline_${session.shop}`, shop: session.shop, state: '', isOnline: false, accessToken: session.accessToken }),
    });
    byShop.set(key, client);
  }
  return client;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long the leaky bucket needs to refill enough for the query, from the cost extension. */
export function throttleWaitMs(cost: CostExtension | undefined, fallbackMs: number): number {
  const status = cost?.throttleStatus;
  const requested = cost?.requestedQueryCost;
  if (!status || !requested || !(status.restoreRate > 0)) return fallbackMs;
  const missing = Math.max(0, requested - status.currentlyAvailable);
  return Math.min(10_000, Math.max(50, Math.ceil((missing / status.restoreRate) * 1000)));
}

const backoffMs = (attempt: number) => Math.min(4_000, 100 * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);

function classify(err: unknown, timeoutMs: number): { reason: AdminFailure; waitMs: number; message: string } {
  if (err instanceof GraphqlQueryError) {
    const body = err.body as { errors?: { graphQLErrors?: { message?: string; extensions?: { code?: string } }[] }; extensions?: { cost?: CostExtension } } | undefined;
    const graphQLErrors = body?.errors?.graphQLErrors ?? [];
    if (graphQLErrors.some((e) => e.extensions?.code === 'THROTTLED')) {
      return { reason: 'throttled', waitMs: throttleWaitMs(body?.extensions?.cost, 1000), message: 'Shopify throttled the request (query cost exceeds the available bucket)' };
    }
    if (graphQLErrors.some((e) => e.extensions?.code === 'ACCESS_DENIED')) {
      return { reason: 'unauthorized', waitMs: 0, message: `Shopify denied access: ${graphQLErrors[0]?.message ?? ''}` };
    }
    return { reason: 'rejected', waitMs: 0, message: `Shopify rejected the request: ${graphQLErrors.map((e) => e.message).join('; ') || err.message}` };
  }
  if (err instanceof HttpResponseError) {
    const code = err.response.code;
    if (code === 429) {
      const retryAfter = Number((err as HttpResponseError & { response: { retryAfter?: number } }).response.retryAfter ?? NaN);
      return { reason: 'throttled', waitMs: Number.isFinite(retryAfter) ? Math.min(10_000, retryAfter * 1000) : 1000, message: 'Shopify answered 429 Too Many Requests' };
    }
    if (code >= 500) return { reason: 'server_error', waitMs: -1, message: `Shopify answered ${code} ${err.response.statusText}` };
    if (code === 401 || code === 403) return { reason: 'unauthorized', waitMs: 0, message: `Shopify refused the access token (${code})` };
    return { reason: 'rejected', waitMs: 0, message: `Shopify answered ${code} ${err.response.statusText}` };
  }
  const message = (err as Error)?.message ?? String(err);
  if (err instanceof HttpRequestError || err instanceof TypeError || (err as Error)?.name === 'AbortError' || (err as Error)?.name === 'TimeoutError') {
    if (/abort|timeout|timed out/i.test(message)) return { reason: 'timeout', waitMs: -1, message: `Shopify did not answer within ${timeoutMs} ms` };
    return { reason: 'network', waitMs: -1, message: `Shopify could not be reached: ${message.split('\n')[0]}` };
  }
  throw err;
}

/**
 * Runs one Admin GraphQL operation, retrying what is worth retrying within
 * config.shopifyAdmin.maxAttempts. Returns `data`; throws AdminApiUnavailable otherwise.
 */
export async function adminGraphql<T>(config: Config, session: AdminSession, query: string, variables: Record<string, unknown>, opts: AdminCallOptions = {}): Promise<{ data: T; cost?: CostExtension }> {
  const shopify = shopifyFor(config);
  if (config.shopify.adminApiUrl) {
    installRoutingFetch();
    routes.set(session.shop, config.shopify.adminApiUrl.replace(/\/+$/, ''));
  }
  const client = clientFor(config, shopify, session);
  const { timeoutMs, maxAttempts } = config.shopifyAdmin;
  const sleep = opts.sleep ?? defaultSleep;
  let last: { reason: AdminFailure; message: string } = { reason: 'network', message: 'not attempted' };
  // Throttling is Shopify asking us to wait, not a failure: it has its own, larger budget.
  let failures = 0;
  let throttles = 0;
  let throttledMs = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await client.request<T>(query, { variables, retries: 0, signal: AbortSignal.timeout(timeoutMs) });
      return { data: res.data as T, cost: (res.extensions as { cost?: CostExtension } | undefined)?.cost };
    } catch (err) {
      const c = classify(err, timeoutMs);
      last = c;
      if (c.waitMs === 0) throw new AdminApiUnavailable(c.message, c.reason, attempt);
      let waitMs: number;
      if (c.reason === 'throttled') {
        throttles += 1;
        waitMs = Math.round(c.waitMs * (1 + Math.random() * 0.5));
        throttledMs += waitMs;
        if (throttles > MAX_THROTTLE_RETRIES || throttledMs > MAX_THROTTLE_WAIT_MS) break;
      } else {
        failures += 1;
        if (failures >= maxAttempts) break;
        waitMs = backoffMs(failures);
      }
      opts.onRetry?.({ attempt, reason: c.reason, waitMs });
      await sleep(waitMs);
    }
  }
  throw new AdminApiUnavailable(`${last.message} (gave up after ${failures + throttles} attempts)`, last.reason, failures + throttles);
}
