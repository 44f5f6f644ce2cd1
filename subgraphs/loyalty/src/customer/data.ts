import { and, desc, eq, ilike, inArray, lt, or, sql, type SQL } from 'drizzle-orm';
import { customers } from '@herethere/db';
import type { Context } from '@herethere/runtime';
import { cacheCustomer, customerCacheKey, decodeCached } from './cache';

export type CustomerRow = typeof customers.$inferSelect;
export type CustomerKey = `${string}/${string}`;

/**
 * Customers by (merchant, id). The merchant is part of the key so a lookup can never cross
 * tenants, even when a caller guesses another shop's customer id.
 */
export const customerByKey = (ctx: Context) =>
  ctx.loader<CustomerKey, CustomerRow | null>('customer.byKey', async (keys) => {
    const found = new Map<string, CustomerRow>();
    const cached = await ctx.cache.mget(keys.map((k) => customerCacheKey(...(k.split('/') as [string, string]))));
    const byMerchant = new Map<string, string[]>();
    keys.forEach((key, i) => {
      const hit = decodeCached(cached[i]);
      if (hit?.row) return void found.set(key, hit.row);
      const [merchantId, id] = key.split('/');
      byMerchant.set(merchantId, [...(byMerchant.get(merchantId) ?? []), id]);
    });
    for (const [merchantId, ids] of byMerchant) {
      const rows = await ctx.db.db.select().from(customers).where(and(eq(customers.merchantId, merchantId), inArray(customers.id, ids)));
      for (const r of rows) {
        found.set(`${r.merchantId}/${r.id}`, r);
        await cacheCustomer(ctx.cache, r);
      }
    }
    return keys.map((k) => found.get(k) ?? null);
  });

export const loadCustomer = (ctx: Context, merchantId: string, id: string) => customerByKey(ctx).load(`${merchantId}/${id}`);

/** A page of a shop's customers, newest first, optionally matching a name or email prefix. */
export async function listCustomers(ctx: Context, merchantId: string, opts: { first: number; after?: string; search?: string }): Promise<CustomerRow[]> {
  const conditions: SQL[] = [eq(customers.merchantId, merchantId)];
  if (opts.after) conditions.push(lt(customers.id, opts.after));
  const term = opts.search?.trim().toLowerCase();
  if (term) {
    const like = `${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(
      or(
        sql`lower(${customers.email}) like ${like}`,
        sql`lower(${customers.firstName}) like ${like}`,
        sql`lower(${customers.lastName}) like ${like}`,
        ilike(customers.id, like),
      )!,
    );
  }
  return ctx.db.db.select().from(customers).where(and(...conditions)).orderBy(desc(customers.id)).limit(opts.first + 1);
}

export async function countCustomers(ctx: Context, merchantId: string): Promise<number> {
  const [row] = await ctx.db.db.select({ n: sql<number>`count(*)::int` }).from(customers).where(eq(customers.merchantId, merchantId));
  return row?.n ?? 0;
}
