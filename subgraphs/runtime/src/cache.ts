import { Redis } from 'ioredis';

/** A small string cache: Redis in production, a bounded in-process map in embedded mode. */
export interface Cache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createMemoryCache(maxEntries = 50_000): Cache {
  const entries = new Map<string, { value: string; expires: number }>();
  return {
    async get(key) {
      const e = entries.get(key);
      if (!e) return null;
      if (e.expires < Date.now()) {
        entries.delete(key);
        return null;
      }
      return e.value;
    },
    async set(key, value, ttlSeconds) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expires: Date.now() + ttlSeconds * 1000 });
    },
    async del(...keys) {
      for (const k of keys) entries.delete(k);
    },
    ping: async () => true,
    close: async () => entries.clear(),
  };
}

export function createRedisCache(url: string, prefix = 'hth:'): Cache {
  const redis = new Redis(url, { maxRetriesPerRequest: 2, keyPrefix: prefix });
  return {
    get: (key) => redis.get(key),
    async set(key, value, ttlSeconds) {
      await redis.set(key, value, 'EX', ttlSeconds);
    },
    async del(...keys) {
      if (keys.length) await redis.del(...keys);
    },
    async ping() {
      try {
        return (await redis.ping()) === 'PONG';
      } catch {
        return false;
      }
    },
    async close() {
      await redis.quit();
    },
  };
}
