import { and, desc, eq, inArray, isNull, lt, lte, or, gt, type SQL } from 'drizzle-orm';
import { Arg, Args, ArgsType, Authorized, Ctx, Field, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { bonusCampaigns, customerSegments, merchants, newId, vipTiers, type CampaignConditions, type CampaignType } from '@herethere/db';
import { decodeCursor, pageSize, shopOf, toConnection, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { formatLocal } from '@herethere/runtime/zoned-time';
import {
  BonusCampaign, BonusCampaignConnection, BonusCampaignCreateInput, BonusCampaignEndInput, BonusCampaignPayload, BonusCampaignStatusEnum, BonusCampaignUpdateInput,
  type BonusCampaignConditionsInput,
} from './entity';
import { verifyCatalogIds } from './shopify';
import { readCollections, storeCollections } from './collections';
import { campaignErrors, parseCampaignTime, type CampaignDraft } from './validate';

type CampaignRow = typeof bonusCampaigns.$inferSelect;

const f = (name: string) => ['input', name];
const NOT_FOUND = () => userError(UserErrorCode.NOT_FOUND, 'No campaign with that id in this shop', f('id'));

function toView(r: CampaignRow, timeZone: string): BonusCampaign {
  return {
    id: r.id, merchantId: r.merchantId, name: r.name, type: r.type, status: r.status, multiplierBp: r.multiplierBp, bonusPoints: r.bonusPoints,
    goalMinor: r.goalMinor, currency: r.currency, productIds: r.productIds, collectionIds: r.collectionIds, tierIds: r.tierIds, segmentId: r.segmentId,
    conditions: { minOrderMinor: r.conditions.minOrderMinor ?? null, firstOrderOnly: r.conditions.firstOrderOnly ?? null, maxAwardsPerCustomer: r.conditions.maxAwardsPerCustomer ?? null },
    startsAt: r.startsAt, endsAt: r.endsAt, startsAtLocal: formatLocal(r.startsAt, timeZone), endsAtLocal: r.endsAt ? formatLocal(r.endsAt, timeZone) : null,
    timeZone, notifiedAt: r.notifiedAt, createdAt: r.createdAt,
  };
}

async function shopOfMerchant(ctx: Context, merchantId: string): Promise<{ timeZone: string; currency: string }> {
  const [m] = await ctx.db.db.select({ timeZone: merchants.timezone, currency: merchants.currency }).from(merchants).where(eq(merchants.id, merchantId));
  return { timeZone: m?.timeZone ?? 'UTC', currency: m?.currency ?? 'USD' };
}

function conditionsOf(input: BonusCampaignConditionsInput | null | undefined, current: CampaignConditions = {}): CampaignConditions {
  if (input === undefined) return current;
  if (input === null) return {};
  const out: CampaignConditions = {};
  if (input.minOrderMinor !== null && input.minOrderMinor !== undefined) out.minOrderMinor = input.minOrderMinor;
  if (input.firstOrderOnly) out.firstOrderOnly = true;
  if (input.maxAwardsPerCustomer !== null && input.maxAwardsPerCustomer !== undefined) out.maxAwardsPerCustomer = input.maxAwardsPerCustomer;
  return out;
}

const uniq = (ids: readonly string[] | null | undefined) => [...new Set((ids ?? []).map((s) => s.trim()))];

/**
 * Everything about a campaign that needs the database or Shopify: tiers and segment of this shop,
 * products and collections in its catalogue. Format problems are reported by `campaignErrors` first.
 */
async function referenceErrors(ctx: Context, merchantId: string, d: CampaignDraft, changed: { catalog: boolean }): Promise<UserError[]> {
  const errors: UserError[] = [];
  if (d.tierIds.length) {
    const found = await ctx.db.db.select({ id: vipTiers.id }).from(vipTiers).where(and(eq(vipTiers.merchantId, merchantId), inArray(vipTiers.id, d.tierIds)));
    const missing = d.tierIds.filter((id) => !found.some((r) => r.id === id));
    if (missing.length) errors.push(userError(UserErrorCode.NOT_FOUND, `No VIP tier ${missing.join(', ')} in this shop`, f('tierIds')));
  }
  if (d.segmentId) {
    const [s] = await ctx.db.db.select({ id: customerSegments.id }).from(customerSegments).where(and(eq(customerSegments.merchantId, merchantId), eq(customerSegments.id, d.segmentId)));
    if (!s) errors.push(userError(UserErrorCode.NOT_FOUND, 'No customer segment with that id in this shop', f('segmentId')));
  }
  if (changed.catalog && (d.productIds.length || d.collectionIds.length)) {
    const check = await verifyCatalogIds(ctx, merchantId, d.productIds, d.collectionIds);
    if (check.status === 'unavailable') {
      errors.push(userError(UserErrorCode.UNAVAILABLE, `Could not check the products and collections with Shopify; try again (${check.message})`, f('productIds')));
    } else if (check.status === 'verified' && check.missing.length) {
      const products = check.missing.filter((id) => d.productIds.includes(id));
      const collections = check.missing.filter((id) => d.collectionIds.includes(id));
      if (products.length) errors.push(userError(UserErrorCode.NOT_FOUND, `Unknown product${products.length > 1 ? 's' : ''} in this shop: ${products.join(', ')}`, f('productIds')));
      if (collections.length) errors.push(userError(UserErrorCode.NOT_FOUND, `Unknown collection${collections.length > 1 ? 's' : ''} in this shop: ${collections.join(', ')}`, f('collectionIds')));
    }
  }
  return errors;
}

/**
 * The products of the campaign's collections, read from Shopify so orders (which name products)
 * can match them; stored with the campaign. A shop without an Admin API token has nothing to read.
 */
async function collectionMembers(ctx: Context, merchantId: string, collectionIds: string[]): Promise<Map<string, string[]> | UserError> {
  if (!collectionIds.length) return new Map();
  const read = await readCollections(ctx, merchantId, collectionIds);
  if (read.status === 'unavailable') return userError(UserErrorCode.UNAVAILABLE, `Could not read the collections' products from Shopify; try again (${read.message})`, f('collectionIds'));
  return read.status === 'read' ? read.products : new Map();
}

@ArgsType()
class BonusCampaignsArgs {
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 20).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => BonusCampaignStatusEnum, { nullable: true }) status?: string;
}

