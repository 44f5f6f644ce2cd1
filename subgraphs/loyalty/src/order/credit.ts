import { and, eq, sql } from 'drizzle-orm';
import { newId, orders, pendingPoints, type PendingEntry, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { earnModifiers, type BonusEntry, type EarnAdjustment, type OrderFacts } from '../earning/hooks';
import { applicableMultipliers, pointsFor, type MultiplierInput } from '../earning/rules';
import { headAfter, postEntry, type LedgerHead } from '../ledger/post';
import type { ProgramRow } from './settings';

export type OrderRow = typeof orders.$inferSelect;

/** The ledger entries an order earns: the purchase at the base rate, then one per multiplier and bonus. */
export async function earningEntries(tx: Tx, deps: Deps, program: ProgramRow, customerId: string, facts: OrderFacts): Promise<PendingEntry[]> {
  const rules = program.earning;
  const basePoints = pointsFor(facts.baseMinor, facts.currency, rules);
  const adjustments: EarnAdjustment[] = [];
  for (const m of earnModifiers()) adjustments.push(await m.apply({ tx, deps, merchantId: program.merchantId, customerId, order: facts, basePoints, at: facts.processedAt }));
  const multipliers: MultiplierInput[] = adjustments.flatMap((a) => a.multipliers ?? []);
  const bonuses: BonusEntry[] = adjustments.flatMap((a) => a.bonuses ?? []);

  const key = (part: string) => `order:${facts.orderId}:${part}`;
  const entries: PendingEntry[] = [];
  if (basePoints > 0) entries.push({ type: 'purchase', points: basePoints, reason: `Order ${facts.orderId}`, idempotencyKey: key('purchase') });
  // Each multiplier's share is the difference it makes to the running total, so the parts always
  // add up to the single rounding of base × all multipliers.
  let running = basePoints;
  const applied: number[] = [];
  for (const m of applicableMultipliers(multipliers, program.tierStackingPolicy)) {
    applied.push(m.bp);
    const total = pointsFor(facts.baseMinor, facts.currency, rules, applied);
    const extra = total - running;
    running = total;
    if (extra === 0) continue;
    entries.push(m.kind === 'tier'
      ? { type: 'tier_bonus', points: extra, reason: `${m.label} (${(m.bp / 10_000).toFixed(2)}×) on order ${facts.orderId}`, idempotencyKey: key('tier') }
      : { type: 'campaign', points: extra, reason: `${m.label} (${(m.bp / 10_000).toFixed(2)}×) on order ${facts.orderId}`, idempotencyKey: key(`campaign:${m.campaignId ?? m.label}`), campaignId: m.campaignId });
  }
  for (const b of bonuses) {
    if (b.points > 0) entries.push({ type: b.type, points: b.points, reason: b.reason, idempotencyKey: key(`bonus:${b.key}`), campaignId: b.campaignId });
  }
  return entries;
}

/** What an order earned; the entries themselves are pushed by the handler from `postedSince`. */
export interface CreditResult {
  points: number;
  pending: boolean;
}

/** Whether an order's points wait out the merchant's approval period. */
export const isPending = (program: ProgramRow, points: number): boolean => points > 0 && (program.earning.approvalDays ?? 0) > 0;

/** The order's row as SQL values, in the column order of `insert into orders`. */
const orderValues = (o: OrderRow) => sql`(${o.merchantId}, ${o.id}, ${o.customerId}, ${o.shopifyCustomerId}, ${o.emailNormalized}, ${o.orderName}, ${o.currency},
  ${o.totalMinor}, ${o.earningBaseMinor}, ${o.refundedMinor}, ${o.status}, ${o.pointsEarned}, ${o.pointsClawedBack}, ${JSON.stringify(o.discountCodes)}::jsonb,
  ${JSON.stringify(o.productIds)}::jsonb, ${o.referralCode}, ${o.processedAt.toISOString()}::timestamptz, ${o.createdAt.toISOString()}::timestamptz, ${o.updatedAt.toISOString()}::timestamptz)`;

/**
 * Counts an order on the customer's row (spend, order count, activity, points held pending) in one
 * statement that also takes their row lock for the posts that follow and returns their ledger head.
 * With `recording`, the order row goes in first in the same statement and the customer is counted
 * only if it is new: null then means the order was recorded before. Written as SQL text: it runs
 * for every order, and the query builder took longer to build it than PostgreSQL to run it.
 */
export async function countOrder(
  deps: Pick<Deps, 'db'>, tx: Tx, c: { merchantId: string; customerId: string; totalMinor: number; pendingPoints: number; now: Date }, recording?: OrderRow,
): Promise<LedgerHead | null> {
  const at = c.now.toISOString();
  const [head] = await deps.db.rows<LedgerHead>(sql`
    ${recording ? sql`with recorded as (
      insert into orders (merchant_id, id, customer_id, shopify_customer_id, email_normalized, order_name, currency, total_minor, earning_base_minor,
        refunded_minor, status, points_earned, points_clawed_back, discount_codes, product_ids, referral_code, processed_at, created_at, updated_at)
      values ${orderValues(recording)}
      on conflict do nothing
      returning id)` : sql``}
    update customers set lifetime_spend_minor = lifetime_spend_minor + ${c.totalMinor}, orders_count = orders_count + 1,
      last_activity_at = ${at}::timestamptz, points_pending = points_pending + ${c.pendingPoints}
      ${recording ? sql`from recorded` : sql``}
     where customers.merchant_id = ${c.merchantId} and customers.id = ${c.customerId}
    returning points_balance as balance, ledger_seq as seq, ledger_head_hash as head`, tx);
  return head ?? null;
}

/**
 * Credits an order's points to a customer: posted at once, or held as pending points during the
 * merchant's approval period. Records the total on the order so refunds claw back at this rate.
 * `entries` may come precomputed, and `counted` is the head returned by a caller that already
 * counted the order on the customer's row (the orders/paid handler does it with the order insert).
 */
export async function creditOrder(
  tx: Tx, deps: Deps, program: ProgramRow, order: OrderRow, customerId: string, facts: OrderFacts, entries?: PendingEntry[], counted?: LedgerHead,
): Promise<CreditResult> {
  const earned = entries ?? (await earningEntries(tx, deps, program, customerId, facts));
  const points = earned.reduce((sum, e) => sum + e.points, 0);
  const pending = isPending(program, points);
  const now = new Date();
  // One statement counts the order towards the customer's spend, takes their row lock for the
  // posts below and reads their ledger head.
  const head = counted ?? (await countOrder(deps, tx, { merchantId: order.merchantId, customerId, totalMinor: order.totalMinor, pendingPoints: pending ? points : 0, now }));
  if (!head) throw new Error(`customer ${customerId} not found while crediting order ${order.id}`);
  if (pending) {
    await tx.insert(pendingPoints).values({
      merchantId: order.merchantId, id: newId('pending'), customerId, orderId: order.id, points, entries: earned,
      releaseAt: new Date(facts.processedAt.getTime() + (program.earning.approvalDays ?? 0) * 86_400_000),
    });
  } else {
    // The order's entries chain one after another under the lock taken above. Ledger listeners
    // never post for the customer whose entry they hear about, so the head stays ours.
    let locked: LedgerHead = head;
    for (const e of earned) {
      const r = await postEntry(deps, tx, {
        merchantId: order.merchantId, customerId, type: e.type, points: e.points, reason: e.reason, source: 'order',
        idempotencyKey: e.idempotencyKey, actor: 'webhook:orders/paid', orderId: order.id, campaignId: e.campaignId ?? null,
      }, { now, locked });
      if (r.status === 'posted') locked = headAfter(r.entry);
    }
  }
  if (order.customerId !== customerId || order.pointsEarned !== points) {
    await tx.update(orders).set({ customerId, pointsEarned: points, updatedAt: now }).where(and(eq(orders.merchantId, order.merchantId), eq(orders.id, order.id)));
  }
  return { points, pending };
}

/** What earning needs from an order already recorded (a guest order credited when its account appears). */
export const factsOf = (order: OrderRow): OrderFacts => ({
  orderId: order.id, baseMinor: order.earningBaseMinor, currency: order.currency, productIds: order.productIds, processedAt: order.processedAt,
});
