import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { formatError, INTERNAL_HEADER, signInternalCredential, type Config, type Principal, type SubgraphName } from '@herethere/runtime';
import { depthLimit } from './depth-limit';
import { createSubgraphFetcher } from './fetcher';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

/**
 * Forwards each subgraph fetch with the internal credential: a short-lived JWT for that
 * subgraph carrying the principal the gateway authenticated (signed once per principal and
 * reused for part of its lifetime, see signInternalCredential), over kept-alive connections.
 */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, url: string, private readonly secret: string, fetcher: RemoteGraphQLDataSource['fetcher']) {
    super({ url, fetcher });
  }

  override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    const principal: Principal = context.principal ?? { kind: 'anonymous' };
    request.http?.headers.set(INTERNAL_HEADER, await signInternalCredential(this.secret, this.subgraph, principal));
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}

export async function createGatewayServer(config: Config, supergraphSdl: string, urls: Record<SubgraphName, string>) {
  // One connection pool for every subgraph call this gateway makes.
  const fetcher = createSubgraphFetcher();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SignedDataSource(name, urls[name as SubgraphName] ?? url!, config.internalSecret, fetcher),
  });
  const production = config.nodeEnv === 'production';
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    validationRules: [depthLimit(12)],
    // Kept-alive subgraph connections close with the server.
    plugins: [{ serverWillStart: async () => ({ serverWillStop: async () => fetcher.destroy() }) }],
    // The process owns SIGTERM: it drains HTTP first, then stops Apollo (see gateway/src/main.ts).
    stopOnTerminationSignals: false,
  });
  await server.start();
  return server;
}
