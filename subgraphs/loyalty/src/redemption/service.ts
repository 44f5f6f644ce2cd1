import { and, eq, inArray, lt, ne, sql } from 'drizzle-orm';
import { customers, merchants, newId, rewardRedemptions, rewards, rewardSettings, type Tx } from '@herethere/db';
import {
  AdminApiUnavailable, DiscountRejected, discountProviderFor, discountProviderForMerchant, generateDiscountCode, isIssuedDiscountCode, userError, UserError, UserErrorCode,
  type Deps, type DiscountProvider, type DiscountRequest,
} from '@herethere/runtime';
import type { CustomerRow } from '../customer/data';
import { afterPosted, postEntry, type LedgerEntry } from '../ledger/post';
import { enqueueNotification } from '../notification/enqueue';

export type RedemptionRow = typeof rewardRedemptions.$inferSelect;
export type RewardRow = typeof rewards.$inferSelect;

export interface RedeemInput {
  merchantId: string;
  customerId: string;
  rewardId: string;
  /** The caller's key: the same key from the same customer returns the same redemption. */
  idempotencyKey: string;
  steps?: number | null;
  actor: string;
}

export type RedeemResult =
  | { ok: true; redemption: RedemptionRow; replayed: boolean; reward?: RewardRow; customer?: CustomerRow }
  | { ok: false; error: UserError; redemption?: RedemptionRow | null };

/**
 * Test seam for crash tests: runs after the reservation commits and before Shopify is called.
 * Rejecting with ProcessCrash makes the request stop dead, touching nothing more, as a crashed
 * process would; the reservation is left for `reconcileRedemptions`.
 */
export const redemptionFaults: { afterReserve?: (r: RedemptionRow) => Promise<void> } = {};
export class ProcessCrash extends Error {}

const KEY = /^[A-Za-z0-9._:-]{1,100}$/;
const NOT_FOUND = () => userError(UserErrorCode.NOT_FOUND, 'No such reward', ['input', 'rewardId']);
/** How long a second request with the same key waits for the first to finish issuing. */
const REPLAY_WAIT_MS = 30_000;

const storeKey = (customerId: string, key: string) => `${customerId}:${key}`;

async function byKey(deps: Deps, merchantId: string, key: string): Promise<RedemptionRow | null> {
  const [row] = await deps.db.db.select().from(rewardRedemptions)
    .where(and(eq(rewardRedemptions.merchantId, merchantId), eq(rewardRedemptions.idempotencyKey, key)));
  return row ?? null;
}

async function byId(db: Deps['db']['db'] | Tx, merchantId: string, id: string): Promise<RedemptionRow | null> {
  const [row] = await db.select().from(rewardRedemptions).where(and(eq(rewardRedemptions.merchantId, merchantId), eq(rewardRedemptions.id, id)));
  return row ?? null;
}

/** The cost and value of a redemption, or why the steps are wrong. */
export function priceOf(reward: RewardRow, steps: number | null | undefined): { points: number; valueMinor: number; steps: number | null } | UserError {
  if (reward.kind === 'points_slider') {
    const max = reward.maxSteps ?? 0;
    if (steps === null || steps === undefined || !Number.isInteger(steps) || steps < 1 || steps > max) {
      return userError(UserErrorCode.INVALID, `steps must be a whole number from 1 to ${max} for this reward`, ['input', 'steps']);
    }
    return { points: steps * (reward.pointsPerStep ?? 0), valueMinor: steps * (reward.valueMinorPerStep ?? 0), steps };
  }
  if (steps !== null && steps !== undefined && steps !== 1) return userError(UserErrorCode.INVALID, 'steps only applies to a points slider reward', ['input', 'steps']);
  return { points: reward.pointsCost, valueMinor: reward.valueMinor ?? 0, steps: null };
}

