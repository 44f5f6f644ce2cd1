import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { formatError, INTERNAL_HEADER, signInternalCredential, type Config, type Principal, type SubgraphName } from '@herethere/runtime';
import { depthLimit } from './depth-limit';

export interface GatewayContext {
  principal: Principal;
  requestId: string;
}

/**
 * Forwards each subgraph fetch with the internal credential: a short-lived JWT for that
 * subgraph carrying the principal the gateway authenticated.
 */
class SignedDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(private readonly subgraph: string, url: string, private readonly secret: string) {
    super({ url });
  }

  override async willSendRequest({ request, context }: Parameters<NonNullable<RemoteGraphQLDataSource<GatewayContext>['willSendRequest']>>[0]) {
    const principal: Principal = context.principal ?? { kind: 'anonymous' };
    request.http?.headers.set(INTERNAL_HEADER, await signInternalCredential(this.secret, this.subgraph, principal));
    if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
  }
}

export async function createGatewayServer(config: Config, supergraphSdl: string, urls: Record<SubgraphName, string>) {
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name, url }) => new SignedDataSource(name, urls[name as SubgraphName] ?? url!, config.internalSecret),
  });
  const production = config.nodeEnv === 'production';
  const server = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    validationRules: [depthLimit(12)],
    // The process owns SIGTERM: it drains HTTP first, then stops Apollo (see gateway/src/main.ts).
    stopOnTerminationSignals: false,
  });
  await server.start();
  return server;
}
