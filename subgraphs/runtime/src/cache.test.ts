import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryCache, createRedisCache, type Cache } from './cache';

const caches: [string, Cache][] = [['in-process', createMemoryCache()]];
if (process.env.TEST_REDIS_URL) caches.push(['redis', createRedisCache(process.env.TEST_REDIS_URL, `test:${randomUUID()}:`)]);
afterAll(async () => {
  for (const [, c] of caches) await c.close();
});

describe.each(caches)('%s cache setIfNewer', (_name, cache) => {
  it('keeps the newest version and lets a tombstone block older readers', async () => {
    const key = `k:${randomUUID()}`;
    expect(await cache.setIfNewer(key, 5, 'five', 60)).toBe(true);
    expect(await cache.setIfNewer(key, 4, 'four', 60)).toBe(false);
    expect(await cache.setIfNewer(key, 5, 'five again', 60)).toBe(false);
    expect(await cache.get(key)).toBe('5|five');
    // A writer at version 6 leaves a tombstone; a reader still holding version 5 cannot come back.
    expect(await cache.setIfNewer(key, 6, '', 60)).toBe(true);
    expect(await cache.setIfNewer(key, 5, 'stale', 60)).toBe(false);
    expect(await cache.get(key)).toBe('6|');
    // The first reader of version 6 replaces the tombstone; later ones keep it.
    expect(await cache.setIfNewer(key, 6, 'six', 60)).toBe(true);
    expect(await cache.setIfNewer(key, 6, '', 60)).toBe(false);
    expect(await cache.mget([key, `missing:${randomUUID()}`])).toEqual(['6|six', null]);
  });
});
