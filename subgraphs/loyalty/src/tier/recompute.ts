import { sql, type SQL } from 'drizzle-orm';
import { newId, newIdSql, type Tx } from '@herethere/db';
import { topics, type Deps } from '@herethere/runtime';
import { awardBadges } from '../badge/award';
import { invalidateCustomer } from '../customer/cache';
import { loadStatuses, loadTierContext, tierValueQuery, tierValues, toStored, type StatusRow, type TierContext } from './data';
import { decideTier, qualificationWindow, type StoredTierStatus, type TierDecision, type TierMove } from './rules';

/** A tier move as written: the tier_changes row id and the names, for pushes and notifications. */
export interface AppliedMove extends TierMove {
  merchantId: string;
  customerId: string;
  changeId: string;
  fromName: string | null;
  toName: string | null;
  at: Date;
}

/** What a live subscriber is told when a customer's tier changes. Self-contained. */
export interface TierEventPayload {
  customerId: string;
  fromTierId: string | null;
  fromTierName: string | null;
  toTierId: string | null;
  toTierName: string | null;
  reason: string;
  changeId: string;
  at: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

interface Decided {
  customerId: string;
  decision: TierDecision;
}

/**
 * Writes decisions in a handful of set-based statements: the status rows, the tier_changes history
 * with its explanation, customers.vip_tier_id, one `tier_change` outbox notification per move, the
 * entry reward owed for a move up (once per customer and tier, ever), and `tier_reached` badges.
 */
export async function applyTierDecisions(deps: Pick<Deps, 'db'>, tx: Tx, ctx: TierContext, decided: readonly Decided[], actor: string, at: Date): Promise<AppliedMove[]> {
  const changed = decided.filter((d) => d.decision.changed);
  if (!changed.length) return [];
  const m = ctx.merchantId;
  const statusJson = JSON.stringify(changed.map(({ customerId, decision: { next } }) => ({
    customer_id: customerId, tier_id: next.tierId, tier_since: iso(next.tierSince), qualified_tier_id: next.qualifiedTierId,
    below_since: iso(next.belowSince), retained_until: iso(next.retainedUntil), override_active: next.overrideActive,
    override_tier_id: next.overrideTierId, override_until: iso(next.overrideUntil), override_reason: next.overrideReason, override_by: next.overrideBy,
  })));
  await deps.db.rows(sql`
    insert into customer_tier_status (merchant_id, customer_id, tier_id, tier_since, qualified_tier_id, below_since, retained_until,
      override_active, override_tier_id, override_until, override_reason, override_by, computed_at, updated_at)
    select ${m}, x.customer_id, x.tier_id, x.tier_since, x.qualified_tier_id, x.below_since, x.retained_until,
      x.override_active, x.override_tier_id, x.override_until, x.override_reason, x.override_by, ${at.toISOString()}::timestamptz, now()
    from jsonb_to_recordset(${statusJson}::jsonb) as x(customer_id text, tier_id text, tier_since timestamptz, qualified_tier_id text,
      below_since timestamptz, retained_until timestamptz, override_active boolean, override_tier_id text, override_until timestamptz,
      override_reason text, override_by text)
    on conflict (merchant_id, customer_id) do update set
      tier_id = excluded.tier_id, tier_since = excluded.tier_since, qualified_tier_id = excluded.qualified_tier_id,
      below_since = excluded.below_since, retained_until = excluded.retained_until, override_active = excluded.override_active,
      override_tier_id = excluded.override_tier_id, override_until = excluded.override_until, override_reason = excluded.override_reason,
      override_by = excluded.override_by, computed_at = excluded.computed_at, updated_at = now()`, tx);

  const names = new Map(ctx.tiers.map((t) => [t.id, t.name]));
  const moves: AppliedMove[] = changed
    .filter((d) => d.decision.move)
    .map(({ customerId, decision }) => {
      const mv = decision.move!;
      return { ...mv, merchantId: m, customerId, changeId: newId('tierChange', at.getTime()), fromName: mv.from ? names.get(mv.from) ?? null : null, toName: mv.to ? names.get(mv.to) ?? null : null, at };
    });
  if (!moves.length) return moves;

  const moveJson = JSON.stringify(moves.map((mv) => ({
    id: mv.changeId, customer_id: mv.customerId, from_tier_id: mv.from, to_tier_id: mv.to, reason: mv.reason,
    details: { ...mv.details, fromName: mv.fromName, toName: mv.toName },
    payload: {
      fromTier: mv.from ? { id: mv.from, name: mv.fromName } : null,
      toTier: mv.to ? (() => {
        const t = ctx.tiers.find((x) => x.id === mv.to);
        // The entry reward is only owed on the way up, once per tier (see tier_entry_grants).
        return { id: mv.to, name: mv.toName, perks: t?.perks ?? [], entryReward: mv.up && t ? { points: t.entryPoints, rewardId: t.entryRewardId } : null };
      })() : null,
      direction: mv.up ? 'up' : 'down',
      reason: mv.reason,
    },
  })));
  await deps.db.rows(sql`
    with x as (select * from jsonb_to_recordset(${moveJson}::jsonb) as x(id text, customer_id text, from_tier_id text, to_tier_id text, reason text, details jsonb, payload jsonb)),
    ch as (
      insert into tier_changes (merchant_id, id, customer_id, from_tier_id, to_tier_id, reason, actor, details, created_at)
      select ${m}, x.id, x.customer_id, x.from_tier_id, x.to_tier_id, x.reason, ${actor}, x.details, ${at.toISOString()}::timestamptz from x
    ),
    cu as (
      update customers c set vip_tier_id = x.to_tier_id, updated_at = now() from x where c.merchant_id = ${m} and c.id = x.customer_id
    )
    insert into notification_outbox (merchant_id, id, customer_id, kind, channel, payload, dedupe_key)
    select ${m}, ${newIdSql('outbox', at.getTime())}, x.customer_id, 'tier_change', 'email', x.payload, 'tier_change:' || x.id from x
    on conflict do nothing`, tx);

  const grants = moves
    .filter((mv) => mv.up && mv.to)
    .map((mv) => ({ mv, tier: ctx.tiers.find((t) => t.id === mv.to)! }))
    .filter(({ tier }) => tier.entryPoints || tier.entryRewardId)
    .map(({ mv, tier }) => ({
      id: newId('tierGrant', at.getTime()), customer_id: mv.customerId, tier_id: tier.id, tier_change_id: mv.changeId,
      kind: tier.entryRewardId ? 'reward' : 'points', points: tier.entryRewardId ? null : tier.entryPoints, reward_id: tier.entryRewardId,
    }));
  if (grants.length) {
    await deps.db.rows(sql`
      insert into tier_entry_grants (merchant_id, id, customer_id, tier_id, tier_change_id, kind, points, reward_id)
      select ${m}, x.id, x.customer_id, x.tier_id, x.tier_change_id, x.kind, x.points, x.reward_id
      from jsonb_to_recordset(${JSON.stringify(grants)}::jsonb) as x(id text, customer_id text, tier_id text, tier_change_id text, kind text, points int, reward_id text)
      on conflict do nothing`, tx);
  }

  const ups = moves.filter((mv) => mv.up && mv.to);
  if (ups.length) {
    const badges = await deps.db.rows<{ id: string; tier_id: string }>(
      sql`select id, rule->>'tierId' as tier_id from badge_definitions where merchant_id = ${m} and enabled and rule->>'kind' = 'tier_reached'`, tx);
    if (badges.length) {
      const position = new Map(ctx.tiers.map((t) => [t.id, t.position]));
      const pairs = ups.flatMap((mv) => badges
        .filter((b) => position.has(b.tier_id) && position.get(b.tier_id)! <= position.get(mv.to!)!)
        .map((b) => ({ customerId: mv.customerId, badgeId: b.id })));
      await awardBadges(deps, tx, m, pairs);
    }
  }
  return moves;
}

/**
 * Recomputes the given customers inside the caller's transaction. Their customer rows are locked
 * first (the ledger locks them the same way, so this serialises with earning), then values are read
 * fresh, decided and written. Customers who are not program members qualify for nothing.
 */
export async function recomputeCustomersInTx(
  deps: Pick<Deps, 'db'>,
  tx: Tx,
  ctx: TierContext,
  ids: readonly string[],
  opts: { at?: Date; actor?: string } = {},
): Promise<AppliedMove[]> {
  if (!ids.length) return [];
  const at = opts.at ?? new Date();
  const sorted = [...new Set(ids)].sort();
  const members = await deps.db.rows<{ id: string; state: string }>(sql`
    select id, state from customers where merchant_id = ${ctx.merchantId} and id in (${sql.join(sorted.map((i) => sql`${i}`), sql`, `)})
    order by id for update`, tx);
  if (!members.length) return [];
  const existing = members.map((r) => r.id);
  const window = qualificationWindow(ctx.tiers[0]?.window ?? 'lifetime', at, ctx.timeZone);
  const values = await tierValues(deps, tx, ctx, window, existing);
  const statuses = await loadStatuses(tx, ctx.merchantId, existing);
  const decided = members.map((r) => {
    const row: StatusRow | undefined = statuses.get(r.id);
    const stored: StoredTierStatus | null = row ? toStored(row) : null;
    const value = r.state === 'member' ? values.get(r.id) ?? 0 : -1;
    return { customerId: r.id, decision: decideTier({ stored, tiers: ctx.tiers, value, window, at, timeZone: ctx.timeZone }) };
  });
  return applyTierDecisions(deps, tx, ctx, decided, opts.actor ?? 'system:tiers', at);
}

/**
 * After commit: drops the cached customer rows (vip_tier_id moved) and tells open widgets and
 * dashboards. Pushes are best effort; the database holds the truth.
 */
export async function publishTierMoves(deps: Pick<Deps, 'pubsub' | 'log' | 'cache'>, moves: readonly AppliedMove[], limit = 10_000): Promise<void> {
  for (const mv of moves) await invalidateCustomer(deps, mv.merchantId, mv.customerId);
  for (const mv of moves.slice(0, limit)) {
    const payload: TierEventPayload = {
      customerId: mv.customerId, fromTierId: mv.from, fromTierName: mv.fromName, toTierId: mv.to, toTierName: mv.toName,
      reason: mv.reason, changeId: mv.changeId, at: mv.at.toISOString(),
    };
    try {
      await deps.pubsub.publish(topics.customerTier(mv.merchantId, mv.customerId), payload);
    } catch (err) {
      deps.log.warn('tier push failed', { error: String(err), customerId: mv.customerId });
    }
  }
  if (moves.length > limit) deps.log.info('tier pushes capped', { moves: moves.length, pushed: limit });
}

/**
 * The customers of a merchant whose tier needs a look, found set-based in one statement: those whose
 * qualifying tier differs from the stored one (windows slide, thresholds change), those in retention,
 * with an expired override or a deleted tier, and members never placed who now qualify. Nightly this
 * is a small fraction of the customers; everything else is left untouched.
 */
export async function tierCandidates(deps: Pick<Deps, 'db'>, ctx: TierContext, at: Date): Promise<string[]> {
  const m = ctx.merchantId;
  const window = qualificationWindow(ctx.tiers[0]?.window ?? 'lifetime', at, ctx.timeZone);
  const ids = ctx.tiers.map((t) => sql`${t.id}`);
  const known = (col: SQL) => (ids.length ? sql`${col} in (${sql.join(ids, sql`, `)})` : sql`false`);
  const qualifies = ctx.tiers.length
    ? sql`case when c.state <> 'member' then null ${sql.join([...ctx.tiers].reverse().map((t) => sql`when coalesce(v.value, 0) >= ${t.threshold} then ${t.id}`), sql` `)} else null end`
    : sql`null`;
  // One pass over the customers (every status row belongs to one): hash-joined with the aggregated
  // values and the status rows, filtered to the rows whose decision could differ from what is stored.
  const rows = await deps.db.rows<{ id: string }>(sql`
    with v as (${ctx.tiers.length ? tierValueQuery(ctx, window, 'all') : sql`select null::text as customer_id, 0::float8 as value where false`})
    select x.id from (
      select c.id, (${qualifies})::text as q, s.customer_id as has_status, s.qualified_tier_id, s.tier_id, s.below_since,
        s.override_active, s.override_tier_id, s.override_until
      from customers c
      left join v on v.customer_id = c.id
      left join customer_tier_status s on s.merchant_id = c.merchant_id and s.customer_id = c.id
      where c.merchant_id = ${m}
    ) x
    where (x.q is not null or x.has_status is not null) and (
         x.q is distinct from x.qualified_tier_id
      or x.below_since is not null
      or (x.tier_id is distinct from x.q and not coalesce(x.override_active, false))
      or (x.override_active and x.override_until is not null and x.override_until <= ${at.toISOString()}::timestamptz)
      or (x.override_active and x.override_tier_id is not null and not ${known(sql`x.override_tier_id`)})
      or (x.tier_id is not null and not ${known(sql`x.tier_id`)})
    )`);
  return rows.map((r) => r.id);
}

export interface MerchantRecompute {
  candidates: number;
  moves: number;
}

/**
 * The whole merchant: candidates found set-based, then re-decided in chunks, each chunk in its own
 * short transaction with its customers locked and their values re-read, so an order committed in the
 * meantime is never overwritten by a stale decision.
 */
export async function recomputeMerchant(deps: Deps, merchantId: string, opts: { at?: Date; actor?: string; chunk?: number } = {}): Promise<MerchantRecompute> {
  const at = opts.at ?? new Date();
  const ctx = await loadTierContext(deps.db.db, merchantId);
  if (!ctx) return { candidates: 0, moves: 0 };
  const candidates = await tierCandidates(deps, ctx, at);
  const chunk = opts.chunk ?? 2000;
  let moved = 0;
  for (let i = 0; i < candidates.length; i += chunk) {
    const ids = candidates.slice(i, i + chunk);
    const moves = await deps.db.db.transaction((tx) => recomputeCustomersInTx(deps, tx, ctx, ids, { at, actor: opts.actor }));
    moved += moves.length;
    await publishTierMoves(deps, moves);
  }
  return { candidates: candidates.length, moves: moved };
}
