import { sql, type SQL } from 'drizzle-orm';
import { newIdSql, type BadgeRule, type DbOrTx, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';

/** An enabled badge definition as the awarding code needs it. */
export interface BadgeDef {
  id: string;
  name: string;
  rule: BadgeRule;
}

export interface Awarded {
  customerId: string;
  badgeId: string;
  badge: string;
}

/** Order statuses that count as an order a customer made (not cancelled, not fully refunded). */
const COUNTED_ORDER = sql`status in ('paid', 'partially_refunded')`;

/**
 * Awards the badges of a set-returning query `(customer_id, badge_id)` idempotently — the unique
 * (merchant, customer, badge) key turns a repeat into nothing — and enqueues one `badge_awarded`
 * notification per badge actually awarded, in the caller's transaction.
 */
async function awardFrom(deps: Pick<Deps, 'db'>, tx: DbOrTx, merchantId: string, pairs: SQL): Promise<Awarded[]> {
  const rows = await deps.db.rows<{ customer_id: string; badge_id: string; badge: string }>(sql`
    with a as (${pairs}),
    ins as (
      insert into gamification_achievements (merchant_id, id, customer_id, badge_id, badge)
      select ${merchantId}, ${newIdSql('achievement')}, a.customer_id, b.id, b.name
      from (select distinct customer_id, badge_id from a) a
      join badge_definitions b on b.merchant_id = ${merchantId} and b.id = a.badge_id and b.enabled
      join customers c on c.merchant_id = ${merchantId} and c.id = a.customer_id
      on conflict do nothing
      returning customer_id, badge_id, badge
    ),
    note as (
      insert into notification_outbox (merchant_id, id, customer_id, kind, channel, payload, dedupe_key)
      select ${merchantId}, ${newIdSql('outbox')}, customer_id, 'badge_awarded', 'email',
        jsonb_build_object('badgeId', badge_id, 'badge', badge), 'badge_awarded:' || customer_id || ':' || badge_id
      from ins
      on conflict do nothing
    )
    select customer_id, badge_id, badge from ins`, tx);
  return rows.map((r) => ({ customerId: r.customer_id, badgeId: r.badge_id, badge: r.badge }));
}

/** Awards explicit (customer, badge) pairs. */
export async function awardBadges(deps: Pick<Deps, 'db'>, tx: DbOrTx, merchantId: string, awards: readonly { customerId: string; badgeId: string }[]): Promise<Awarded[]> {
  if (!awards.length) return [];
  const json = JSON.stringify(awards.map((a) => ({ customer_id: a.customerId, badge_id: a.badgeId })));
  return awardFrom(deps, tx, merchantId, sql`select * from jsonb_to_recordset(${json}::jsonb) as x(customer_id text, badge_id text)`);
}

/** Longest run of consecutive calendar months in a sorted list of month indexes (year * 12 + month). */
export function longestMonthRun(months: readonly number[]): number {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  let best = 0;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i] === sorted[i - 1] + 1 ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

export interface BadgeTrigger {
  /** An order was recorded, paid, refunded or cancelled: first purchase, order counts, streaks. */
  orders?: boolean;
  reviews?: boolean;
  referrals?: boolean;
}

const KINDS_FOR = (t: BadgeTrigger): Set<string> => {
  const kinds = new Set<string>();
  if (t.orders) ['first_purchase', 'orders_count', 'streak'].forEach((k) => kinds.add(k));
  if (t.reviews) kinds.add('reviews');
  if (t.referrals) kinds.add('referrals');
  return kinds;
};

/**
 * Checks the badges an event can earn for one customer and awards those now met. Counts are read
 * in the caller's transaction, so the order, review or referral that triggered this is included.
 * Streaks are consecutive calendar months, in the merchant's time zone, each with a counted order.
 */
export async function evaluateCustomerBadges(
  deps: Pick<Deps, 'db'>,
  tx: Tx,
  args: { merchantId: string; customerId: string; timeZone: string; defs: readonly BadgeDef[]; trigger: BadgeTrigger },
): Promise<Awarded[]> {
  const kinds = KINDS_FOR(args.trigger);
  const relevant = args.defs.filter((d) => kinds.has(d.rule.kind));
  if (!relevant.length) return [];
  const { merchantId, customerId } = args;
  const ids = sql.join(relevant.map((d) => sql`${d.id}`), sql`, `);
  const have = await deps.db.rows<{ badge_id: string }>(
    sql`select badge_id from gamification_achievements where merchant_id = ${merchantId} and customer_id = ${customerId} and badge_id in (${ids})`,
    tx,
  );
  const owned = new Set(have.map((r) => r.badge_id));
  const pending = relevant.filter((d) => !owned.has(d.id));
  if (!pending.length) return [];
  const need = new Set(pending.map((d) => d.rule.kind));

  const counts: Record<string, number> = {};
  if (need.has('first_purchase') || need.has('orders_count')) {
    const [r] = await deps.db.rows<{ n: number }>(sql`select count(*)::int as n from orders where merchant_id = ${merchantId} and customer_id = ${customerId} and ${COUNTED_ORDER}`, tx);
    counts.orders = Number(r?.n ?? 0);
  }
  if (need.has('streak')) {
    const rows = await deps.db.rows<{ m: number }>(sql`
      select distinct (extract(year from processed_at at time zone ${args.timeZone}) * 12 + extract(month from processed_at at time zone ${args.timeZone}) - 1)::int as m
      from orders where merchant_id = ${merchantId} and customer_id = ${customerId} and ${COUNTED_ORDER}`, tx);
    counts.streak = longestMonthRun(rows.map((r) => Number(r.m)));
  }
  if (need.has('reviews')) {
    const [r] = await deps.db.rows<{ n: number }>(sql`select count(*)::int as n from points_transactions where merchant_id = ${merchantId} and customer_id = ${customerId} and type = 'review'`, tx);
    counts.reviews = Number(r?.n ?? 0);
  }
  if (need.has('referrals')) {
    const [r] = await deps.db.rows<{ n: number }>(sql`select count(*)::int as n from referrals where merchant_id = ${merchantId} and advocate_customer_id = ${customerId} and status = 'completed'`, tx);
    counts.referrals = Number(r?.n ?? 0);
  }

  const met = pending.filter((d) => {
    switch (d.rule.kind) {
      case 'first_purchase': return counts.orders >= 1;
      case 'orders_count': return counts.orders >= (d.rule.threshold ?? Infinity);
      case 'streak': return counts.streak >= (d.rule.threshold ?? Infinity);
      case 'reviews': return counts.reviews >= (d.rule.threshold ?? Infinity);
      case 'referrals': return counts.referrals >= (d.rule.threshold ?? Infinity);
      default: return false;
    }
  });
  return awardBadges(deps, tx, merchantId, met.map((d) => ({ customerId, badgeId: d.id })));
}

/**
 * Set-based award of one badge to every customer who already meets its rule (run when a badge is
 * created, enabled or its rule changes), so nobody has to wait for their next order to get it.
 */
export async function backfillBadge(deps: Pick<Deps, 'db'>, tx: DbOrTx, merchantId: string, timeZone: string, def: BadgeDef): Promise<number> {
  const t = def.rule.threshold ?? 1;
  let who: SQL;
  switch (def.rule.kind) {
    case 'first_purchase':
    case 'orders_count':
      who = sql`select customer_id from orders where merchant_id = ${merchantId} and customer_id is not null and ${COUNTED_ORDER}
        group by customer_id having count(*) >= ${def.rule.kind === 'first_purchase' ? 1 : t}`;
      break;
    case 'reviews':
      who = sql`select customer_id from points_transactions where merchant_id = ${merchantId} and type = 'review' group by customer_id having count(*) >= ${t}`;
      break;
    case 'referrals':
      who = sql`select advocate_customer_id as customer_id from referrals where merchant_id = ${merchantId} and status = 'completed'
        group by advocate_customer_id having count(*) >= ${t}`;
      break;
    case 'tier_reached':
      who = sql`select s.customer_id from customer_tier_status s
        join vip_tiers held on held.merchant_id = s.merchant_id and held.id = s.tier_id
        join vip_tiers goal on goal.merchant_id = s.merchant_id and goal.id = ${def.rule.tierId ?? ''}
        where s.merchant_id = ${merchantId} and held.position >= goal.position`;
      break;
    case 'streak':
      who = sql`select customer_id from (
          select customer_id, mi - row_number() over (partition by customer_id order by mi) as grp from (
            select distinct customer_id, (extract(year from processed_at at time zone ${timeZone}) * 12 + extract(month from processed_at at time zone ${timeZone}) - 1)::int as mi
            from orders where merchant_id = ${merchantId} and customer_id is not null and ${COUNTED_ORDER}) m
        ) g group by customer_id, grp having count(*) >= ${t}`;
      break;
    default:
      return 0;
  }
  const awarded = await awardFrom(deps, tx, merchantId, sql`select distinct customer_id, ${def.id}::text as badge_id from (${who}) w`);
  return awarded.length;
}
