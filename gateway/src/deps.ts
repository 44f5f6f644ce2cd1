import { migrate, openDb } from '@herethere/db';
import { createLogger, createMemoryCache, createMemoryPubSub, createRedisCache, createRedisPubSub, type Config, type Deps } from '@herethere/runtime';

/**
 * Opens the process-wide dependencies for the configured mode. Embedded mode applies migrations
 * at start; production runs them explicitly with `pnpm db:migrate` before rolling out.
 */
export async function openDeps(config: Config, opts: { migrate?: boolean } = {}): Promise<Deps> {
  const log = createLogger(config.logLevel, { mode: config.mode });
  const db = await openDb(config.databaseUrl ? { url: config.databaseUrl } : { dataDir: config.dataDir });
  if (opts.migrate ?? config.mode === 'embedded') await migrate(db);
  const pubsub = config.redisUrl ? createRedisPubSub(config.redisUrl) : createMemoryPubSub();
  const cache = config.redisUrl ? createRedisCache(config.redisUrl) : createMemoryCache();
  return { config, db, pubsub, cache, log };
}

export async function closeDeps(deps: Deps): Promise<void> {
  await Promise.allSettled([deps.pubsub.close(), deps.cache.close()]);
  await deps.db.close();
}
