import { and, desc, eq, lt } from 'drizzle-orm';
import { merchants, tierChanges, type TierQualificationWindow, type TierThresholdKind } from '@herethere/db';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { badInput, decodeCursor, describePrincipal, forbidden, pageSize, shopOf, toConnection, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import type { CustomerRow } from '../customer/data';
import { mayReadHistory } from '../history/resolver';
import { loadTierContext, tierValueQuery, type TierContext } from './data';
import {
  VipStatus, VipTierChange, VipTierChangeConnection, VipTierOverrideClearInput, VipTierOverridePayload, VipTierOverrideSetInput,
  VipTierPreview, VipTierPreviewInput,
} from './entity';
import { explainTierChange } from './explain';
import { changeOverride } from './override';
import { qualificationWindow, type TierDef } from './rules';
import { currentTiers, type CurrentTier } from './status';
import { sql } from 'drizzle-orm';

const INT_MAX = 2_147_483_647;
const clampInt = (n: number) => Math.max(-INT_MAX, Math.min(INT_MAX, Math.round(n)));

/** Per-request: each merchant's tier context once. */
const tierContextOf = (ctx: Context, merchantId: string) =>
  ctx.loader<string, TierContext | null>('tier.context', async (ids) => Promise.all(ids.map((id) => loadTierContext(ctx.db.db, id)))).load(merchantId);

/** Per-request batch of current tiers: one value and one status query per merchant. */
const currentTierOf = (ctx: Context, merchantId: string, customerId: string) =>
  ctx.loader<string, CurrentTier | null>('tier.current', async (keys) => {
    const byMerchant = new Map<string, string[]>();
    for (const k of keys) {
      const [m, c] = k.split('/');
      byMerchant.set(m, [...(byMerchant.get(m) ?? []), c]);
    }
    const found = new Map<string, CurrentTier>();
    for (const [m, ids] of byMerchant) {
      const tctx = await tierContextOf(ctx, m);
      if (!tctx) continue;
      for (const [id, cur] of await currentTiers(ctx, ctx.db.db, tctx, ids)) found.set(`${m}/${id}`, cur);
    }
    return keys.map((k) => found.get(k) ?? null);
  }).load(`${merchantId}/${customerId}`);

/** Shop staff (merchant principal) and platform admins see override details; customers only that one is set. */
function toVipStatus(cur: CurrentTier, tctx: TierContext, showOverride: boolean): VipStatus {
  const s = cur.status;
  const retained = Boolean(cur.tier && s.belowSince);
  return {
    tier: cur.tier ? { id: cur.tier.id } : null,
    nextTier: cur.progress.nextTier ? { id: cur.progress.nextTier.id } : null,
    qualifiedTier: cur.qualified ? { id: cur.qualified.id } : null,
    progress: {
      current: clampInt(cur.progress.current),
      target: cur.progress.target,
      remaining: cur.progress.remaining === null ? null : clampInt(cur.progress.remaining),
      percent: cur.progress.percent,
      measure: tctx.tiers[0]?.kind ?? 'money_spent',
      currency: (tctx.tiers[0]?.kind ?? 'money_spent') === 'money_spent' ? tctx.currency : null,
    },
    window: cur.window.kind,
    windowStart: cur.window.start,
    tierSince: s.tierSince,
    retainedUntil: retained ? s.retainedUntil : null,
    retained,
    overridden: s.overrideActive,
    override: showOverride && s.overrideActive
      ? { tier: s.overrideTierId ? { id: s.overrideTierId } : null, until: s.overrideUntil, reason: s.overrideReason ?? '', by: s.overrideBy ?? '' }
      : null,
  };
}

@ArgsType()
class TierHistoryArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@Resolver(() => Customer)
export class CustomerVipResolver {
  @FieldResolver(() => VipStatus, { description: 'The customer’s VIP tier, progress to the next one and retention. Visible to the customer and to the shop.' })
  async vipStatus(@Root() customer: CustomerRow, @Ctx() ctx: Context): Promise<VipStatus> {
    if (!mayReadHistory(ctx.principal, customer)) throw forbidden('Not allowed to read this customer’s VIP status');
    const tctx = await tierContextOf(ctx, customer.merchantId);
    const cur = await currentTierOf(ctx, customer.merchantId, customer.id);
    if (!tctx || !cur) throw forbidden('Not allowed to read this customer’s VIP status');
    return toVipStatus(cur, tctx, ctx.principal.kind === 'merchant');
  }

  @FieldResolver(() => VipTierChangeConnection, { description: 'The customer’s tier moves, newest first, each with the facts that decided it.' })
  async vipTierHistory(@Root() customer: CustomerRow, @Args(() => TierHistoryArgs) args: TierHistoryArgs, @Ctx() ctx: Context) {
    if (!mayReadHistory(ctx.principal, customer)) throw forbidden('Not allowed to read this customer’s VIP history');
    const first = pageSize(args.first);
    const after = decodeCursor(args.after);
    const rows = await ctx.db.db.select().from(tierChanges)
      .where(and(eq(tierChanges.merchantId, customer.merchantId), eq(tierChanges.customerId, customer.id), after ? lt(tierChanges.id, after) : undefined))
      .orderBy(desc(tierChanges.id)).limit(first + 1);
    const [m] = await ctx.db.db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, customer.merchantId));
    const items: VipTierChange[] = rows.map((r) => ({
      id: r.id,
      fromTier: r.fromTierId ? { id: r.fromTierId } : null,
      toTier: r.toTierId ? { id: r.toTierId } : null,
      reason: r.reason,
      explanation: explainTierChange({ reason: r.reason, actor: r.actor, details: r.details }, m?.currency ?? 'USD'),
      actor: ctx.principal.kind === 'customer' ? (r.actor.startsWith('system') ? 'system' : 'staff') : r.actor,
      createdAt: r.createdAt,
    }));
    return toConnection(items, first, (r) => r.id, undefined, Boolean(after));
  }
}

