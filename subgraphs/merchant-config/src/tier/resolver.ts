import { and, eq, sql } from 'drizzle-orm';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { newId, programSettings, vipTiers, type TierQualificationWindow, type TierThresholdKind } from '@herethere/db';
import { shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import {
  VipProgram, VipProgramPayload, VipProgramUpdateInput, VipTier, VipTierCreateInput, VipTierDeleteInput, VipTierDeletePayload, VipTierPayload, VipTierUpdateInput,
} from './entity';
import { listTiers, lockLadder, programOf, renumber, requestTierRecompute, rewardExists, toVipTier, type TierRow } from './data';
import { ladderErrors, MAX_TIERS, tierFieldErrors, type LadderTier } from './validate';

const f = (name: string) => ['input', name];
const NOT_FOUND = () => userError(UserErrorCode.NOT_FOUND, 'No VIP tier with that id in this shop', f('id'));

const KIND_LABEL: Record<string, string> = { money_spent: 'MONEY_SPENT', points_earned: 'POINTS_EARNED', order_count: 'ORDER_COUNT' };
const WINDOW_LABEL: Record<string, string> = { lifetime: 'LIFETIME', rolling_12_months: 'ROLLING_12_MONTHS', calendar_year: 'CALENDAR_YEAR' };

/** Thrown inside a transaction to roll it back and answer with userErrors (nothing written). */
class Refused extends Error {
  constructor(readonly userErrors: UserError[]) {
    super('refused');
  }
}

async function refusing<T>(work: () => Promise<T>): Promise<T | { userErrors: UserError[] }> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof Refused) return { userErrors: err.userErrors };
    throw err;
  }
}

const ladderOf = (rows: readonly Pick<TierRow, 'id' | 'name' | 'thresholdValue'>[]): LadderTier[] => rows.map((r) => ({ id: r.id, name: r.name, threshold: Number(r.thresholdValue) }));

async function nameTaken(rows: readonly TierRow[], name: string, exceptId?: string): Promise<boolean> {
  return rows.some((r) => r.id !== exceptId && r.name.trim().toLowerCase() === name.trim().toLowerCase());
}

@Resolver(() => VipTier)
export class VipTierResolver {
  @Authorized('customer', 'visitor', 'merchant', 'developer')
  @Query(() => [VipTier], { description: 'The shop’s VIP ladder, lowest tier first.' })
  async vipTiers(@Ctx() ctx: Context): Promise<VipTier[]> {
    return (await listTiers(ctx.db.db, shopOf(ctx).merchantId)).map(toVipTier);
  }

  @Authorized('merchant')
  @Query(() => VipProgram, { description: 'The VIP program’s measure, window, stacking policy and ladder.' })
  async vipProgram(@Ctx() ctx: Context): Promise<VipProgram> {
    return programOf(ctx, shopOf(ctx, 'merchant').merchantId);
  }

