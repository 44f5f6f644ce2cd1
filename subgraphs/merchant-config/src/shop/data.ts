import { eq, inArray } from 'drizzle-orm';
import { merchants, programSettings } from '@herethere/db';
import type { Context } from '@herethere/runtime';

export type MerchantRow = typeof merchants.$inferSelect;

/** Batches merchant lookups by id within one request. */
export const merchantById = (ctx: Context) =>
  ctx.loader<string, MerchantRow | null>('merchant.byId', async (ids) => {
    const rows = await ctx.db.db.select().from(merchants).where(inArray(merchants.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

export async function settingsFor(ctx: Context, merchantId: string) {
  const [row] = await ctx.db.db.select().from(programSettings).where(eq(programSettings.merchantId, merchantId));
  return row ?? null;
}

export async function updateShop(ctx: Context, merchantId: string, patch: Partial<Pick<MerchantRow, 'name' | 'timezone' | 'defaultLanguage' | 'languages'>>) {
  const [row] = await ctx.db.db.update(merchants).set({ ...patch, updatedAt: new Date() }).where(eq(merchants.id, merchantId)).returning();
  return row;
}
