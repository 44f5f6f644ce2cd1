import { eq, sql } from 'drizzle-orm';
import { customers } from '@herethere/db';
import type { Context } from '@herethere/runtime';

/** Aggregates the customers' ledger projections: one indexed scan of the shop's customers. */
export async function programMetrics(ctx: Context, merchantId: string) {
  const [row] = await ctx.db.db
    .select({
      members: sql<number>`count(*)::int`,
      pointsIssued: sql<number>`coalesce(sum(${customers.totalPointsEarned}), 0)::int`,
      pointsRedeemed: sql<number>`coalesce(sum(${customers.totalPointsRedeemed}), 0)::int`,
      pointsExpired: sql<number>`coalesce(sum(${customers.totalPointsExpired}), 0)::int`,
      pointsOutstanding: sql<number>`coalesce(sum(${customers.pointsBalance}), 0)::int`,
    })
    .from(customers)
    .where(eq(customers.merchantId, merchantId));
  return row;
}
