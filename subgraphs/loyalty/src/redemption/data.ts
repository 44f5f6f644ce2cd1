import { and, asc, desc, eq, inArray, lt, type SQL } from 'drizzle-orm';
import { rewardRedemptions, rewards } from '@herethere/db';
import type { Context } from '@herethere/runtime';
import type { RedemptionRow, RewardRow } from './service';

export type RewardView = RewardRow & { slider: { pointsPerStep: number; valueMinorPerStep: number; maxSteps: number } | null };

export const toRewardView = (row: RewardRow): RewardView => ({
  ...row,
  slider: row.kind === 'points_slider' && row.pointsPerStep && row.valueMinorPerStep && row.maxSteps
    ? { pointsPerStep: row.pointsPerStep, valueMinorPerStep: row.valueMinorPerStep, maxSteps: row.maxSteps }
    : null,
});

/** The catalogue as a shopper sees it (enabled only) or a merchant (all), in the merchant's order. */
export async function listRewards(ctx: Context, merchantId: string, onlyEnabled: boolean): Promise<RewardView[]> {
  const where: SQL[] = [eq(rewards.merchantId, merchantId)];
  if (onlyEnabled) where.push(eq(rewards.enabled, true));
  const rows = await ctx.db.db.select().from(rewards).where(and(...where)).orderBy(asc(rewards.sortOrder), asc(rewards.id));
  return rows.map(toRewardView);
}

export const rewardByKey = (ctx: Context) =>
  ctx.loader<string, RewardView | null>('reward.byKey', async (keys) => {
    const byMerchant = new Map<string, string[]>();
    for (const k of keys) {
      const [m, id] = k.split('/');
      byMerchant.set(m, [...(byMerchant.get(m) ?? []), id]);
    }
    const found = new Map<string, RewardView>();
    for (const [m, ids] of byMerchant) {
      const rows = await ctx.db.db.select().from(rewards).where(and(eq(rewards.merchantId, m), inArray(rewards.id, ids)));
      for (const r of rows) found.set(`${r.merchantId}/${r.id}`, toRewardView(r));
    }
    return keys.map((k) => found.get(k) ?? null);
  });

/** A customer's redemptions, newest first. */
export async function listRedemptions(ctx: Context, merchantId: string, customerId: string, opts: { first: number; after?: string }): Promise<RedemptionRow[]> {
  const where: SQL[] = [eq(rewardRedemptions.merchantId, merchantId), eq(rewardRedemptions.customerId, customerId)];
  if (opts.after) where.push(lt(rewardRedemptions.id, opts.after));
  return ctx.db.db.select().from(rewardRedemptions).where(and(...where)).orderBy(desc(rewardRedemptions.id)).limit(opts.first + 1);
}
