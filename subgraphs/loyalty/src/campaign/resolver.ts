import { and, eq, sql } from 'drizzle-orm';
import { Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { bonusCampaigns, merchants } from '@herethere/db';
import type { Context } from '@herethere/runtime';

/** merchant-config owns campaign definitions; loyalty adds what they earned. */
@ObjectType({ description: 'A time-boxed points promotion.' })
@Directive('@key(fields: "id")')
export class BonusCampaign {
  @Field(() => ID) id!: string;
  merchantId!: string;
}

@ObjectType({ description: 'What a campaign caused: points issued (net of clawbacks), orders and customers that earned from it, and their revenue net of refunds.' })
export class BonusCampaignPerformance {
  @Field(() => Int) pointsIssued!: number;
  @Field(() => Int) orders!: number;
  @Field(() => Int) customers!: number;
  @Field(() => Int, { description: 'Revenue of the attributed orders, net of refunds, in minor units of `currency`.' }) revenueMinor!: number;
  @Field(() => String) currency!: string;
}

/** Only the campaign's own shop resolves it (admins any), so a forged reference reveals nothing. */
export async function resolveCampaignReference(ref: { id: string }, ctx: Context): Promise<BonusCampaign | null> {
  const p = ctx.principal;
  const where = p.kind === 'admin' ? eq(bonusCampaigns.id, ref.id)
    : 'merchantId' in p ? and(eq(bonusCampaigns.merchantId, p.merchantId), eq(bonusCampaigns.id, ref.id)) : undefined;
  if (!where) return null;
  const [row] = await ctx.db.db.select({ id: bonusCampaigns.id, merchantId: bonusCampaigns.merchantId }).from(bonusCampaigns).where(where);
  return row ?? null;
}

const INT_MAX = 2_147_483_647;
const clamp = (n: number) => Math.max(-INT_MAX, Math.min(INT_MAX, n));

export async function campaignPerformance(ctx: Pick<Context, 'db'>, merchantId: string, campaignId: string): Promise<BonusCampaignPerformance> {
  const [row] = await ctx.db.rows<{ points: number; orders: number; customers: number; revenue: number }>(sql`
    with a as (select order_id, customer_id, points from campaign_awards where merchant_id = ${merchantId} and campaign_id = ${campaignId}),
    o as (select order_id from a where order_id is not null group by order_id having sum(points) > 0)
    select coalesce((select sum(points) from a), 0)::float8 as points,
      (select count(*) from o)::float8 as orders,
      (select count(*) from (select customer_id from a group by customer_id having sum(points) > 0) c)::float8 as customers,
      coalesce((select sum(greatest(x.total_minor - x.refunded_minor, 0)) from orders x where x.merchant_id = ${merchantId} and x.id in (select order_id from o)), 0)::float8 as revenue`);
  const [m] = await ctx.db.db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, merchantId));
  return {
    pointsIssued: clamp(Number(row?.points ?? 0)),
    orders: clamp(Number(row?.orders ?? 0)),
    customers: clamp(Number(row?.customers ?? 0)),
    revenueMinor: clamp(Number(row?.revenue ?? 0)),
    currency: m?.currency ?? 'USD',
  };
}

@Resolver(() => BonusCampaign)
export class CampaignPerformanceResolver {
  @FieldResolver(() => BonusCampaignPerformance, { nullable: true, description: 'What the campaign earned; the shop (merchant, developer keys with read_analytics) and admins only.' })
  async performance(@Root() campaign: BonusCampaign, @Ctx() ctx: Context): Promise<BonusCampaignPerformance | null> {
    const p = ctx.principal;
    const allowed = p.kind === 'admin' || (p.kind === 'merchant' && p.merchantId === campaign.merchantId)
      || (p.kind === 'developer' && p.merchantId === campaign.merchantId && p.scopes.includes('read_analytics'));
    if (!allowed) return null;
    return campaignPerformance(ctx, campaign.merchantId, campaign.id);
  }
}
