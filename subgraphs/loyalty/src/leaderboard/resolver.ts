import { Arg, Args, ArgsType, Authorized, Ctx, Field, FieldResolver, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { eq, sql } from 'drizzle-orm';
import { merchants } from '@herethere/db';
import { badInput, ConnectionType, customerOf, decodeCursor, forbidden, pageSize, shopOf, toConnection, UserError, type Context } from '@herethere/runtime';
import { Customer } from '../customer/entity';
import { customerByKey, loadCustomer, type CustomerRow } from '../customer/data';
import { invalidateCustomer } from '../customer/cache';
import { mayReadHistory } from '../history/resolver';
import { periodKey, type LeaderboardPeriodName } from './keys';
import { leaderboardPage, standing } from './rank';
import { setLeaderboardOptOut } from './store';

export enum LeaderboardPeriodEnum {
  WEEK = 'week',
  MONTH = 'month',
  ALL_TIME = 'all',
}
registerEnumType(LeaderboardPeriodEnum, { name: 'LeaderboardPeriod', description: 'Points earned this week (ISO week, Monday first), this calendar month — both in the shop’s time zone — or ever.' });

@ObjectType({ description: 'Where a customer stands on the leaderboard for a period.' })
export class LeaderboardStanding {
  @Field(() => LeaderboardPeriodEnum) period!: string;
  @Field(() => Int, { nullable: true, description: '1 + customers with more points (ties share a rank); null when opted out or with no points in the period.' }) rank?: number | null;
  @Field(() => Int, { description: 'Customers ranked in the period (points above zero, not opted out).' }) total!: number;
  @Field(() => Int, { description: 'Points earned in the period, net of clawbacks.' }) points!: number;
  @Field(() => Boolean) optedOut!: boolean;
}

@ObjectType({ description: 'One line of the leaderboard; other customers’ names are masked ("Ada L.").' })
export class LeaderboardEntry {
  @Field(() => Int) rank!: number;
  @Field(() => String) name!: string;
  @Field(() => Int) points!: number;
  @Field(() => Boolean, { description: 'True on the signed-in customer’s own line.' }) isYou!: boolean;
}

export const LeaderboardEntryConnection = ConnectionType(LeaderboardEntry, 'LeaderboardEntry');

@ArgsType()
class LeaderboardArgs {
  @Field(() => LeaderboardPeriodEnum) period!: string;
  @Field(() => Int, { nullable: true, description: 'Page size, 1 to 100 (default 10).' }) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
}

@InputType()
class LeaderboardOptOutInput {
  @Field(() => Boolean, { description: 'True leaves the leaderboard (your name and rank are no longer shown); false joins it again.' }) optOut!: boolean;
}

@ObjectType()
class LeaderboardOptOutPayload {
  @Field(() => Boolean, { nullable: true }) optedOut?: boolean | null;
  @Field(() => Customer, { nullable: true }) customer?: CustomerRow | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

const INT_MAX = 2_147_483_647;
const clamp = (n: number) => Math.max(-INT_MAX, Math.min(INT_MAX, n));

const timeZoneOf = (ctx: Context, merchantId: string) =>
  ctx.loader<string, string>('merchant.timezone', async (ids) => {
    const rows = await Promise.all(ids.map((id) => ctx.db.db.select({ tz: merchants.timezone }).from(merchants).where(eq(merchants.id, id))));
    return rows.map((r) => r[0]?.tz ?? 'UTC');
  }).load(merchantId);

/** Page position: (points, customer id) of the last line seen. */
const encode = (points: number, customerId: string) => `lb:${points}:${customerId}`;
function decode(cursor: string | null | undefined): { points: number; customerId: string } | undefined {
  const raw = decodeCursor(cursor);
  if (!raw) return undefined;
  const m = /^lb:(-?\d+):([a-z]+_[0-9a-z]+)$/.exec(raw);
  if (!m) throw badInput('after is not a valid cursor', 'after');
  return { points: Number(m[1]), customerId: m[2] };
}

@Resolver(() => Customer)
export class CustomerLeaderboardResolver {
  @FieldResolver(() => LeaderboardStanding, { description: 'The customer’s rank and the number of ranked customers for a period.' })
  async leaderboard(
    @Root() customer: CustomerRow,
    @Arg('period', () => LeaderboardPeriodEnum, { defaultValue: LeaderboardPeriodEnum.ALL_TIME }) period: string,
    @Ctx() ctx: Context,
  ): Promise<LeaderboardStanding> {
    if (!mayReadHistory(ctx.principal, customer)) throw forbidden('Not allowed to read this customer’s leaderboard standing');
    const p = period as LeaderboardPeriodName;
    const key = p === 'all' ? 'all' : periodKey(p, new Date(), await timeZoneOf(ctx, customer.merchantId));
    const s = await standing(ctx, customer.merchantId, customer.id, p, key);
    return { period: p, rank: s.rank, total: s.total, points: clamp(s.points), optedOut: s.optedOut };
  }
}

@Resolver()
export class LeaderboardResolver {
  @Authorized('customer', 'visitor', 'merchant', 'developer:read_customers')
  @Query(() => LeaderboardEntryConnection, { description: 'The shop’s leaderboard for a period, best first, names masked; opted-out customers are left out.' })
  async leaderboard(@Args(() => LeaderboardArgs) args: LeaderboardArgs, @Ctx() ctx: Context) {
    const shop = shopOf(ctx);
    const first = pageSize(args.first, 10);
    const p = args.period as LeaderboardPeriodName;
    const key = p === 'all' ? 'all' : periodKey(p, new Date(), await timeZoneOf(ctx, shop.merchantId));
    const after = decode(args.after);
    const rows = await leaderboardPage(ctx, shop.merchantId, p, key, first + 1, after);
    const me = shop.kind === 'customer' ? shop.customerId : null;
    const [head] = await ctx.db.rows<{ total: number }>(
      sql`select coalesce(sum(n), 0)::float8 as total from leaderboard_histogram where merchant_id = ${shop.merchantId} and period = ${p} and period_key = ${key} and level = 2`);
    const items = rows.map((r) => ({ rank: r.rank, name: r.name, points: clamp(r.points), isYou: r.customerId === me, cursor: encode(r.points, r.customerId) }));
    return toConnection(items, first, (r) => r.cursor, Number(head?.total ?? 0), Boolean(after));
  }

  @Authorized('customer')
  @Mutation(() => LeaderboardOptOutPayload, { description: 'Leaves (or rejoins) the leaderboard: while out, the name and rank are shown nowhere.' })
  async leaderboardOptOut(@Arg('input', () => LeaderboardOptOutInput) input: LeaderboardOptOutInput, @Ctx() ctx: Context): Promise<LeaderboardOptOutPayload> {
    const p = customerOf(ctx);
    if (await setLeaderboardOptOut(ctx, p.merchantId, p.customerId, input.optOut)) await invalidateCustomer(ctx, p.merchantId, p.customerId);
    customerByKey(ctx).clear(`${p.merchantId}/${p.customerId}`);
    const customer = await loadCustomer(ctx, p.merchantId, p.customerId);
    return { optedOut: customer?.leaderboardOptOut ?? input.optOut, customer, userErrors: [] };
  }
}

