import { and, desc, ilike, inArray, lt, or, type SQL } from 'drizzle-orm';
import { merchants, plans } from '@herethere/db';
import type { Context } from '@herethere/runtime';

export type PlanRow = typeof plans.$inferSelect;

/** What this subgraph resolves a Merchant from: the key, plus the plan id when already known. */
export interface MerchantStub {
  id: string;
  planId?: string;
}

/** LIKE treats % and _ as wildcards; an admin's search text is literal. */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Merchants newest first, optionally filtered: the text matches anywhere in the shop domain or as
 * the start of the merchant id, ignoring case. Fetches `limit + 1` for the next-page test.
 */
export async function listMerchants(ctx: Context, limit: number, afterId?: string, search?: string): Promise<MerchantStub[]> {
  const where: SQL[] = [];
  if (afterId) where.push(lt(merchants.id, afterId));
  if (search) {
    const text = escapeLike(search);
    where.push(or(ilike(merchants.shopDomain, `%${text}%`), ilike(merchants.id, `${text}%`)) as SQL);
  }
  return ctx.db.db
    .select({ id: merchants.id, planId: merchants.planId })
    .from(merchants)
    .where(and(...where))
    .orderBy(desc(merchants.id))
    .limit(limit + 1);
}

/** Batches plan lookups by plan id within one request. */
export const planById = (ctx: Context) =>
  ctx.loader<string, PlanRow | null>('admin.planById', async (ids) => {
    const rows = await ctx.db.db.select().from(plans).where(inArray(plans.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Batches merchant → plan id lookups, for Merchants that arrived as bare references. */
export const planIdByMerchantId = (ctx: Context) =>
  ctx.loader<string, string | null>('admin.planIdByMerchantId', async (ids) => {
    const rows = await ctx.db.db.select({ id: merchants.id, planId: merchants.planId }).from(merchants).where(inArray(merchants.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r.planId]));
    return ids.map((id) => byId.get(id) ?? null);
  });

export async function planOf(ctx: Context, merchant: MerchantStub): Promise<PlanRow | null> {
  const planId = merchant.planId ?? (await planIdByMerchantId(ctx).load(merchant.id));
  return planId ? planById(ctx).load(planId) : null;
}