/** What Shopify is asked to create for a redemption. */
export function discountRequestFor(reward: RewardRow, r: Pick<RedemptionRow, 'discountCode' | 'valueMinor' | 'expiresAt' | 'createdAt'>, shopifyCustomerId: string): DiscountRequest {
  const kind = reward.kind === 'points_slider' ? 'fixed_amount' : reward.kind;
  return {
    title: `Loyalty reward: ${reward.name}`.slice(0, 255),
    code: r.discountCode!,
    kind,
    currency: reward.currency,
    amountMinor: kind === 'fixed_amount' || kind === 'free_product' ? r.valueMinor || null : null,
    percentageBp: reward.percentageBp,
    productVariantId: reward.productVariantId,
    minimumSubtotalMinor: reward.minOrderMinor,
    shopifyCustomerId,
    startsAt: r.createdAt,
    endsAt: r.expiresAt,
    usageLimit: 1,
    appliesOncePerCustomer: true,
    combinesWith: reward.combinesWith,
  };
}

/** A replayed key: the same redemption, once it has left `reserved` (waiting for the first request if needed). */
async function replay(deps: Deps, existing: RedemptionRow, input: RedeemInput, wait: boolean): Promise<RedeemResult> {
  const wantSteps = input.steps ?? null;
  if (existing.rewardId !== input.rewardId || (existing.steps !== null && wantSteps !== null && existing.steps !== wantSteps)) {
    return { ok: false, error: userError(UserErrorCode.CONFLICT, 'This idempotencyKey was already used for a different redemption', ['input', 'idempotencyKey']) };
  }
  let row = existing;
  const deadline = Date.now() + REPLAY_WAIT_MS;
  while (wait && row.status === 'reserved' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    row = (await byId(deps.db.db, row.merchantId, row.id)) ?? row;
  }
  if (row.status === 'reserved') return { ok: false, error: userError(UserErrorCode.UNAVAILABLE, 'This redemption is still being issued; retry with the same idempotencyKey shortly', ['input', 'idempotencyKey']), redemption: row };
  if (row.status === 'voided') return { ok: false, error: userError(UserErrorCode.UNAVAILABLE, `This redemption could not be issued (${row.voidedReason ?? 'voided'}); the points were returned. Use a new idempotencyKey to try again.`, ['input', 'idempotencyKey']), redemption: row };
  return { ok: true, redemption: row, replayed: true };
}

class Abort extends Error {
  constructor(readonly error: UserError) {
    super(error.message);
  }
}

/**
 * Redeems a reward in two phases. (1) One transaction posts the `redemption` debit (the ledger
 * locks the customer row, so concurrent redemptions serialise and can never overspend) and inserts
 * the `reserved` row with a freshly drawn code. (2) Outside any transaction, the discount is
 * created in Shopify. Success marks the row `issued`; failure voids it and a `redemption_void`
 * entry returns the points. A crash between the two leaves a `reserved` row for the reconciler.
 */
