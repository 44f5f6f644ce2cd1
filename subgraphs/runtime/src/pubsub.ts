import { PubSub as MemoryPubSub } from 'graphql-subscriptions';
import { RedisPubSub } from 'graphql-redis-subscriptions';
import { Redis } from 'ioredis';

/**
 * Live UI pushes. At-most-once by nature (Redis pub/sub): anything that must arrive goes through
 * the database; this only tells open widgets and dashboards that something changed.
 */
export interface LivePubSub {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe<T = unknown>(topic: string): AsyncIterableIterator<T>;
  close(): Promise<void>;
}

/** Channels are per merchant and per customer, so a subscriber can only ever hear its own. */
export const topics = {
  customerBalance: (merchantId: string, customerId: string) => `balance.${merchantId}.${customerId}`,
  customerTier: (merchantId: string, customerId: string) => `tier.${merchantId}.${customerId}`,
  merchantActivity: (merchantId: string) => `activity.${merchantId}`,
  /** A shop was uninstalled, redacted or changed: caches of merchant lookups drop it. */
  merchantChanged: 'merchant.changed',
};

export function createMemoryPubSub(): LivePubSub {
  const ps = new MemoryPubSub();
  return {
    publish: (topic, payload) => ps.publish(topic, payload),
    subscribe: <T>(topic: string) => ps.asyncIterableIterator<T>(topic),
    close: async () => {},
  };
}

export function createRedisPubSub(url: string): LivePubSub {
  const publisher = new Redis(url, { maxRetriesPerRequest: 2, lazyConnect: false, enableAutoPipelining: true });
  // No ready check: on a reconnect it would send INFO on a connection already in subscriber mode.
  const subscriber = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false, enableReadyCheck: false });
  const ps = new RedisPubSub({ publisher, subscriber });
  return {
    publish: (topic, payload) => ps.publish(topic, payload),
    subscribe: <T>(topic: string) => ps.asyncIterableIterator(topic) as AsyncIterableIterator<T>,
    close: async () => {
      await ps.close();
    },
  };
}