/** Merchants act on their shop; admins (support or owner) name the shop. */
function overrideTarget(ctx: Context, merchantIdArg?: string | null): { merchantId: string; adminUserId: string | null } | UserError {
  const p = ctx.principal;
  if (p.kind === 'admin') {
    if (!merchantIdArg) return userError(UserErrorCode.INVALID, 'merchantId is required for platform admins', ['input', 'merchantId']);
    return { merchantId: merchantIdArg, adminUserId: p.adminUserId };
  }
  return { merchantId: shopOf(ctx, 'merchant').merchantId, adminUserId: null };
}

const REASON_MAX = 500;

@Resolver()
export class VipTierOverrideResolver {
  @Authorized('merchant', 'admin:support')
  @Mutation(() => VipTierOverridePayload, { description: 'Pins a customer to a tier (or outside the ladder), until a date or for good. Audited; recorded in the tier history.' })
  async vipTierOverrideSet(@Arg('input', () => VipTierOverrideSetInput) input: VipTierOverrideSetInput, @Ctx() ctx: Context): Promise<VipTierOverridePayload> {
    const target = overrideTarget(ctx, input.merchantId);
    if (target instanceof UserError) return { userErrors: [target] };
    const reason = input.reason.trim();
    const errors: UserError[] = [];
    if (!reason || reason.length > REASON_MAX) errors.push(userError(UserErrorCode.INVALID, `reason must be 1 to ${REASON_MAX} characters`, ['input', 'reason']));
    if (input.until && input.until.getTime() <= Date.now()) errors.push(userError(UserErrorCode.INVALID, 'until must be in the future', ['input', 'until']));
    if (errors.length) return { userErrors: errors };
    const result = await changeOverride(ctx, target.merchantId, input.customerId, { kind: 'set', tierId: input.tierId ?? null, until: input.until ?? null, reason }, { actor: describePrincipal(ctx.principal), adminUserId: target.adminUserId });
    return this.payload(ctx, target.merchantId, input.customerId, result.status);
  }

  @Authorized('merchant', 'admin:support')
  @Mutation(() => VipTierOverridePayload, { description: 'Ends a customer’s override now; they get the tier they qualify for. Audited.' })
  async vipTierOverrideClear(@Arg('input', () => VipTierOverrideClearInput) input: VipTierOverrideClearInput, @Ctx() ctx: Context): Promise<VipTierOverridePayload> {
    const target = overrideTarget(ctx, input.merchantId);
    if (target instanceof UserError) return { userErrors: [target] };
    const reason = input.reason.trim();
    if (!reason || reason.length > REASON_MAX) return { userErrors: [userError(UserErrorCode.INVALID, `reason must be 1 to ${REASON_MAX} characters`, ['input', 'reason'])] };
    const result = await changeOverride(ctx, target.merchantId, input.customerId, { kind: 'clear', reason }, { actor: describePrincipal(ctx.principal), adminUserId: target.adminUserId });
    return this.payload(ctx, target.merchantId, input.customerId, result.status);
  }