export async function redeem(deps: Deps, input: RedeemInput): Promise<RedeemResult> {
  if (!KEY.test(input.idempotencyKey)) {
    return { ok: false, error: userError(UserErrorCode.INVALID, 'idempotencyKey must be 1 to 100 characters of letters, digits and . _ : -', ['input', 'idempotencyKey']) };
  }
  const key = storeKey(input.customerId, input.idempotencyKey);
  // One round trip for everything the decision needs: the shop (and its Admin API token), the
  // reward, the customer, and an earlier redemption with this key.
  const [found] = await deps.db.db
    .select({
      shopDomain: merchants.shopDomain, accessTokenSealed: merchants.accessTokenSealed, reward: rewards, existing: rewardRedemptions,
      customerId: customers.id, shopifyCustomerId: customers.shopifyCustomerId, state: customers.state,
    })
    .from(merchants)
    .leftJoin(rewards, and(eq(rewards.merchantId, merchants.id), eq(rewards.id, input.rewardId)))
    .leftJoin(customers, and(eq(customers.merchantId, merchants.id), eq(customers.id, input.customerId)))
    .leftJoin(rewardRedemptions, and(eq(rewardRedemptions.merchantId, merchants.id), eq(rewardRedemptions.idempotencyKey, key)))
    .where(eq(merchants.id, input.merchantId));
  if (found?.existing) return replay(deps, found.existing, input, true);

  const reward = found?.reward;
  // Disabled, unknown and other shops' rewards look the same from outside.
  if (!found || !reward || !reward.enabled) return { ok: false, error: NOT_FOUND() };
  const price = priceOf(reward, input.steps);
  if (price instanceof UserError) return { ok: false, error: price };
  const { points, valueMinor, steps } = price;

  if (!found.customerId || found.state === 'redacted') return { ok: false, error: userError(UserErrorCode.NOT_FOUND, 'No such customer', ['input', 'customerId']) };
  const shopifyCustomerId = found.shopifyCustomerId;
  if (!shopifyCustomerId) return { ok: false, error: userError(UserErrorCode.INVALID, 'The customer has no Shopify account to restrict the code to', ['input', 'customerId']) };

  const provider = discountProviderForMerchant(deps, { id: input.merchantId, shopDomain: found.shopDomain, accessTokenSealed: found.accessTokenSealed });
  const now = new Date();
  const id = newId('redemption', now.getTime());
  let reserved: { row: RedemptionRow; entry: LedgerEntry } | 'duplicate';
  try {
    reserved = await deps.db.db.transaction(async (tx) => {
      if (reward.perCustomerLimit) {
        await tx.select({ id: customers.id }).from(customers).where(and(eq(customers.merchantId, input.merchantId), eq(customers.id, input.customerId))).for('update');
        const [used] = await tx.select({ n: sql<number>`count(*)::int` }).from(rewardRedemptions).where(and(
          eq(rewardRedemptions.merchantId, input.merchantId), eq(rewardRedemptions.customerId, input.customerId),
          eq(rewardRedemptions.rewardId, reward.id), ne(rewardRedemptions.status, 'voided'),
        ));
        if (used.n >= reward.perCustomerLimit) {
          throw new Abort(userError(UserErrorCode.LIMIT_REACHED, `This reward can be redeemed ${reward.perCustomerLimit} time${reward.perCustomerLimit === 1 ? '' : 's'} per customer`, ['input', 'rewardId']));
        }
      }
      const posted = await postEntry(deps, tx, {
        merchantId: input.merchantId, customerId: input.customerId, type: 'redemption', points: -points,
        reason: `Redeemed ${reward.name}`.slice(0, 500), source: 'redemption', idempotencyKey: `redeem:${key}`,
        actor: input.actor, redemptionId: id, metadata: { rewardId: reward.id, steps },
      }, now);
      if (posted.status === 'duplicate') return 'duplicate' as const;
      if (posted.status === 'customer_not_found') throw new Abort(userError(UserErrorCode.NOT_FOUND, 'No such customer', ['input', 'customerId']));
      if (posted.status === 'insufficient_points') {
        throw new Abort(userError(UserErrorCode.INSUFFICIENT_POINTS, `This reward costs ${points} points; the balance is ${posted.balance}`, ['input', 'rewardId']));
      }
      const [row] = await tx.insert(rewardRedemptions).values({
        merchantId: input.merchantId, id, customerId: input.customerId, rewardId: reward.id, pointsSpent: points, valueMinor,
        currency: reward.currency, discountCode: generateDiscountCode(), status: 'reserved', steps, provider: provider.name,
        idempotencyKey: key, reserveTxnId: posted.entry.id, createdAt: now, updatedAt: now,
        expiresAt: reward.codeExpiryDays ? new Date(now.getTime() + reward.codeExpiryDays * 86_400_000) : null,
      }).returning();
      return { row, entry: posted.entry };
    });
  } catch (err) {
    if (err instanceof Abort) return { ok: false, error: err.error };
    throw err;
  }
  if (reserved === 'duplicate') {
    // A concurrent request with the same key reserved first: answer with its outcome.
    const row = await byKey(deps, input.merchantId, key);
    if (row) return replay(deps, row, input, true);
    return { ok: false, error: userError(UserErrorCode.CONFLICT, 'This idempotencyKey was already used', ['input', 'idempotencyKey']) };
  }
  await afterPosted(deps, reserved.entry);

  // A ProcessCrash from the hook propagates: nothing below runs, as if the process had died.
  if (redemptionFaults.afterReserve) await redemptionFaults.afterReserve(reserved.row);
  return issue(deps, provider, reward, reserved.row, shopifyCustomerId);
}

