import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { createContext, type Deps, type Principal } from '@herethere/runtime';
import type { Authenticator } from '../auth/resolve';

/**
 * graphql-ws on the gateway's /graphql path. The token is checked at connection_init; a missing
 * or bad one closes the socket (4403) before any subscription can start.
 */
export function attachSubscriptions(server: Server, schema: GraphQLSchema, deps: Deps, auth: Authenticator) {
  const wss = new WebSocketServer({ server, path: '/graphql' });
  const principals = new WeakMap<object, Principal>();
  const disposable = useServer<Record<string, unknown> | undefined, { principal?: Principal }>(
    {
      schema,
      onConnect: async (ctx) => {
        const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        if (typeof raw !== 'string' || !raw) return false;
        try {
          const principal = await auth.resolve(raw);
          if (principal.kind === 'anonymous') return false;
          principals.set(ctx.extra, principal);
          return true;
        } catch {
          return false;
        }
      },
      context: (ctx) => createContext(deps, principals.get(ctx.extra) ?? { kind: 'anonymous' }, randomUUID()),
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
