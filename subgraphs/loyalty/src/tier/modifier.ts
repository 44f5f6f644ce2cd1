import type { EarnAdjustment, EarnContext, EarnModifier } from '../earning/hooks';
import { loadTierContext } from './data';
import { currentTier } from './status';

/**
 * The tier's earning multiplier at earn time: the tier the customer holds when the order is
 * credited (an order that lifts them into a tier earns at the tier they had; the next one earns at
 * the new rate). Tagged `tier` so the earning code can stack it with campaigns per the merchant's policy.
 */
export const tierModifier: EarnModifier = {
  name: 'vip-tier',
  async apply(ctx: EarnContext): Promise<EarnAdjustment> {
    const tctx = await loadTierContext(ctx.tx, ctx.merchantId);
    if (!tctx?.tiers.length) return {};
    const { tier } = await currentTier(ctx.deps, ctx.tx, tctx, ctx.customerId, ctx.at, { excludeOrderId: ctx.order.orderId });
    if (!tier || tier.multiplierBp === 10_000) return {};
    return { multipliers: [{ kind: 'tier', bp: tier.multiplierBp, label: `${tier.name} tier` }] };
  },
};