async function issue(deps: Deps, provider: DiscountProvider, reward: RewardRow, row: RedemptionRow, shopifyCustomerId: string): Promise<RedeemResult> {
  try {
    const created = await provider.create(discountRequestFor(reward, row, shopifyCustomerId));
    const issued = await deps.db.db.transaction((tx) => issueInTx(deps, tx, row, created.id));
    // The customer as this transaction left it: the caller answers with it instead of reading it again.
    if (issued) return { ok: true, redemption: issued.redemption, replayed: false, reward, customer: issued.customer ?? undefined };
  } catch (err) {
    let error: UserError;
    let reason: string;
    if (err instanceof DiscountRejected) {
      reason = `Shopify refused the discount: ${err.message}`;
      error = userError(UserErrorCode.INVALID, `${reason}. Your points were not spent.`, ['input', 'rewardId']);
    } else if (err instanceof AdminApiUnavailable) {
      reason = err.message;
      error = userError(UserErrorCode.UNAVAILABLE, `Shopify is unavailable right now (${err.message}). Your points were not spent; please try again.`, ['input', 'rewardId']);
    } else {
      deps.log.error('reward issue failed', { redemptionId: row.id, error: (err as Error).message });
      reason = 'internal error while creating the discount';
      error = userError(UserErrorCode.UNAVAILABLE, 'The reward could not be issued. Your points were not spent; please try again.', ['input', 'rewardId']);
    }
    const voided = await voidReservation(deps, row.merchantId, row.id, reason);
    return { ok: false, error, redemption: voided };
  }
  // The reconciler resolved the row first: answer with what it decided.
  const current = await byId(deps.db.db, row.merchantId, row.id);
  if (current && current.status !== 'voided') return { ok: true, redemption: current, replayed: false };
  return { ok: false, error: userError(UserErrorCode.UNAVAILABLE, 'The reward could not be issued; your points were returned', ['input', 'rewardId']), redemption: current };
}

/** reserved → issued, and the reward_issued message in the same transaction. Null if the row was no longer reserved. */
export async function markIssued(deps: Deps, row: RedemptionRow, shopifyDiscountId: string, tx?: Tx): Promise<RedemptionRow | null> {
  const run = async (t: Tx) => (await issueInTx(deps, t, row, shopifyDiscountId))?.redemption ?? null;
  return tx ? run(tx) : deps.db.db.transaction(run);
}

/** markIssued's work, also answering with the customer row it read (balance after the redemption). */
async function issueInTx(deps: Deps, t: Tx, row: RedemptionRow, shopifyDiscountId: string): Promise<{ redemption: RedemptionRow; customer: CustomerRow | null } | null> {
  const now = new Date();
  const [updated] = await t.update(rewardRedemptions)
    .set({ status: 'issued', shopifyDiscountId, issuedAt: now, updatedAt: now })
    .where(and(eq(rewardRedemptions.merchantId, row.merchantId), eq(rewardRedemptions.id, row.id), eq(rewardRedemptions.status, 'reserved')))
    .returning();
  if (!updated) return null;
  const [c] = await t.select({ customer: customers, rewardName: rewards.name })
    .from(customers)
    .innerJoin(rewards, and(eq(rewards.merchantId, customers.merchantId), eq(rewards.id, row.rewardId)))
    .where(and(eq(customers.merchantId, row.merchantId), eq(customers.id, row.customerId)));
  if (c?.customer.email) {
    await enqueueNotification(t, {
      merchantId: row.merchantId, customerId: row.customerId, kind: 'reward_issued', channel: 'email',
      payload: {
        reward: { name: c.rewardName, code: updated.discountCode, value: updated.valueMinor, expiresAt: updated.expiresAt?.toISOString().slice(0, 10) ?? null },
        points: { balance: c.customer.pointsBalance, spent: updated.pointsSpent },
      },
      dedupeKey: `reward_issued:${row.id}`,
    });
  }
  return { redemption: updated, customer: c?.customer ?? null };
}

/**
 * reserved → voided with a `redemption_void` entry giving the points back, once: the status
 * guard means a request and the reconciler racing on one row void it a single time.
 */
