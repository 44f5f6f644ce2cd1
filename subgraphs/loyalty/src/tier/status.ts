import type { DbOrTx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { loadStatuses, tierValues, toStored, type TierContext } from './data';
import { decideTier, qualificationWindow, tierProgress, type QualificationWindow, type StoredTierStatus, type TierDef, type TierProgress } from './rules';

/** A customer's tier as it stands right now: what a recompute at this instant would store. */
export interface CurrentTier {
  customerId: string;
  tier: TierDef | null;
  qualified: TierDef | null;
  value: number;
  window: QualificationWindow;
  status: StoredTierStatus;
  progress: TierProgress;
}

/**
 * Reads the tier of several customers at once (one value query, one status query). The decision
 * rule is the recompute's own, so the widget, the earning multiplier and the stored status agree
 * even between a definition change and the recompute that follows it.
 */
export async function currentTiers(
  deps: Pick<Deps, 'db'>, db: DbOrTx, ctx: TierContext, ids: readonly string[], at = new Date(), opts: { excludeOrderId?: string } = {},
): Promise<Map<string, CurrentTier>> {
  const out = new Map<string, CurrentTier>();
  if (!ids.length) return out;
  const window = qualificationWindow(ctx.tiers[0]?.window ?? 'lifetime', at, ctx.timeZone);
  const [values, statuses] = await Promise.all([tierValues(deps, db, ctx, window, ids, opts), loadStatuses(db, ctx.merchantId, ids)]);
  for (const id of ids) {
    const row = statuses.get(id);
    const value = values.get(id) ?? 0;
    const decision = decideTier({ stored: row ? toStored(row) : null, tiers: ctx.tiers, value, window, at, timeZone: ctx.timeZone });
    const tier = ctx.tiers.find((t) => t.id === decision.next.tierId) ?? null;
    const qualified = ctx.tiers.find((t) => t.id === decision.next.qualifiedTierId) ?? null;
    out.set(id, { customerId: id, tier, qualified, value, window, status: decision.next, progress: tierProgress(ctx.tiers, tier?.id ?? null, value) });
  }
  return out;
}

/**
 * One customer. `excludeOrderId` leaves an order out of the value: at earn time the order being
 * credited is already recorded, yet it earns at the tier held before it.
 */
export async function currentTier(deps: Pick<Deps, 'db'>, db: DbOrTx, ctx: TierContext, customerId: string, at = new Date(), opts: { excludeOrderId?: string } = {}): Promise<CurrentTier> {
  return (await currentTiers(deps, db, ctx, [customerId], at, opts)).get(customerId)!;
}
