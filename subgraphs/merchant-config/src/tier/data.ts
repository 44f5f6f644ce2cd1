import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { programSettings, rewards, vipTiers, type DbHandle, type DbOrTx, type Tx, type TierQualificationWindow, type TierThresholdKind } from '@herethere/db';
import type { Context } from '@herethere/runtime';
import type { VipProgram, VipTier } from './entity';

export type TierRow = typeof vipTiers.$inferSelect;
type DbHandleLike = Pick<DbHandle, 'rows'>;

export const toVipTier = (r: TierRow): VipTier => ({
  id: r.id,
  name: r.name,
  position: r.position,
  thresholdKind: r.thresholdKind,
  threshold: Number(r.thresholdValue),
  qualificationWindow: r.qualificationWindow,
  earningMultiplierBp: r.earningMultiplierBp,
  perks: r.perks,
  entryRewardPoints: r.entryReward?.points ?? null,
  entryRewardDescription: r.entryReward?.description ?? null,
  entryRewardId: r.entryRewardId,
  retentionDays: r.retentionDays,
});

export async function listTiers(db: DbOrTx, merchantId: string): Promise<TierRow[]> {
  return db.select().from(vipTiers).where(eq(vipTiers.merchantId, merchantId)).orderBy(asc(vipTiers.position));
}

/** Tier edits of one shop run one at a time (positions and the ladder are checked as a whole). */
export async function lockLadder(h: DbHandleLike, tx: Tx, merchantId: string): Promise<void> {
  await h.rows(sql`select pg_advisory_xact_lock(hashtext(${`vip_tiers:${merchantId}`}))::text as locked`, tx);
}

/**
 * Writes the ladder's order: positions are unique per shop, so every tier first moves out of the
 * way (position + 100000), then takes its final place.
 */
export async function renumber(tx: Tx, merchantId: string, orderedIds: readonly string[]): Promise<void> {
  if (!orderedIds.length) return;
  await tx.update(vipTiers).set({ position: sql`${vipTiers.position} + 100000` }).where(and(eq(vipTiers.merchantId, merchantId), inArray(vipTiers.id, [...orderedIds])));
  for (const [i, id] of orderedIds.entries()) {
    await tx.update(vipTiers).set({ position: i }).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, id)));
  }
}

/** Asks loyalty's tier worker to recompute every customer of the shop against the new ladder. */
export async function requestTierRecompute(h: DbHandleLike, tx: Tx, merchantId: string, reason: string): Promise<void> {
  await h.rows(sql`
    insert into gamification_jobs (merchant_id, kind, requested_at, reason, updated_at)
    values (${merchantId}, 'tier_recompute', clock_timestamp(), ${reason}, now())
    on conflict (merchant_id, kind) do update set requested_at = excluded.requested_at, reason = excluded.reason, updated_at = now()`, tx);
}

export async function rewardExists(db: DbOrTx, merchantId: string, rewardId: string): Promise<boolean> {
  const [r] = await db.select({ id: rewards.id }).from(rewards).where(and(eq(rewards.merchantId, merchantId), eq(rewards.id, rewardId)));
  return Boolean(r);
}

export async function stackingPolicy(db: DbOrTx, merchantId: string): Promise<'multiply' | 'max'> {
  const [s] = await db.select({ p: programSettings.tierStackingPolicy }).from(programSettings).where(eq(programSettings.merchantId, merchantId));
  return s?.p ?? 'multiply';
}

export async function programOf(ctx: Pick<Context, 'db'>, merchantId: string): Promise<VipProgram> {
  const tiers = await listTiers(ctx.db.db, merchantId);
  return {
    thresholdKind: (tiers[0]?.thresholdKind ?? 'money_spent') as TierThresholdKind,
    qualificationWindow: (tiers[0]?.qualificationWindow ?? 'lifetime') as TierQualificationWindow,
    tierStackingPolicy: await stackingPolicy(ctx.db.db, merchantId),
    tiers: tiers.map(toVipTier),
  };
}
