import type { Server } from 'node:http';
import { buildLoyaltySubscriptionSchema } from '@herethere/loyalty';
import { createSubgraphApp, drain, inboxProcessor, listen, portOf, type Deps, type InboxOptions, type SubgraphName, type WebhookHandler } from '@herethere/runtime';
import { createGatewayApp } from './app';
import { createMerchantDirectory } from './auth/merchants';
import { createAuthenticator } from './auth/resolve';
import { loadSupergraph } from './compose/compose';
import { createGatewayServer } from './graphql/gateway';
import { attachSubscriptions } from './graphql/subscriptions';
import { createShopify } from './shopify';
import { SUBGRAPHS } from './subgraphs';

export type ServiceName = 'gateway' | SubgraphName;

export interface Running {
  /** Base URL of the gateway when it runs in this process. */
  gatewayUrl?: string;
  subgraphUrls: Partial<Record<SubgraphName, string>>;
  stop(): Promise<void>;
}

/**
 * Starts the given services in this process. Subgraphs listen on 127.0.0.1 (port 0 = any free
 * port when they share the process with the gateway); the gateway is told their addresses.
 */
export async function startServices(deps: Deps, services: ServiceName[], opts: { gatewayPort?: number; subgraphPort?: number; workers?: boolean; inbox?: InboxOptions } = {}): Promise<Running> {
  const stops: (() => Promise<void>)[] = [];
  const subgraphUrls: Partial<Record<SubgraphName, string>> = {};
  const servers: Server[] = [];
  for (const name of services) {
    if (name === 'gateway') continue;
    const sub = await createSubgraphApp(SUBGRAPHS[name], deps);
    const server = await listen(sub.app, opts.subgraphPort ?? 0, deps.config.host);
    servers.push(server);
    subgraphUrls[name] = `http://127.0.0.1:${portOf(server)}/graphql`;
    const workers = opts.workers === false ? [] : (SUBGRAPHS[name].workers ?? []).map((start) => start(deps));
    stops.push(async () => {
      await Promise.all(workers.map((w) => w.stop()));
      await drain(server);
      await sub.stop();
    });
  }

  // The webhook inbox is processed wherever loyalty runs, with every domain's topic handlers.
  if (services.includes('loyalty') && opts.workers !== false) {
    const handlers: Record<string, WebhookHandler> = Object.assign({}, ...Object.values(SUBGRAPHS).map((s) => s.webhookHandlers ?? {}));
    const processor = inboxProcessor(deps, handlers, { concurrency: deps.config.inboxConcurrency, ...opts.inbox });
    stops.push(() => processor.stop());
  }

  let gatewayUrl: string | undefined;
  if (services.includes('gateway')) {
    const urls = { ...deps.config.subgraphUrls, ...subgraphUrls };
    const shopify = createShopify(deps.config);
    const directory = createMerchantDirectory(deps);
    const auth = createAuthenticator(deps, shopify, directory);
    const apollo = await createGatewayServer(deps.config, await loadSupergraph(), urls);
    const app = createGatewayApp({ deps, shopify, auth, directory, apollo, subgraphUrls: urls });
    const server = await listen(app, opts.gatewayPort ?? deps.config.port, deps.config.host);
    const ws = attachSubscriptions(server, await buildLoyaltySubscriptionSchema(deps.pubsub), deps, auth);
    gatewayUrl = `http://127.0.0.1:${portOf(server)}`;
    // The gateway stops first so no new work reaches the subgraphs while they drain.
    stops.unshift(async () => {
      await directory.close();
      await ws.close();
      await drain(server);
      await apollo.stop();
    });
  }

  return {
    gatewayUrl,
    subgraphUrls,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
