import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { customerTierStatus, vipTiers, type DbOrTx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { merchantConfig } from '../program/config';
import { QUALIFYING_POINT_TYPES, type QualificationWindow, type StoredTierStatus, type TierDef } from './rules';

/** What every tier computation for one merchant needs. */
export interface TierContext {
  merchantId: string;
  timeZone: string;
  currency: string;
  tiers: TierDef[];
}

type TierRow = typeof vipTiers.$inferSelect;

export function toTierDef(r: TierRow): TierDef {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    threshold: Number(r.thresholdValue),
    kind: r.thresholdKind,
    window: r.qualificationWindow,
    multiplierBp: r.earningMultiplierBp,
    retentionDays: r.retentionDays,
    entryPoints: r.entryReward?.points ?? null,
    entryRewardId: r.entryRewardId,
    perks: r.perks,
  };
}

/** The merchant's tiers and clock, from its cached configuration (see program/config). */
export async function loadTierContext(db: DbOrTx, merchantId: string): Promise<TierContext | null> {
  const config = await merchantConfig(db, merchantId);
  if (!config) return null;
  return { merchantId, timeZone: config.merchant.timezone, currency: config.merchant.currency, tiers: config.tiers.map(toTierDef) };
}

const list = (values: readonly string[]): SQL => sql.join(values.map((v) => sql`${v}`), sql`, `);

/** `customer_id in (...)` for a set of customers, or nothing for the whole merchant. */
export function customerScope(column: SQL, ids: readonly string[] | 'all'): SQL {
  if (ids === 'all') return sql``;
  if (!ids.length) return sql` and false`;
  return sql` and ${column} in (${list(ids)})`;
}

/**
 * `(customer_id, value)` for the tier measure over the window: money spent net of refunds
 * (cancelled orders excluded), orders counted (fully refunded and cancelled ones excluded), or points
 * earned net of clawbacks (entry rewards excluded). Everything from the window's start counts (a
 * timestamp slightly ahead of this server's clock included). Values are float8, exact below 2^53.
 */
export function tierValueQuery(ctx: TierContext, window: QualificationWindow, ids: readonly string[] | 'all', opts: { excludeOrderId?: string } = {}): SQL {
  const kind = ctx.tiers[0]?.kind ?? 'money_spent';
  const start = window.start?.toISOString() ?? null;
  if (kind === 'points_earned') {
    const types = sql.join(QUALIFYING_POINT_TYPES.map((t) => sql`${t}`), sql`, `);
    return sql`select customer_id, greatest(sum(points), 0)::float8 as value from points_transactions
      where merchant_id = ${ctx.merchantId} and type in (${types})
        ${start ? sql`and created_at >= ${start}::timestamptz` : sql``}
        ${opts.excludeOrderId ? sql`and order_id is distinct from ${opts.excludeOrderId}` : sql``}
        ${customerScope(sql`customer_id`, ids)}
      group by customer_id`;
  }
  const value = kind === 'order_count' ? sql`count(*)::float8` : sql`sum(greatest(total_minor - refunded_minor, 0))::float8`;
  const status = kind === 'order_count' ? sql`status in ('paid', 'partially_refunded')` : sql`status <> 'cancelled'`;
  return sql`select customer_id, ${value} as value from orders
    where merchant_id = ${ctx.merchantId} and customer_id is not null and ${status}
      ${start ? sql`and processed_at >= ${start}::timestamptz` : sql``}
      ${opts.excludeOrderId ? sql`and id <> ${opts.excludeOrderId}` : sql``}
      ${customerScope(sql`customer_id`, ids)}
    group by customer_id`;
}

export async function tierValues(deps: Pick<Deps, 'db'>, on: DbOrTx, ctx: TierContext, window: QualificationWindow, ids: readonly string[], opts: { excludeOrderId?: string } = {}): Promise<Map<string, number>> {
  const out = new Map<string, number>(ids.map((id) => [id, 0]));
  if (!ids.length || !ctx.tiers.length) return out;
  const rows = await deps.db.rows<{ customer_id: string; value: number | string }>(tierValueQuery(ctx, window, ids, opts), on);
  for (const r of rows) out.set(r.customer_id, Number(r.value));
  return out;
}

export type StatusRow = typeof customerTierStatus.$inferSelect;

export function toStored(r: StatusRow): StoredTierStatus {
  return {
    tierId: r.tierId, tierSince: r.tierSince, qualifiedTierId: r.qualifiedTierId, belowSince: r.belowSince, retainedUntil: r.retainedUntil,
    overrideActive: r.overrideActive, overrideTierId: r.overrideTierId, overrideUntil: r.overrideUntil, overrideReason: r.overrideReason, overrideBy: r.overrideBy,
  };
}

export async function loadStatuses(db: DbOrTx, merchantId: string, ids: readonly string[]): Promise<Map<string, StatusRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(customerTierStatus).where(and(eq(customerTierStatus.merchantId, merchantId), inArray(customerTierStatus.customerId, [...ids])));
  return new Map(rows.map((r) => [r.customerId, r]));
}
