import { and, eq, inArray } from 'drizzle-orm';
import { customers, type RfmScore } from '@herethere/db';
import type { Context } from '@herethere/runtime';

/** RFM scores by customer id within the caller's shop, batched per request. */
export const rfmByCustomer = (ctx: Context, merchantId: string) =>
  ctx.loader<string, RfmScore | null>(`rfm.byCustomer.${merchantId}`, async (ids) => {
    const rows = await ctx.db.db
      .select({ id: customers.id, rfm: customers.rfmScore })
      .from(customers)
      .where(and(eq(customers.merchantId, merchantId), inArray(customers.id, [...ids])));
    const byId = new Map(rows.map((r) => [r.id, r.rfm]));
    return ids.map((id) => byId.get(id) ?? null);
  });