  @Authorized('merchant')
  @Mutation(() => VipTierPayload, { description: 'Adds a tier to the ladder; customers are re-placed in the background.' })
  async vipTierCreate(@Arg('input', () => VipTierCreateInput) input: VipTierCreateInput, @Ctx() ctx: Context): Promise<VipTierPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const errors = tierFieldErrors(input);
    if (errors.length) return { vipTier: null, userErrors: errors };
    return refusing(() => ctx.db.db.transaction(async (tx) => {
      await lockLadder(ctx.db, tx, merchantId);
      const rows = await listTiers(tx, merchantId);
      const kind = (rows[0]?.thresholdKind ?? input.thresholdKind ?? 'money_spent') as TierThresholdKind;
      const window = (rows[0]?.qualificationWindow ?? input.qualificationWindow ?? 'lifetime') as TierQualificationWindow;
      const refusals: UserError[] = [];
      if (rows.length && input.thresholdKind && input.thresholdKind !== kind) {
        refusals.push(userError(UserErrorCode.INVALID, `this program measures ${KIND_LABEL[kind]}; every tier uses the same measure (change it for all tiers with vipProgramUpdate)`, f('thresholdKind')));
      }
      if (rows.length && input.qualificationWindow && input.qualificationWindow !== window) {
        refusals.push(userError(UserErrorCode.INVALID, `this program counts ${WINDOW_LABEL[window]}; every tier uses the same window (change it for all tiers with vipProgramUpdate)`, f('qualificationWindow')));
      }
      if (rows.length >= MAX_TIERS) refusals.push(userError(UserErrorCode.LIMIT_REACHED, `a program has at most ${MAX_TIERS} tiers`, f('name')));
      if (await nameTaken(rows, input.name)) refusals.push(userError(UserErrorCode.TAKEN, `a tier named "${input.name.trim()}" already exists`, f('name')));
      if (input.entryRewardId && !(await rewardExists(tx, merchantId, input.entryRewardId))) refusals.push(userError(UserErrorCode.NOT_FOUND, 'No reward with that id in this shop', f('entryRewardId')));
      const position = input.position ?? rows.length;
      if (!Number.isInteger(position) || position < 0 || position > rows.length) refusals.push(userError(UserErrorCode.INVALID, `position must be from 0 to ${rows.length}`, f('position')));
      const id = newId('vipTier');
      const ladder = ladderOf(rows);
      ladder.splice(Math.min(Math.max(position, 0), rows.length), 0, { id, name: input.name.trim(), threshold: input.threshold });
      refusals.push(...ladderErrors(ladder));
      if (refusals.length) throw new Refused(refusals);
      await tx.insert(vipTiers).values({
        merchantId, id, name: input.name.trim(), thresholdKind: kind, thresholdValue: input.threshold, qualificationWindow: window,
        earningMultiplierBp: input.earningMultiplierBp ?? 10_000, perks: (input.perks ?? []).map((p) => p.trim()),
        entryReward: input.entryRewardPoints || input.entryRewardDescription ? { points: input.entryRewardPoints ?? undefined, description: input.entryRewardDescription ?? undefined } : null,
        entryRewardId: input.entryRewardId ?? null, retentionDays: input.retentionDays ?? null, position: 200_000,
      });
      await renumber(tx, merchantId, ladder.map((t) => t.id));
      await requestTierRecompute(ctx.db, tx, merchantId, `tier ${id} created`);
      const [row] = await tx.select().from(vipTiers).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, id)));
      return { vipTier: toVipTier(row), userErrors: [] };
    }));
  }

  @Authorized('merchant')
  @Mutation(() => VipTierPayload, { description: 'Changes a tier; the ladder must still rise. Customers are re-placed in the background.' })
  async vipTierUpdate(@Arg('input', () => VipTierUpdateInput) input: VipTierUpdateInput, @Ctx() ctx: Context): Promise<VipTierPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const errors = tierFieldErrors(input);
    if (errors.length) return { vipTier: null, userErrors: errors };
    return refusing(() => ctx.db.db.transaction(async (tx) => {
      await lockLadder(ctx.db, tx, merchantId);
      const rows = await listTiers(tx, merchantId);
      const current = rows.find((r) => r.id === input.id);
      if (!current) throw new Refused([NOT_FOUND()]);
      const refusals: UserError[] = [];
      if (input.name !== undefined && (await nameTaken(rows, input.name, current.id))) refusals.push(userError(UserErrorCode.TAKEN, `a tier named "${input.name.trim()}" already exists`, f('name')));
      if (input.entryRewardId && !(await rewardExists(tx, merchantId, input.entryRewardId))) refusals.push(userError(UserErrorCode.NOT_FOUND, 'No reward with that id in this shop', f('entryRewardId')));
      const entryPoints = input.entryRewardPoints !== undefined ? input.entryRewardPoints : current.entryReward?.points ?? null;
      const entryRewardId = input.entryRewardId !== undefined ? input.entryRewardId : current.entryRewardId;
      if (entryPoints && entryRewardId) refusals.push(userError(UserErrorCode.INVALID, 'give either entryRewardPoints or entryRewardId, not both (set the other to null)', f('entryRewardId')));
      const others = rows.filter((r) => r.id !== current.id);
      const position = input.position ?? current.position;
      if (!Number.isInteger(position) || position < 0 || position > others.length) refusals.push(userError(UserErrorCode.INVALID, `position must be from 0 to ${others.length}`, f('position')));
      const ladder = ladderOf(others);
      const name = input.name?.trim() ?? current.name;
      ladder.splice(Math.min(Math.max(position, 0), others.length), 0, { id: current.id, name, threshold: input.threshold ?? Number(current.thresholdValue) });
      refusals.push(...ladderErrors(ladder));
      if (refusals.length) throw new Refused(refusals);
      const description = input.entryRewardDescription !== undefined ? input.entryRewardDescription : current.entryReward?.description ?? null;
      await tx.update(vipTiers).set({
        name,
        thresholdValue: input.threshold ?? current.thresholdValue,
        earningMultiplierBp: input.earningMultiplierBp ?? current.earningMultiplierBp,
        perks: input.perks ? input.perks.map((p) => p.trim()) : current.perks,
        entryReward: entryPoints || description ? { points: entryPoints ?? undefined, description: description ?? undefined } : null,
        entryRewardId: entryRewardId ?? null,
        retentionDays: input.retentionDays !== undefined ? input.retentionDays : current.retentionDays,
        updatedAt: new Date(),
      }).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, current.id)));
      await renumber(tx, merchantId, ladder.map((t) => t.id));
      await requestTierRecompute(ctx.db, tx, merchantId, `tier ${current.id} updated`);
      const [row] = await tx.select().from(vipTiers).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, current.id)));
      return { vipTier: toVipTier(row), userErrors: [] };
    }));
  }

  @Authorized('merchant')
  @Mutation(() => VipTierDeletePayload, { description: 'Removes a tier; its members move to the tier they qualify for (recorded with the reason). Refused while a badge or a running campaign depends on it.' })
  async vipTierDelete(@Arg('input', () => VipTierDeleteInput) input: VipTierDeleteInput, @Ctx() ctx: Context): Promise<VipTierDeletePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    return refusing(() => ctx.db.db.transaction(async (tx) => {
      await lockLadder(ctx.db, tx, merchantId);
      const rows = await listTiers(tx, merchantId);
      if (!rows.some((r) => r.id === input.id)) throw new Refused([NOT_FOUND()]);
      const badges = await ctx.db.rows<{ name: string }>(sql`
        select name from badge_definitions where merchant_id = ${merchantId} and rule->>'kind' = 'tier_reached' and rule->>'tierId' = ${input.id}`, tx);
      if (badges.length) throw new Refused([userError(UserErrorCode.CONFLICT, `the badge "${badges[0].name}" is awarded on reaching this tier; change or remove its rule first`, f('id'))]);
      const campaigns = await ctx.db.rows<{ name: string }>(sql`
        select name from bonus_campaigns where merchant_id = ${merchantId} and status in ('draft', 'scheduled', 'active', 'paused') and tier_ids ? ${input.id}`, tx);
      if (campaigns.length) throw new Refused([userError(UserErrorCode.CONFLICT, `the campaign "${campaigns[0].name}" targets this tier; end it or change its tiers first`, f('id'))]);
      await tx.delete(vipTiers).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, input.id)));
      await renumber(tx, merchantId, rows.filter((r) => r.id !== input.id).map((r) => r.id));
      await requestTierRecompute(ctx.db, tx, merchantId, `tier ${input.id} deleted`);
      return { deletedVipTierId: input.id, userErrors: [] };
    }));
  }

  @Authorized('merchant')
  @Mutation(() => VipProgramPayload, { description: 'Changes the program’s measure and window (for every tier at once) and how tier and campaign multipliers stack.' })
  async vipProgramUpdate(@Arg('input', () => VipProgramUpdateInput) input: VipProgramUpdateInput, @Ctx() ctx: Context): Promise<VipProgramPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    return refusing(() => ctx.db.db.transaction(async (tx) => {
      await lockLadder(ctx.db, tx, merchantId);
      const rows = await listTiers(tx, merchantId);
      const refusals: UserError[] = [];
      const given = new Map((input.thresholds ?? []).map((t) => [t.tierId, t.threshold]));
      for (const [tierId, threshold] of given) {
        if (!rows.some((r) => r.id === tierId)) refusals.push(userError(UserErrorCode.NOT_FOUND, `No VIP tier ${tierId} in this shop`, f('thresholds')));
        refusals.push(...tierFieldErrors({ threshold }).map((e) => ({ ...e, field: f('thresholds') })));
      }
      if (!rows.length && (input.thresholdKind || input.qualificationWindow)) {
        refusals.push(userError(UserErrorCode.INVALID, 'the program has no tiers yet: the first tier (vipTierCreate) sets the measure and the window', f(input.thresholdKind ? 'thresholdKind' : 'qualificationWindow')));
      }
      const kindChanges = input.thresholdKind && rows.length && input.thresholdKind !== rows[0].thresholdKind;
      if (kindChanges && rows.some((r) => !given.has(r.id))) {
        refusals.push(userError(UserErrorCode.INVALID, 'changing the measure needs a new threshold for every tier (thresholds)', f('thresholds')));
      }
      refusals.push(...ladderErrors(rows.map((r) => ({ id: r.id, name: r.name, threshold: given.get(r.id) ?? Number(r.thresholdValue) })), f('thresholds')));
      if (refusals.length) throw new Refused(refusals);
      const ladderChanged = Boolean(kindChanges || given.size || (input.qualificationWindow && rows.length && input.qualificationWindow !== rows[0].qualificationWindow));
      for (const r of rows) {
        await tx.update(vipTiers).set({
          thresholdKind: (input.thresholdKind ?? r.thresholdKind) as TierThresholdKind,
          qualificationWindow: (input.qualificationWindow ?? r.qualificationWindow) as TierQualificationWindow,
          thresholdValue: given.get(r.id) ?? r.thresholdValue,
          updatedAt: new Date(),
        }).where(and(eq(vipTiers.merchantId, merchantId), eq(vipTiers.id, r.id)));
      }
      if (input.tierStackingPolicy) {
        await tx.update(programSettings).set({ tierStackingPolicy: input.tierStackingPolicy as 'multiply' | 'max', updatedAt: new Date() }).where(eq(programSettings.merchantId, merchantId));
      }
      if (ladderChanged) await requestTierRecompute(ctx.db, tx, merchantId, 'program measure or window changed');
      const tiers = await listTiers(tx, merchantId);
      const [settings] = await tx.select({ p: programSettings.tierStackingPolicy }).from(programSettings).where(eq(programSettings.merchantId, merchantId));
      return {
        vipProgram: {
          thresholdKind: tiers[0]?.thresholdKind ?? 'money_spent',
          qualificationWindow: tiers[0]?.qualificationWindow ?? 'lifetime',
          tierStackingPolicy: settings?.p ?? 'multiply',
          tiers: tiers.map(toVipTier),
        },
        userErrors: [],
      };
    }));
  }
}

/** Another subgraph's VipTier reference: only the caller's own shop resolves (admins any). */
export async function resolveVipTierReference(ref: { id: string }, ctx: Context): Promise<VipTier | null> {
  const p = ctx.principal;
  const loader = ctx.loader<string, TierRow | null>('vipTier.byId', async (ids) => {
    const rows = await ctx.db.db.select().from(vipTiers).where(sql`${vipTiers.id} in (${sql.join(ids.map((i) => sql`${i}`), sql`, `)})`);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });
  const row = await loader.load(ref.id);
  if (!row) return null;
  if (p.kind !== 'admin' && !('merchantId' in p && p.merchantId === row.merchantId)) return null;
  return toVipTier(row);
}
