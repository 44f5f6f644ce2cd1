import { and, eq, sql } from 'drizzle-orm';
import { collectionProducts, collectionSyncs, type Tx } from '@herethere/db';
import { AdminApiUnavailable, adminGraphql, pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { adminSessionOf } from './shopify';

/** Shopify's largest page of a connection. */
const PAGE = 250;
/** How old a collection's product list may grow before the refresh reads it again. */
export const COLLECTION_REFRESH_MS = 24 * 3_600_000;

const COLLECTION_PRODUCTS = `query CollectionProducts($id: ID!, $first: Int!, $after: String) {
  collection(id: $id) { products(first: $first, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }
}`;

interface ProductConnection {
  nodes: { id: string }[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
}
interface ProductsPage {
  collection: { products: ProductConnection } | null;
}

export type CollectionRead =
  | { status: 'read'; products: Map<string, string[]> }
  | { status: 'no_token' }
  | { status: 'unavailable'; message: string };

/**
 * Reads each collection's products from the Admin API, page by page. Orders name products, not
 * collections, so this is what lets a collection bonus match an order. A collection Shopify no
 * longer has reads as empty.
 */
export async function readCollections(deps: Pick<Deps, 'config' | 'db'>, merchantId: string, collectionIds: readonly string[]): Promise<CollectionRead> {
  const session = await adminSessionOf(deps, merchantId);
  if (!session) return { status: 'no_token' };
  const products = new Map<string, string[]>();
  try {
    for (const id of collectionIds) {
      const ids: string[] = [];
      let after: string | null = null;
      do {
        const res: { data: ProductsPage } = await adminGraphql<ProductsPage>(deps.config, session, COLLECTION_PRODUCTS, { id, first: PAGE, after });
        const page: ProductConnection | undefined = res.data.collection?.products;
        ids.push(...(page?.nodes ?? []).map((n) => n.id));
        after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      } while (after);
      products.set(id, ids);
    }
  } catch (err) {
    if (err instanceof AdminApiUnavailable) return { status: 'unavailable', message: err.message };
    throw err;
  }
  return { status: 'read', products };
}

/** Replaces the stored products of each collection read, and notes when. */
export async function storeCollections(tx: Tx, merchantId: string, products: Map<string, string[]>, now = new Date()): Promise<void> {
  for (const [collectionId, ids] of products) {
    await tx.delete(collectionProducts).where(and(eq(collectionProducts.merchantId, merchantId), eq(collectionProducts.collectionId, collectionId)));
    const unique = [...new Set(ids)];
    // Chunked so a large collection stays well inside PostgreSQL's parameter limit.
    for (let i = 0; i < unique.length; i += 1000) {
      await tx.insert(collectionProducts).values(unique.slice(i, i + 1000).map((productId) => ({ merchantId, collectionId, productId }))).onConflictDoNothing();
    }
    await tx.insert(collectionSyncs).values({ merchantId, collectionId, productCount: unique.length, syncedAt: now })
      .onConflictDoUpdate({ target: [collectionSyncs.merchantId, collectionSyncs.collectionId], set: { productCount: unique.length, syncedAt: now } });
  }
}

/**
 * One refresh pass: the collections of scheduled and running campaigns, in installed shops that
 * granted an Admin API token, whose products were read more than a day ago (or never), oldest
 * first. Returns how many it read.
 */
export async function refreshCollections(deps: Pick<Deps, 'config' | 'db' | 'log'>, now = new Date(), limit = 20): Promise<number> {
  const due = await deps.db.rows<{ merchant_id: string; collection_id: string }>(sql`
    select c.merchant_id, x.collection_id
      from bonus_campaigns c
      join merchants m on m.id = c.merchant_id and m.status = 'active' and m.access_token_sealed is not null
      cross join lateral jsonb_array_elements_text(c.collection_ids) as x(collection_id)
      left join collection_syncs s on s.merchant_id = c.merchant_id and s.collection_id = x.collection_id
     where c.status in ('scheduled', 'active') and (s.synced_at is null or s.synced_at < ${new Date(now.getTime() - COLLECTION_REFRESH_MS).toISOString()}::timestamptz)
     group by c.merchant_id, x.collection_id, s.synced_at
     order by s.synced_at nulls first
     limit ${limit}`);
  const byMerchant = new Map<string, string[]>();
  for (const r of due) byMerchant.set(r.merchant_id, [...(byMerchant.get(r.merchant_id) ?? []), r.collection_id]);
  let read = 0;
  for (const [merchantId, ids] of byMerchant) {
    const result = await readCollections(deps, merchantId, ids);
    if (result.status !== 'read') {
      // Not read now: tried again on the next pass (an hour on), the stored products stand meanwhile.
      if (result.status === 'unavailable') deps.log.warn('collection refresh: Shopify unavailable', { merchantId, error: result.message });
      continue;
    }
    await deps.db.db.transaction((tx) => storeCollections(tx, merchantId, result.products, now));
    read += ids.length;
  }
  return read;
}

/** Re-reads campaign collections daily; looks for due ones every hour. */
export function collectionRefreshWorker(deps: Deps): Worker {
  return pollingWorker('merchant-config.collections', deps, () => refreshCollections(deps), 3_600_000);
}
