import { Redis } from 'ioredis';

/** A small string cache: Redis in production, a bounded in-process map in embedded mode. */
export interface Cache {
  get(key: string): Promise<string | null>;
  mget(keys: string[]): Promise<(string | null)[]>;
  /**
   * Versioned write: stores `version|value` unless the key already holds a newer version (or the
   * same version with a real value). An empty value is a tombstone: "read the database, it has
   * at least this version", which a reader holding an older copy can never overwrite.
   */
  setIfNewer(key: string, version: number, value: string, ttlSeconds: number): Promise<boolean>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(...keys: string[]): Promise<void>;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export function createMemoryCache(maxEntries = 50_000): Cache {
  const entries = new Map<string, { value: string; expires: number }>();
  const read = (key: string): string | null => {
    const e = entries.get(key);
    if (!e) return null;
    if (e.expires < Date.now()) {
      entries.delete(key);
      return null;
    }
    return e.value;
  };
  return {
    get: async (key) => read(key),
    mget: async (keys) => keys.map(read),
    async setIfNewer(key, version, value, ttlSeconds) {
      const current = read(key);
      if (current !== null) {
        const sep = current.indexOf('|');
        const v = Number(current.slice(0, sep));
        const tombstone = sep === current.length - 1;
        if (version < v || (version === v && !tombstone)) return false;
      }
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value: `${version}|${value}`, expires: Date.now() + ttlSeconds * 1000 });
      return true;
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

const SET_IF_NEWER = `
local cur = redis.call('GET', KEYS[1])
if cur then
  local sep = string.find(cur, '|', 1, true)
  local v = tonumber(string.sub(cur, 1, sep - 1))
  local tomb = (sep == string.len(cur))
  local nv = tonumber(ARGV[1])
  if nv < v or (nv == v and not tomb) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'EX', tonumber(ARGV[3]))
return 1`;

export function createRedisCache(url: string, prefix = 'hth:'): Cache {
  // Auto-pipelining sends the commands issued in one turn of the event loop in one write.
  const redis = new Redis(url, { maxRetriesPerRequest: 2, keyPrefix: prefix, enableAutoPipelining: true });
  redis.defineCommand('setIfNewer', { numberOfKeys: 1, lua: SET_IF_NEWER });
  const setIfNewer = (redis as unknown as { setIfNewer(k: string, v: number, val: string, ttl: number): Promise<number> }).setIfNewer.bind(redis);
  return {
    get: (key) => redis.get(key),
    mget: (keys) => (keys.length ? redis.mget(...keys) : Promise.resolve([])),
    setIfNewer: async (key, version, value, ttl) => (await setIfNewer(key, version, value, ttl)) === 1,
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