export async function voidReservation(deps: Deps, merchantId: string, id: string, reason: string, tx?: Tx): Promise<RedemptionRow | null> {
  let entry: LedgerEntry | undefined;
  const run = async (t: Tx) => {
    const [voided] = await t.update(rewardRedemptions)
      .set({ status: 'voided', voidedReason: reason.slice(0, 500), updatedAt: new Date() })
      .where(and(eq(rewardRedemptions.merchantId, merchantId), eq(rewardRedemptions.id, id), eq(rewardRedemptions.status, 'reserved')))
      .returning();
    if (!voided) return byId(t, merchantId, id);
    const posted = await postEntry(deps, t, {
      merchantId, customerId: voided.customerId, type: 'redemption_void', points: voided.pointsSpent,
      reason: 'Reward could not be issued; points returned', source: 'redemption', idempotencyKey: `redeem-void:${id}`,
      actor: 'system:redemption', redemptionId: id,
    });
    if (posted.status === 'posted') entry = posted.entry;
    return voided;
  };
  if (tx) return run(tx);
  const result = await deps.db.db.transaction(run);
  if (entry) await afterPosted(deps, entry);
  return result;
}

export interface ReconcileResult {
  examined: number;
  issued: number;
  voided: number;
  /** Still reserved: Shopify could not be asked, or another reconciler holds the row. */
  unresolved: number;
}

/**
 * Resolves reservations a crash left behind (reserved for longer than `graceMs`): the code is
 * looked up in Shopify (codeDiscountNodeByCode); found → issued, missing → voided with the
 * points returned. Each row is locked FOR UPDATE SKIP LOCKED and moved only from `reserved`, so
 * two reconcilers running at once resolve each row exactly once.
 */
export async function reconcileRedemptions(deps: Deps, opts: { graceMs?: number; now?: Date; limit?: number } = {}): Promise<ReconcileResult> {
  const now = opts.now ?? new Date();
  const cutoff = new Date(now.getTime() - (opts.graceMs ?? 10 * 60_000));
  const candidates = await deps.db.db.select({ merchantId: rewardRedemptions.merchantId, id: rewardRedemptions.id }).from(rewardRedemptions)
    .where(and(eq(rewardRedemptions.status, 'reserved'), lt(rewardRedemptions.createdAt, cutoff)))
    .orderBy(rewardRedemptions.createdAt).limit(opts.limit ?? 500);
  const result: ReconcileResult = { examined: candidates.length, issued: 0, voided: 0, unresolved: 0 };
  const providers = new Map<string, DiscountProvider>();
  for (const c of candidates) {
    const [row] = await deps.db.db.select().from(rewardRedemptions)
      .where(and(eq(rewardRedemptions.merchantId, c.merchantId), eq(rewardRedemptions.id, c.id), eq(rewardRedemptions.status, 'reserved')));
    if (!row) {
      result.unresolved += 1;
      continue;
    }
    // Ask Shopify first, outside any transaction; the status guard below makes the decision once.
    let found: { id: string } | null;
    try {
      let provider = providers.get(row.merchantId);
      if (!provider) providers.set(row.merchantId, (provider = await discountProviderFor(deps, row.merchantId)));
      found = await provider.findByCode(row.discountCode!);
    } catch (err) {
      deps.log.warn('reconcile lookup failed; left reserved', { redemptionId: row.id, error: (err as Error).message });
      result.unresolved += 1;
      continue;
    }
    const entries: LedgerEntry[] = [];
    const outcome = await deps.db.db.transaction(async (tx) => {
      const [locked] = await tx.select().from(rewardRedemptions)
        .where(and(eq(rewardRedemptions.merchantId, row.merchantId), eq(rewardRedemptions.id, row.id), eq(rewardRedemptions.status, 'reserved')))
        .for('update', { skipLocked: true });
      if (!locked) return 'unresolved' as const;
      if (found) return (await markIssued(deps, locked, found.id, tx)) ? ('issued' as const) : ('unresolved' as const);
      const [voided] = await tx.update(rewardRedemptions)
        .set({ status: 'voided', voidedReason: 'Reservation abandoned (the discount was never created); points returned by reconciliation', updatedAt: new Date() })
        .where(and(eq(rewardRedemptions.merchantId, locked.merchantId), eq(rewardRedemptions.id, locked.id), eq(rewardRedemptions.status, 'reserved')))
        .returning();
      if (!voided) return 'unresolved' as const;
      const posted = await postEntry(deps, tx, {
        merchantId: locked.merchantId, customerId: locked.customerId, type: 'redemption_void', points: locked.pointsSpent,
        reason: 'Reward was never issued; points returned', source: 'redemption', idempotencyKey: `redeem-void:${locked.id}`,
        actor: 'system:reconcile', redemptionId: locked.id,
      });
      if (posted.status === 'posted') entries.push(posted.entry);
      return 'voided' as const;
    });
    result[outcome] += 1;
    for (const e of entries) await afterPosted(deps, e);
  }
  return result;
}