@Resolver(() => BonusCampaign)
export class BonusCampaignResolver {
  @Authorized('merchant', 'developer')
  @Query(() => BonusCampaignConnection, { description: 'The shop’s campaigns, newest first.' })
  async bonusCampaigns(@Args(() => BonusCampaignsArgs) args: BonusCampaignsArgs, @Ctx() ctx: Context) {
    const { merchantId } = shopOf(ctx, 'merchant', 'developer');
    const first = pageSize(args.first);
    const after = decodeCursor(args.after);
    const where: SQL[] = [eq(bonusCampaigns.merchantId, merchantId)];
    if (after) where.push(lt(bonusCampaigns.id, after));
    if (args.status) where.push(eq(bonusCampaigns.status, args.status as CampaignRow['status']));
    const rows = await ctx.db.db.select().from(bonusCampaigns).where(and(...where)).orderBy(desc(bonusCampaigns.id)).limit(first + 1);
    const { timeZone } = await shopOfMerchant(ctx, merchantId);
    return toConnection(rows.map((r) => toView(r, timeZone)), first, (r) => r.id, undefined, Boolean(after));
  }

  @Authorized('merchant', 'developer')
  @Query(() => BonusCampaign, { nullable: true, description: 'One of the shop’s campaigns; null when the shop has no such campaign.' })
  async bonusCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<BonusCampaign | null> {
    const { merchantId } = shopOf(ctx, 'merchant', 'developer');
    const [row] = await ctx.db.db.select().from(bonusCampaigns).where(and(eq(bonusCampaigns.merchantId, merchantId), eq(bonusCampaigns.id, id)));
    return row ? toView(row, (await shopOfMerchant(ctx, merchantId)).timeZone) : null;
  }

  @Authorized('customer', 'visitor', 'merchant', 'developer')
  @Query(() => [BonusCampaign], { description: 'Campaigns running now (for the widget: "double points this weekend").' })
  async activeBonusCampaigns(@Ctx() ctx: Context): Promise<BonusCampaign[]> {
    const { merchantId } = shopOf(ctx);
    const now = new Date();
    const rows = await ctx.db.db.select().from(bonusCampaigns).where(and(
      eq(bonusCampaigns.merchantId, merchantId), inArray(bonusCampaigns.status, ['scheduled', 'active']),
      lte(bonusCampaigns.startsAt, now), or(isNull(bonusCampaigns.endsAt), gt(bonusCampaigns.endsAt, now)),
    )).orderBy(bonusCampaigns.startsAt);
    const { timeZone } = await shopOfMerchant(ctx, merchantId);
    return rows.map((r) => toView(r, timeZone));
  }

