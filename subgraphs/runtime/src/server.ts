import { randomUUID } from 'node:crypto';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import { createContext, type Context, type Deps } from './context';
import { buildFederatedSchema, type SubgraphDefinition } from './federation';
import { INTERNAL_HEADER, verifyInternalCredential } from './internal-credential';

/** Strips internals from errors leaving production: no stack traces, no SQL. */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = formatted.extensions?.code;
    if (production && (code === 'INTERNAL_SERVER_ERROR' || !code)) {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' }, path: formatted.path };
    }
    void error;
    if (production) return { ...formatted, extensions: { code } };
    return formatted;
  };
}

export interface SubgraphApp {
  app: Express;
  apollo: ApolloServer<Context>;
  stop(): Promise<void>;
}

/**
 * A private subgraph: POST /graphql behind the gateway's internal credential, GET /health open.
 * Without a valid credential the request is refused with 401 before any resolver runs.
 */
export async function createSubgraphApp(def: SubgraphDefinition, deps: Deps): Promise<SubgraphApp> {
  const schema = await buildFederatedSchema(def);
  const production = deps.config.nodeEnv === 'production';
  const apollo = new ApolloServer<Context>({
    schema,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    formatError: formatError(production),
    // Traces are only useful with Apollo's hosted studio, which this platform does not use.
    plugins: [ApolloServerPluginInlineTraceDisabled()],
    // The process owns SIGTERM: it drains HTTP first, then stops Apollo (see gateway/src/main.ts).
    stopOnTerminationSignals: false,
  });
  await apollo.start();

  const app = express();
  app.disable('x-powered-by');
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', subgraph: def.name });
  });
  app.use(
    '/graphql',
    async (req, res, next) => {
      const token = req.header(INTERNAL_HEADER);
      if (!token) {
        res.status(401).json({ errors: [{ message: 'Missing internal credential: subgraphs only answer the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
        return;
      }
      try {
        res.locals.principal = await verifyInternalCredential(deps.config.internalSecret, def.name, token);
        next();
      } catch {
        res.status(401).json({ errors: [{ message: 'Invalid internal credential', extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    },
    express.json({ limit: deps.config.maxBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => createContext(deps, res.locals.principal, req.header('x-request-id') ?? randomUUID()),
    }),
  );
  return {
    app,
    apollo,
    stop: () => apollo.stop(),
  };
}
