import { eq } from 'drizzle-orm';
import { merchants } from '@herethere/db';
import { topics, type Deps } from '@herethere/runtime';

export interface MerchantRef {
  id: string;
  shopDomain: string;
  status: string;
  currency: string;
}

const TTL_MS = 30_000;

/**
 * Shop domain → merchant, cached briefly in process: every authenticated request needs it, and a
 * shop's id never changes. An uninstall takes effect within the TTL.
 */
export function createMerchantDirectory(deps: Pick<Deps, 'db' | 'pubsub'>) {
  const cache = new Map<string, { value: MerchantRef | null; at: number }>();
  // Uninstalls and redactions announce themselves so tokens stop working at once, not after the TTL.
  const changes = deps.pubsub.subscribe<{ shop: string }>(topics.merchantChanged);
  void (async () => {
    for await (const change of changes) cache.delete(change.shop);
  })().catch(() => {});
  return {
    async byDomain(shopDomain: string): Promise<MerchantRef | null> {
      const hit = cache.get(shopDomain);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
      const [row] = await deps.db.db
        .select({ id: merchants.id, shopDomain: merchants.shopDomain, status: merchants.status, currency: merchants.currency })
        .from(merchants)
        .where(eq(merchants.shopDomain, shopDomain));
      const value = row ?? null;
      cache.set(shopDomain, { value, at: Date.now() });
      return value;
    },
    forget(shopDomain: string) {
      cache.delete(shopDomain);
    },
    async close() {
      await changes.return?.();
    },
  };
}

export type MerchantDirectory = ReturnType<typeof createMerchantDirectory>;

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
