import { and, eq, inArray, sql } from 'drizzle-orm';
import { collectionProducts, customerSegments, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import type { EarnAdjustment, EarnContext, EarnModifier } from '../earning/hooks';
import { campaignsAt, merchantConfig, type CampaignRow } from '../program/config';
import { loadTierContext } from '../tier/data';
import { currentTier } from '../tier/status';
import { segmentPredicate } from './segment';

export type { CampaignRow };

/**
 * Campaigns that apply to an order placed at `at`: scheduled, active, or ended after it was placed
 * (a late webhook still earns the campaign it was placed under). Drafts, paused and cancelled ones
 * never apply.
 */
export async function liveCampaigns(tx: Tx, merchantId: string, at: Date): Promise<CampaignRow[]> {
  const config = await merchantConfig(tx, merchantId);
  return config ? campaignsAt(config, at) : [];
}

async function one<T>(deps: Pick<Deps, 'db'>, tx: Tx, query: ReturnType<typeof sql>): Promise<T | undefined> {
  const [row] = await deps.db.rows<T>(query, tx);
  return row;
}

/**
 * Whether a campaign's own targeting and conditions hold for this customer and order. Each check
 * reads only when the campaign asks for it.
 */
async function eligible(c: CampaignRow, ctx: EarnContext, tierOf: () => Promise<string | null>): Promise<boolean> {
  const { deps, tx, merchantId, customerId, order } = ctx;
  const cond = c.conditions ?? {};
  if (cond.minOrderMinor !== undefined && order.baseMinor < cond.minOrderMinor) return false;
  if (c.type === 'tier_bonus' && !(c.tierIds ?? []).includes((await tierOf()) ?? '')) return false;
  if (c.type === 'product_bonus') {
    const products = new Set(c.productIds ?? []);
    const collections = c.collectionIds ?? [];
    if (!order.productIds.some((p) => products.has(p))) {
      // Line items name products only: a collection matches through its stored products.
      if (!collections.length || !order.productIds.length) return false;
      const [hit] = await tx.select({ productId: collectionProducts.productId }).from(collectionProducts).where(and(
        eq(collectionProducts.merchantId, merchantId), inArray(collectionProducts.collectionId, collections), inArray(collectionProducts.productId, order.productIds),
      )).limit(1);
      if (!hit) return false;
    }
  }
  if (c.type === 'segment_bonus') {
    if (!c.segmentId) return false;
    const [segment] = await tx.select({ rules: customerSegments.rules }).from(customerSegments)
      .where(and(eq(customerSegments.merchantId, merchantId), eq(customerSegments.id, c.segmentId)));
    const predicate = segmentPredicate(segment?.rules);
    if (!predicate) {
      deps.log.warn('segment rules not understood; campaign skipped', { campaignId: c.id, segmentId: c.segmentId });
      return false;
    }
    const hit = await one<{ ok: boolean }>(deps, tx, sql`select true as ok from customers c where c.merchant_id = ${merchantId} and c.id = ${customerId} and ${predicate}`);
    if (!hit) return false;
  }
  if (cond.firstOrderOnly) {
    const prior = await one<{ n: number }>(deps, tx, sql`select count(*)::int as n from orders
      where merchant_id = ${merchantId} and customer_id = ${customerId} and id <> ${order.orderId} and status <> 'cancelled'`);
    if (Number(prior?.n ?? 0) > 0) return false;
  }
  if (cond.maxAwardsPerCustomer !== undefined) {
    const awards = await one<{ n: number }>(deps, tx, sql`select count(distinct coalesce(order_id, transaction_id))::int as n from campaign_awards
      where merchant_id = ${merchantId} and campaign_id = ${c.id} and customer_id = ${customerId} and points > 0
        and order_id is distinct from ${order.orderId}`);
    if (Number(awards?.n ?? 0) >= cond.maxAwardsPerCustomer) return false;
  }
  return true;
}

/**
 * Spend goal: the customer's spend (earning base of their counted orders) placed inside the campaign
 * window, this order included, reaches the goal for the first time. Paid once per customer.
 */
async function reachesGoal(c: CampaignRow, ctx: EarnContext): Promise<boolean> {
  const { deps, tx, merchantId, customerId, order } = ctx;
  if (!c.goalMinor || c.currency !== order.currency) return false;
  const paid = await one<{ ok: boolean }>(deps, tx, sql`select true as ok from campaign_awards
    where merchant_id = ${merchantId} and campaign_id = ${c.id} and customer_id = ${customerId} having sum(points) > 0`);
  if (paid) return false;
  const before = await one<{ v: number }>(deps, tx, sql`select coalesce(sum(earning_base_minor), 0)::float8 as v from orders
    where merchant_id = ${merchantId} and customer_id = ${customerId} and id <> ${order.orderId}
      and status in ('paid', 'partially_refunded')
      and processed_at >= ${c.startsAt.toISOString()}::timestamptz
      ${c.endsAt ? sql`and processed_at < ${c.endsAt.toISOString()}::timestamptz` : sql``}`);
  return Number(before?.v ?? 0) + order.baseMinor >= c.goalMinor;
}

/**
 * Bonus campaigns at earn time: `multiplier` campaigns (and tier/segment campaigns with a multiplier)
 * answer a campaign-tagged multiplier, which the earning code stacks with the tier's according to the
 * merchant's policy; fixed bonuses (spend goal reached, products or collections bought, tier or segment
 * bonus) answer bonus entries carrying the campaign id.
 */
export const campaignModifier: EarnModifier = {
  name: 'bonus-campaigns',
  async apply(ctx: EarnContext): Promise<EarnAdjustment> {
    const campaigns = await liveCampaigns(ctx.tx, ctx.merchantId, ctx.order.processedAt);
    if (!campaigns.length) return {};
    let tier: string | null | undefined;
    const tierOf = async () => {
      if (tier === undefined) {
        const tctx = await loadTierContext(ctx.tx, ctx.merchantId);
        tier = tctx?.tiers.length ? (await currentTier(ctx.deps, ctx.tx, tctx, ctx.customerId, ctx.order.processedAt, { excludeOrderId: ctx.order.orderId })).tier?.id ?? null : null;
      }
      return tier;
    };
    const out: Required<EarnAdjustment> = { multipliers: [], bonuses: [] };
    for (const c of campaigns.sort((a, b) => a.id.localeCompare(b.id))) {
      if (!(await eligible(c, ctx, tierOf))) continue;
      if (c.type === 'spend_goal') {
        if (c.bonusPoints && (await reachesGoal(c, ctx))) out.bonuses.push({ type: 'campaign', points: c.bonusPoints, reason: `${c.name}: spend goal reached`, campaignId: c.id, key: `campaign:${c.id}` });
        continue;
      }
      if (c.multiplierBp && c.multiplierBp !== 10_000 && c.type !== 'product_bonus') {
        out.multipliers.push({ kind: 'campaign', bp: c.multiplierBp, campaignId: c.id, label: c.name });
      }
      if (c.bonusPoints) out.bonuses.push({ type: 'campaign', points: c.bonusPoints, reason: `${c.name} bonus`, campaignId: c.id, key: `campaign:${c.id}` });
    }
    return out;
  },
};