  @Authorized('merchant')
  @Mutation(() => BonusCampaignPayload, { description: 'Schedules a campaign (active at once when its start has come). Eligible customers are told when it starts.' })
  async bonusCampaignCreate(@Arg('input', () => BonusCampaignCreateInput) input: BonusCampaignCreateInput, @Ctx() ctx: Context): Promise<BonusCampaignPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const shop = await shopOfMerchant(ctx, merchantId);
    const now = new Date();
    const errors: UserError[] = [];
    const startsAt = parseCampaignTime(input.startsAt, shop.timeZone);
    const endsAt = input.endsAt ? parseCampaignTime(input.endsAt, shop.timeZone) : null;
    if (!startsAt) errors.push(userError(UserErrorCode.INVALID, 'startsAt must be a date-time such as 2025-11-28T00:00 (shop time) or an ISO 8601 instant with an offset', f('startsAt')));
    if (input.endsAt && !endsAt) errors.push(userError(UserErrorCode.INVALID, 'endsAt must be a date-time such as 2025-12-01T00:00 (shop time) or an ISO 8601 instant with an offset', f('endsAt')));
    if (errors.length) return { userErrors: errors };
    const draft: CampaignDraft = {
      name: input.name.trim(), type: input.type as CampaignType, multiplierBp: input.multiplierBp ?? null, bonusPoints: input.bonusPoints ?? null,
      goalMinor: input.goalMinor ?? null, productIds: uniq(input.productIds), collectionIds: uniq(input.collectionIds), tierIds: uniq(input.tierIds),
      segmentId: input.segmentId ?? null, conditions: conditionsOf(input.conditions), startsAt: startsAt!, endsAt,
    };
    errors.push(...campaignErrors(draft, now));
    if (!errors.length) errors.push(...(await referenceErrors(ctx, merchantId, draft, { catalog: true })));
    if (errors.length) return { userErrors: errors };
    const members = await collectionMembers(ctx, merchantId, draft.collectionIds);
    if (members instanceof UserError) return { userErrors: [members] };
    const [row] = await ctx.db.db.transaction(async (tx) => {
      await storeCollections(tx, merchantId, members, now);
      return tx.insert(bonusCampaigns).values({
        merchantId, id: newId('campaign'), name: draft.name, type: draft.type, multiplierBp: draft.multiplierBp, bonusPoints: draft.bonusPoints,
        goalMinor: draft.goalMinor, currency: draft.goalMinor !== null ? shop.currency : null, productIds: draft.productIds, collectionIds: draft.collectionIds,
        tierIds: draft.tierIds, segmentId: draft.segmentId, conditions: draft.conditions, startsAt: draft.startsAt, endsAt: draft.endsAt,
        status: draft.startsAt.getTime() <= now.getTime() ? 'active' : 'scheduled',
      }).returning();
    });
    return { bonusCampaign: toView(row, shop.timeZone), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => BonusCampaignPayload, { description: 'Changes a scheduled or running campaign.' })
  async bonusCampaignUpdate(@Arg('input', () => BonusCampaignUpdateInput) input: BonusCampaignUpdateInput, @Ctx() ctx: Context): Promise<BonusCampaignPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const [current] = await ctx.db.db.select().from(bonusCampaigns).where(and(eq(bonusCampaigns.merchantId, merchantId), eq(bonusCampaigns.id, input.id)));
    if (!current) return { userErrors: [NOT_FOUND()] };
    if (!['draft', 'scheduled', 'active', 'paused'].includes(current.status)) {
      return { userErrors: [userError(UserErrorCode.CONFLICT, `this campaign is ${current.status}; it can no longer change`, f('id'))] };
    }
    const shop = await shopOfMerchant(ctx, merchantId);
    const now = new Date();
    const errors: UserError[] = [];
    const startsAt = input.startsAt !== undefined ? parseCampaignTime(input.startsAt, shop.timeZone) : current.startsAt;
    const endsAt = input.endsAt === undefined ? current.endsAt : input.endsAt === null ? null : parseCampaignTime(input.endsAt, shop.timeZone);
    if (!startsAt) errors.push(userError(UserErrorCode.INVALID, 'startsAt must be a date-time such as 2025-11-28T00:00 (shop time) or an ISO 8601 instant with an offset', f('startsAt')));
    if (input.endsAt && !endsAt) errors.push(userError(UserErrorCode.INVALID, 'endsAt must be a date-time such as 2025-12-01T00:00 (shop time) or an ISO 8601 instant with an offset', f('endsAt')));
    const started = current.startsAt.getTime() <= now.getTime();
    if (startsAt && started && startsAt.getTime() !== current.startsAt.getTime()) {
      errors.push(userError(UserErrorCode.CONFLICT, 'the campaign has started; its start can no longer move', f('startsAt')));
    }
    if (errors.length) return { userErrors: errors };
    const pick = <T>(v: T | undefined, cur: T): T => (v === undefined ? cur : v);
    const draft: CampaignDraft = {
      name: (input.name ?? current.name).trim(), type: current.type,
      multiplierBp: pick(input.multiplierBp, current.multiplierBp), bonusPoints: pick(input.bonusPoints, current.bonusPoints), goalMinor: pick(input.goalMinor, current.goalMinor),
      productIds: input.productIds !== undefined ? uniq(input.productIds) : current.productIds,
      collectionIds: input.collectionIds !== undefined ? uniq(input.collectionIds) : current.collectionIds,
      tierIds: input.tierIds !== undefined ? uniq(input.tierIds) : current.tierIds,
      segmentId: pick(input.segmentId, current.segmentId), conditions: conditionsOf(input.conditions, current.conditions), startsAt: startsAt!, endsAt,
    };
    errors.push(...campaignErrors(draft, now));
    const catalogChanged = input.productIds !== undefined || input.collectionIds !== undefined;
    if (!errors.length) errors.push(...(await referenceErrors(ctx, merchantId, draft, { catalog: catalogChanged })));
    if (errors.length) return { userErrors: errors };
    const members = catalogChanged ? await collectionMembers(ctx, merchantId, draft.collectionIds) : new Map<string, string[]>();
    if (members instanceof UserError) return { userErrors: [members] };
    const [row] = await ctx.db.db.transaction(async (tx) => {
      await storeCollections(tx, merchantId, members, now);
      return tx.update(bonusCampaigns).set({
        name: draft.name, multiplierBp: draft.multiplierBp, bonusPoints: draft.bonusPoints, goalMinor: draft.goalMinor,
        currency: draft.goalMinor !== null ? shop.currency : null, productIds: draft.productIds, collectionIds: draft.collectionIds, tierIds: draft.tierIds,
        segmentId: draft.segmentId, conditions: draft.conditions, startsAt: draft.startsAt, endsAt: draft.endsAt,
        status: current.status === 'scheduled' && draft.startsAt.getTime() <= now.getTime() ? 'active' : current.status,
        updatedAt: now,
      }).where(and(eq(bonusCampaigns.merchantId, merchantId), eq(bonusCampaigns.id, current.id), eq(bonusCampaigns.status, current.status))).returning();
    });
    if (!row) return { userErrors: [userError(UserErrorCode.CONFLICT, 'the campaign changed meanwhile; reload and try again', f('id'))] };
    return { bonusCampaign: toView(row, shop.timeZone), userErrors: [] };
  }

  @Authorized('merchant')
  @Mutation(() => BonusCampaignPayload, { description: 'Ends a running campaign now (orders placed before now still earn from it); a campaign that has not started is cancelled.' })
  async bonusCampaignEnd(@Arg('input', () => BonusCampaignEndInput) input: BonusCampaignEndInput, @Ctx() ctx: Context): Promise<BonusCampaignPayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    const [current] = await ctx.db.db.select().from(bonusCampaigns).where(and(eq(bonusCampaigns.merchantId, merchantId), eq(bonusCampaigns.id, input.id)));
    if (!current) return { userErrors: [NOT_FOUND()] };
    if (current.status === 'ended' || current.status === 'cancelled') return { userErrors: [userError(UserErrorCode.CONFLICT, `this campaign is already ${current.status}`, f('id'))] };
    const now = new Date();
    const started = current.startsAt.getTime() < now.getTime();
    const [row] = await ctx.db.db.update(bonusCampaigns).set(started
      ? { status: 'ended', endsAt: current.endsAt && current.endsAt.getTime() < now.getTime() ? current.endsAt : now, updatedAt: now }
      : { status: 'cancelled', updatedAt: now },
    ).where(and(eq(bonusCampaigns.merchantId, merchantId), eq(bonusCampaigns.id, current.id), eq(bonusCampaigns.status, current.status))).returning();
    if (!row) return { userErrors: [userError(UserErrorCode.CONFLICT, 'the campaign changed meanwhile; reload and try again', f('id'))] };
    return { bonusCampaign: toView(row, (await shopOfMerchant(ctx, merchantId)).timeZone), userErrors: [] };
  }
}

/** Another subgraph's campaign reference: only the caller's own shop resolves (admins any). */
export async function resolveBonusCampaignReference(ref: { id: string }, ctx: Context): Promise<BonusCampaign | null> {
  const p = ctx.principal;
  const where = p.kind === 'admin' ? eq(bonusCampaigns.id, ref.id)
    : 'merchantId' in p ? and(eq(bonusCampaigns.merchantId, p.merchantId), eq(bonusCampaigns.id, ref.id)) : undefined;
  if (!where) return null;
  const [row] = await ctx.db.db.select().from(bonusCampaigns).where(where);
  return row ? toView(row, (await shopOfMerchant(ctx, row.merchantId)).timeZone) : null;
}