/** The codes an order applied that this app can have issued, upper-cased as ours are (Shopify matches codes case-insensitively). */
const normaliseCodes = (codes: string[]) => [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(isIssuedDiscountCode))];

/**
 * orders/paid: codes of ours that the order applied become `used`. Safe to call repeatedly.
 * Returns the redemptions it changed.
 */
export async function markRedemptionsUsed(tx: Tx, _deps: Deps, o: { merchantId: string; orderId: string; discountCodes: string[]; customerId?: string | null }): Promise<RedemptionRow[]> {
  const codes = normaliseCodes(o.discountCodes);
  if (!codes.length) return [];
  const now = new Date();
  return tx.update(rewardRedemptions)
    .set({ status: 'used', usedOrderId: o.orderId, usedAt: now, updatedAt: now })
    .where(and(
      eq(rewardRedemptions.merchantId, o.merchantId),
      inArray(rewardRedemptions.discountCode, codes),
      inArray(rewardRedemptions.status, ['reserved', 'issued', 'expired']),
    ))
    .returning();
}

/**
 * A full refund of an order: with the merchant's `restore_points` policy, rewards the order used
 * are voided and their points come back (one `redemption_void` each). Returns the ledger entries
 * posted, for the caller to run afterPosted once its transaction commits.
 */
export async function applyFullRefundToRedemptions(tx: Tx, deps: Deps, o: { merchantId: string; orderId: string }): Promise<LedgerEntry[]> {
  const [settings] = await tx.select().from(rewardSettings).where(eq(rewardSettings.merchantId, o.merchantId));
  if ((settings?.usedRewardOnFullRefund ?? 'keep') !== 'restore_points') return [];
  const voided = await tx.update(rewardRedemptions)
    .set({ status: 'voided', voidedReason: 'Order fully refunded; points returned (shop policy)', updatedAt: new Date() })
    .where(and(eq(rewardRedemptions.merchantId, o.merchantId), eq(rewardRedemptions.usedOrderId, o.orderId), eq(rewardRedemptions.status, 'used')))
    .returning();
  const entries: LedgerEntry[] = [];
  for (const r of voided) {
    const posted = await postEntry(deps, tx, {
      merchantId: o.merchantId, customerId: r.customerId, type: 'redemption_void', points: r.pointsSpent,
      reason: 'Order refunded; reward points returned', source: 'refund', idempotencyKey: `redeem-refund:${r.id}`,
      actor: 'system:refund', redemptionId: r.id, orderId: o.orderId,
    });
    if (posted.status === 'posted') entries.push(posted.entry);
  }
  return entries;
}

/** Issued codes past their expiry become `expired` (the points stay spent: the code was the customer's to use). */
export async function expireRedemptions(deps: Deps, now = new Date(), limit = 500): Promise<number> {
  const rows = await deps.db.rows<{ id: string }>(sql`
    update reward_redemptions set status = 'expired', updated_at = ${now.toISOString()}::timestamptz
    where (merchant_id, id) in (
      select merchant_id, id from reward_redemptions
      where status = 'issued' and expires_at < ${now.toISOString()}::timestamptz
      limit ${limit}
    ) and status = 'issued'
    returning id`);
  return rows.length;
}
