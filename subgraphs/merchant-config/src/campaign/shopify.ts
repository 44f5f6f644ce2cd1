import { eq } from 'drizzle-orm';
import { merchants } from '@herethere/db';
import { AdminApiUnavailable, adminGraphql, unseal, type AdminSession, type Deps } from '@herethere/runtime';

export type ResourceCheck =
  | { status: 'verified'; missing: string[] }
  | { status: 'format_only' }
  | { status: 'unavailable'; message: string };

const NODES = `query CampaignTargets($ids: [ID!]!) {
  nodes(ids: $ids) { __typename id }
}`;

/** The shop's Admin API session, or null when it has not granted an offline token (embedded mode, or before install completes). */
export async function adminSessionOf(deps: Pick<Deps, 'config' | 'db'>, merchantId: string): Promise<AdminSession | null> {
  const [m] = await deps.db.db.select({ shop: merchants.shopDomain, sealed: merchants.accessTokenSealed }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.sealed ? { shop: m.shop, accessToken: unseal(deps.config.encryptionKey, m.sealed) } : null;
}

/**
 * Checks product and collection ids against the shop's catalogue through the Admin API (`nodes`,
 * which answers null for an id that does not exist) when the shop has granted an offline token;
 * without one only the id format can be checked (embedded mode, or before install completes).
 */
export async function verifyCatalogIds(deps: Pick<Deps, 'config' | 'db'>, merchantId: string, productIds: readonly string[], collectionIds: readonly string[]): Promise<ResourceCheck> {
  const ids = [...productIds, ...collectionIds];
  if (!ids.length) return { status: 'verified', missing: [] };
  const session = await adminSessionOf(deps, merchantId);
  if (!session) return { status: 'format_only' };
  try {
    const { data } = await adminGraphql<{ nodes: ({ __typename: string; id: string } | null)[] }>(deps.config, session, NODES, { ids });
    const expected = (id: string) => (productIds.includes(id) ? 'Product' : 'Collection');
    const missing = ids.filter((id, i) => {
      const node = data.nodes?.[i];
      return !node || node.id !== id || node.__typename !== expected(id);
    });
    return { status: 'verified', missing };
  } catch (err) {
    if (err instanceof AdminApiUnavailable) return { status: 'unavailable', message: err.message };
    throw err;
  }
}
