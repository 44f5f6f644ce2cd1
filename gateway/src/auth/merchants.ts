import { eq } from 'drizzle-orm';
import { merchants } from '@herethere/db';
import type { Deps } from '@herethere/runtime';

export interface MerchantRef {
  id: string;
  shopDomain: string;
  status: string;
}

const TTL_MS = 30_000;

/**
 * Shop domain → merchant, cached briefly in process: every authenticated request needs it, and a
 * shop's id never changes. An uninstall takes effect within the TTL.
 */
export function createMerchantDirectory(deps: Pick<Deps, 'db'>) {
  const cache = new Map<string, { value: MerchantRef | null; at: number }>();
  return {
    async byDomain(shopDomain: string): Promise<MerchantRef | null> {
      const hit = cache.get(shopDomain);
      if (hit && Date.now() - hit.at < TTL_MS) return hit.value;
      const [row] = await deps.db.db
        .select({ id: merchants.id, shopDomain: merchants.shopDomain, status: merchants.status })
        .from(merchants)
        .where(eq(merchants.shopDomain, shopDomain));
      const value = row ?? null;
      cache.set(shopDomain, { value, at: Date.now() });
      return value;
    },
    forget(shopDomain: string) {
      cache.delete(shopDomain);
    },
  };
}

export type MerchantDirectory = ReturnType<typeof createMerchantDirectory>;

export const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;
