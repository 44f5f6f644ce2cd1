import { existsSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expressMiddleware } from '@as-integrations/express5';
import type { Shopify } from '@shopify/shopify-api';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { sql } from 'drizzle-orm';
import type { Deps, SubgraphName } from '@herethere/runtime';
import type { ApolloServer } from '@apollo/server';
import { AuthError, type Authenticator } from './auth/resolve';
import type { MerchantDirectory } from './auth/merchants';
import type { GatewayContext } from './graphql/gateway';
import { proxySessionHandler } from './proxy/session';
import { registerReferralRoutes } from './proxy/referral';
import { shopifyWebhookHandler } from './webhooks/shopify';
import { registerDemoRoutes } from './demo/index';

const CLIENTS_DIR = fileURLToPath(new URL('../../clients/', import.meta.url));

export interface GatewayAppOptions {
  deps: Deps;
  shopify: Shopify;
  auth: Authenticator;
  directory: MerchantDirectory;
  apollo: ApolloServer<GatewayContext>;
  subgraphUrls: Record<SubgraphName, string>;
}

/** Every HTTP route of the public gateway. */
export function createGatewayApp(o: GatewayAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, boolean> = {};
    checks.database = await o.deps.db.rows(sql`select 1 as ok`).then(() => true, () => false);
    checks.cache = await o.deps.cache.ping();
    for (const [name, url] of Object.entries(o.subgraphUrls)) {
      checks[name] = await fetch(url.replace(/\/graphql$/, '/health'), { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    }
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.post('/webhooks/shopify', express.raw({ type: () => true, limit: o.deps.config.maxBodyBytes }), shopifyWebhookHandler(o.deps, o.shopify, o.directory));
  const proxy = proxySessionHandler(o.deps, o.shopify, o.directory);
  app.get('/proxy/session', proxy);
  app.post('/proxy/session', proxy);
  registerReferralRoutes(app, o.deps, o.shopify, o.directory);

  // Authenticate before GraphQL runs: a bad credential is a 401, never a downgrade to anonymous.
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    try {
      res.locals.principal = await o.auth.resolve(req.header('authorization'));
      next();
    } catch (err) {
      if (!(err instanceof AuthError)) return next(err);
      res.status(401).json({ errors: [{ message: `Unauthenticated: ${err.message}`, extensions: { code: 'UNAUTHENTICATED' } }] });
    }
  };
  // The storefront widget calls /graphql from the shop's own domain (custom domains included), so
  // cross-origin calls are answered. Any origin is safe: the credential travels in the
  // Authorization header, which another site can neither read nor make a browser send, and no
  // cookie is ever honoured here. Before authentication, so a 401 is readable by the widget too.
  const cors = (req: Request, res: Response, next: NextFunction) => {
    res.set({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, x-request-id, apollo-require-preflight',
      'access-control-max-age': '86400',
    });
    if (req.method === 'OPTIONS') return void res.status(204).end();
    next();
  };
  app.options('/graphql', cors);
  app.post(
    '/graphql',
    cors,
    authenticate,
    express.json({ limit: o.deps.config.maxBodyBytes }),
    expressMiddleware(o.apollo, {
      context: async ({ req, res }) => ({ principal: res.locals.principal, requestId: req.header('x-request-id') ?? randomUUID() }),
    }),
  );

  registerDemoRoutes(app, o); // development-only demo storefront (refused when NODE_ENV=production)

  // Slots for the clients' static builds: clients/<name>/dist is served at /clients/<name>/.
  if (existsSync(CLIENTS_DIR)) {
    for (const name of readdirSync(CLIENTS_DIR)) {
      const dist = `${CLIENTS_DIR}${name}/dist`;
      if (existsSync(dist)) app.use(`/clients/${name}`, express.static(dist, { maxAge: '1h', fallthrough: true }));
    }
  }

  app.use((err: Error & { status?: number; type?: string }, _req: Request, res: Response, _next: NextFunction) => {
    void _next;
    if (err.type === 'entity.too.large') return res.status(413).json({ error: 'body_too_large', message: `Body exceeds ${o.deps.config.maxBodyBytes} bytes` });
    if (err.type === 'entity.parse.failed') return res.status(400).json({ error: 'malformed_json', message: 'Body is not valid JSON' });
    o.deps.log.error('unhandled request error', { error: err.message });
    return res.status(err.status ?? 500).json({ error: 'internal', message: 'Internal server error' });
  });
  return app;
}
