import { sql } from 'drizzle-orm';
import type { Deps } from '@herethere/runtime';
import { maskedName, type LeaderboardPeriodName } from './keys';

export interface Standing {
  period: LeaderboardPeriodName;
  periodKey: string;
  points: number;
  /** 1 + customers with strictly more points (ties share a rank); null when opted out or with no points yet. */
  rank: number | null;
  /** Customers ranked in the period (points above zero, not opted out). */
  total: number;
  optedOut: boolean;
}

/**
 * One customer's rank in one statement: their score, then three bounded sums over the histogram
 * (millions above, thousands above within their million, exact scores above within their thousand),
 * so the cost does not grow with the number of customers.
 */
export async function standing(deps: Pick<Deps, 'db'>, merchantId: string, customerId: string, period: LeaderboardPeriodName, periodKey: string): Promise<Standing> {
  const h = sql`leaderboard_histogram h where h.merchant_id = ${merchantId} and h.period = ${period} and h.period_key = ${periodKey}`;
  const [row] = await deps.db.rows<{ points: number; opted_out: boolean | null; total: number; above: number | null }>(sql`
    with me as (
      select coalesce((select points from leaderboard_scores where merchant_id = ${merchantId} and period = ${period}
                         and period_key = ${periodKey} and customer_id = ${customerId}), 0) as s,
             (select leaderboard_opt_out from customers where merchant_id = ${merchantId} and id = ${customerId}) as opted
    )
    select me.s::float8 as points, me.opted as opted_out,
      (select coalesce(sum(h.n), 0) from ${h} and h.level = 2)::float8 as total,
      case when me.s > 0 and me.opted is false then (
          (select coalesce(sum(h.n), 0) from ${h} and h.level = 2 and h.bucket > me.s / 1000000)
        + (select coalesce(sum(h.n), 0) from ${h} and h.level = 1 and h.bucket > me.s / 1000 and h.bucket < (me.s / 1000000 + 1) * 1000)
        + (select coalesce(sum(h.n), 0) from ${h} and h.level = 0 and h.bucket > me.s and h.bucket < (me.s / 1000 + 1) * 1000)
      )::float8 end as above
    from me`);
  const optedOut = row?.opted_out === true;
  return {
    period,
    periodKey,
    points: Number(row?.points ?? 0),
    rank: row?.above === null || row?.above === undefined ? null : Number(row.above) + 1,
    total: Number(row?.total ?? 0),
    optedOut,
  };
}

export interface LeaderboardRow {
  rank: number;
  name: string;
  points: number;
  customerId: string;
}

/**
 * The top of a period's leaderboard, best first, ties by customer id; names masked. Ranks are
 * competition ranks, exact across pages: the first row's from the histogram, the next distinct
 * score's from it plus how many customers hold the score above it.
 */
export async function leaderboardPage(
  deps: Pick<Deps, 'db'>,
  merchantId: string,
  period: LeaderboardPeriodName,
  periodKey: string,
  first: number,
  after?: { points: number; customerId: string },
): Promise<LeaderboardRow[]> {
  const rows = await deps.db.rows<{ customer_id: string; points: number; first_name: string | null; last_name: string | null }>(sql`
    select s.customer_id, s.points::float8 as points, c.first_name, c.last_name
    from leaderboard_scores s join customers c on c.merchant_id = s.merchant_id and c.id = s.customer_id
    where s.merchant_id = ${merchantId} and s.period = ${period} and s.period_key = ${periodKey} and s.points > 0 and not c.leaderboard_opt_out
      ${after ? sql`and (s.points < ${after.points} or (s.points = ${after.points} and s.customer_id > ${after.customerId}))` : sql``}
    order by s.points desc, s.customer_id asc
    limit ${first}`);
  if (!rows.length) return [];
  const distinct = [...new Set(rows.map((r) => Number(r.points)))];
  const h = sql`leaderboard_histogram h where h.merchant_id = ${merchantId} and h.period = ${period} and h.period_key = ${periodKey}`;
  const top = distinct[0];
  const [head] = await deps.db.rows<{ above: number }>(sql`
    select (
        (select coalesce(sum(h.n), 0) from ${h} and h.level = 2 and h.bucket > ${Math.floor(top / 1_000_000)})
      + (select coalesce(sum(h.n), 0) from ${h} and h.level = 1 and h.bucket > ${Math.floor(top / 1000)} and h.bucket < ${(Math.floor(top / 1_000_000) + 1) * 1000})
      + (select coalesce(sum(h.n), 0) from ${h} and h.level = 0 and h.bucket > ${top} and h.bucket < ${(Math.floor(top / 1000) + 1) * 1000})
    )::float8 as above`);
  const exact = await deps.db.rows<{ bucket: number; n: number }>(sql`
    select h.bucket::float8 as bucket, h.n from ${h} and h.level = 0 and h.bucket in (${sql.join(distinct.map((d) => sql`${d}`), sql`, `)})`);
  const atScore = new Map(exact.map((e) => [Number(e.bucket), Number(e.n)]));
  const rankOf = new Map<number, number>();
  let above = Number(head?.above ?? 0);
  for (let i = 0; i < distinct.length; i++) {
    if (i > 0) above += atScore.get(distinct[i - 1]) ?? 0;
    rankOf.set(distinct[i], above + 1);
  }
  return rows.map((r) => ({ customerId: r.customer_id, points: Number(r.points), rank: rankOf.get(Number(r.points))!, name: maskedName(r.first_name, r.last_name) }));
}