  private async payload(ctx: Context, merchantId: string, customerId: string, status: string): Promise<VipTierOverridePayload> {
    switch (status) {
      case 'customer_not_found':
        return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No customer with that id in this shop', ['input', 'customerId'])] };
      case 'tier_not_found':
        return { userErrors: [userError(UserErrorCode.NOT_FOUND, 'No VIP tier with that id in this shop', ['input', 'tierId'])] };
      case 'no_override':
        return { userErrors: [userError(UserErrorCode.INVALID, 'This customer has no override to clear', ['input', 'customerId'])] };
    }
    const tctx = await loadTierContext(ctx.db.db, merchantId);
    const cur = (await currentTiers(ctx, ctx.db.db, tctx!, [customerId])).get(customerId)!;
    return { customerId, vipStatus: toVipStatus(cur, tctx!, true), userErrors: [] };
  }
}

const KINDS: readonly TierThresholdKind[] = ['money_spent', 'points_earned', 'order_count'];
const WINDOWS: readonly TierQualificationWindow[] = ['lifetime', 'rolling_12_months', 'calendar_year'];

@Resolver()
export class VipTierPreviewResolver {
  @Authorized('merchant')
  @Query(() => VipTierPreview, { description: 'How many members would sit in each tier with these thresholds, from current data; nothing is saved.' })
  async vipTierPreview(@Arg('input', () => VipTierPreviewInput) input: VipTierPreviewInput, @Ctx() ctx: Context): Promise<VipTierPreview> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const kind = input.thresholdKind as TierThresholdKind;
    const windowKind = input.qualificationWindow as TierQualificationWindow;
    if (!KINDS.includes(kind) || !WINDOWS.includes(windowKind)) throw badInput('unknown threshold kind or window');
    const t = input.thresholds;
    if (!t.length || t.length > 50) throw badInput('thresholds must list 1 to 50 tiers', 'thresholds');
    if (t.some((x) => !Number.isSafeInteger(x) || x < 0)) throw badInput('thresholds must be whole numbers of at least 0', 'thresholds');
    for (let i = 1; i < t.length; i++) {
      if (t[i] <= t[i - 1]) throw badInput(`thresholds must be strictly increasing: tier ${i + 1} (${t[i]}) must be above tier ${i} (${t[i - 1]})`, 'thresholds');
    }
    const base = await loadTierContext(ctx.db.db, merchantId);
    if (!base) throw forbidden();
    const tiers: TierDef[] = t.map((threshold, i) => ({
      id: `t${i}`, name: `t${i}`, position: i, threshold, kind, window: windowKind, multiplierBp: 10_000, retentionDays: null, entryPoints: null, entryRewardId: null, perks: [],
    }));
    const tctx: TierContext = { ...base, tiers };
    const window = qualificationWindow(windowKind, new Date(), base.timeZone);
    const counts = t.map((threshold, i) => {
      const upper = t[i + 1];
      return sql`count(*) filter (where coalesce(v.value, 0) >= ${threshold}${upper !== undefined ? sql` and coalesce(v.value, 0) < ${upper}` : sql``})::int`;
    });
    const [row] = await ctx.db.rows<Record<string, number>>(sql`
      with v as (${tierValueQuery(tctx, window, 'all')})
      select count(*)::int as total, count(*) filter (where coalesce(v.value, 0) < ${t[0]})::int as below,
        ${sql.join(counts.map((c, i) => sql`${c} as ${sql.identifier(`b${i}`)}`), sql`, `)}
      from customers c left join v on v.customer_id = c.id
      where c.merchant_id = ${merchantId} and c.state = 'member'`);
    return {
      tiers: t.map((threshold, i) => ({ threshold, customers: Number(row?.[`b${i}`] ?? 0) })),
      belowLowest: Number(row?.below ?? 0),
      totalMembers: Number(row?.total ?? 0),
      windowStart: window.start,
    };
  }
}
