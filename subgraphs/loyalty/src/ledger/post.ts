import { and, eq, sql } from 'drizzle-orm';
import { customers, newId, pointsTransactions, type LedgerEntryType, type Tx } from '@herethere/db';
import { topics, type Deps } from '@herethere/runtime';
import { afterCommitListeners, ledgerListeners } from '../earning/hooks';
import { markLedgerMoved } from '../customer/cache';
import { entryHash } from './chain';

export type LedgerEntry = typeof pointsTransactions.$inferSelect;

export interface PostInput {
  merchantId: string;
  customerId: string;
  type: LedgerEntryType;
  points: number;
  reason: string;
  source: string;
  idempotencyKey: string;
  actor: string;
  orderId?: string | null;
  refundId?: string | null;
  campaignId?: string | null;
  redemptionId?: string | null;
  referralId?: string | null;
  metadata?: Record<string, unknown>;
}

export type PostResult =
  | { status: 'posted'; entry: LedgerEntry }
  | { status: 'duplicate'; entry: LedgerEntry }
  | { status: 'insufficient_points'; balance: number }
  | { status: 'customer_not_found' };

/** Entry types allowed to take a balance below zero (a clawback of points already spent). */
const MAY_GO_NEGATIVE: ReadonlySet<LedgerEntryType> = new Set(['refund_clawback', 'cancellation', 'admin_adjust']);
const EARNING: ReadonlySet<LedgerEntryType> = new Set(['purchase', 'signup', 'review', 'birthday', 'referral', 'campaign', 'tier_bonus', 'custom', 'import', 'admin_adjust', 'pending_release']);

export class LedgerInputError extends Error {}

function assertValid(input: PostInput): void {
  if (!Number.isSafeInteger(input.points) || input.points === 0) throw new LedgerInputError('points must be a non-zero integer');
  if (Math.abs(input.points) > 100_000_000) throw new LedgerInputError('points must be at most 100,000,000 in one entry');
  if (!input.idempotencyKey || input.idempotencyKey.length > 200) throw new LedgerInputError('idempotencyKey must be 1 to 200 characters');
  if (!input.reason.trim() || input.reason.length > 500) throw new LedgerInputError('reason must be 1 to 500 characters');
}

/**
 * Posts one ledger entry inside the caller's transaction. The customer row is locked first, so
 * concurrent posts for one customer serialise and the balance check cannot be raced; the
 * idempotency key is checked under that lock (and enforced by a unique index), so a duplicate
 * returns the original entry with no second effect. Balance, totals and the hash chain head
 * move in the same statement batch as the insert. Registered ledger listeners (tiers, badges,
 * notifications) run in the same transaction, so their effects commit or roll back with it.
 */
export async function postEntry(deps: Deps, tx: Tx, input: PostInput, now = new Date()): Promise<PostResult> {
  assertValid(input);
  const [customer] = await tx
    .select({ balance: customers.pointsBalance, seq: customers.ledgerSeq, head: customers.ledgerHeadHash })
    .from(customers)
    .where(and(eq(customers.merchantId, input.merchantId), eq(customers.id, input.customerId)))
    .for('update');
  if (!customer) return { status: 'customer_not_found' };

  const [existing] = await tx
    .select()
    .from(pointsTransactions)
    .where(and(eq(pointsTransactions.merchantId, input.merchantId), eq(pointsTransactions.idempotencyKey, input.idempotencyKey)));
  if (existing) return { status: 'duplicate', entry: existing };

  const balanceAfter = customer.balance + input.points;
  if (balanceAfter < 0 && !MAY_GO_NEGATIVE.has(input.type)) return { status: 'insufficient_points', balance: customer.balance };

  const seq = customer.seq + 1;
  const id = newId('transaction', now.getTime());
  const fields = {
    merchantId: input.merchantId, customerId: input.customerId, id, seq, type: input.type, points: input.points,
    balanceAfter, idempotencyKey: input.idempotencyKey, orderId: input.orderId ?? null, createdAt: now,
  };
  const hash = entryHash(customer.head, fields);
  const [entry] = await tx
    .insert(pointsTransactions)
    .values({
      ...fields,
      reason: input.reason,
      source: input.source,
      actor: input.actor,
      refundId: input.refundId ?? null,
      campaignId: input.campaignId ?? null,
      redemptionId: input.redemptionId ?? null,
      referralId: input.referralId ?? null,
      metadata: input.metadata ?? {},
      prevHash: customer.head,
      hash,
    })
    .returning();

  const earned = input.points > 0 && EARNING.has(input.type) ? input.points : 0;
  const redeemed = input.type === 'redemption' ? -input.points : input.type === 'redemption_void' ? -input.points : 0;
  const expired = input.type === 'expiry' ? -input.points : 0;
  await tx
    .update(customers)
    .set({
      pointsBalance: balanceAfter,
      totalPointsEarned: sql`${customers.totalPointsEarned} + ${earned}`,
      totalPointsRedeemed: sql`${customers.totalPointsRedeemed} + ${redeemed}`,
      totalPointsExpired: sql`${customers.totalPointsExpired} + ${expired}`,
      ledgerSeq: seq,
      ledgerHeadHash: hash,
      lastActivityAt: now,
      updatedAt: now,
    })
    .where(and(eq(customers.merchantId, input.merchantId), eq(customers.id, input.customerId)));
  for (const listener of ledgerListeners()) await listener(tx, deps, entry);
  return { status: 'posted', entry };
}

/** What a live subscriber is told when a balance moves. Self-contained: no follow-up fetch needed. */
export interface BalanceEventPayload {
  customerId: string;
  balance: number;
  delta: number;
  entryType: string;
  reason: string;
  transactionId: string;
  at: string;
}

/** After commit: tombstone the cached customer at the new sequence, then push the change live. */
export async function afterPosted(deps: Pick<Deps, 'cache' | 'pubsub' | 'log'>, entry: LedgerEntry): Promise<void> {
  await markLedgerMoved(deps.cache, entry.merchantId, entry.customerId, entry.seq);
  const payload: BalanceEventPayload = {
    customerId: entry.customerId,
    balance: entry.balanceAfter,
    delta: entry.points,
    entryType: entry.type,
    reason: entry.reason,
    transactionId: entry.id,
    at: entry.createdAt.toISOString(),
  };
  try {
    await deps.pubsub.publish(topics.customerBalance(entry.merchantId, entry.customerId), payload);
  } catch (err) {
    // Live pushes are best effort; the ledger already holds the truth.
    deps.log.warn('balance push failed', { error: String(err), customerId: entry.customerId });
  }
  for (const listener of afterCommitListeners()) {
    try {
      await listener(deps, entry);
    } catch (err) {
      deps.log.warn('after-commit listener failed', { error: String(err), transactionId: entry.id });
    }
  }
}

/** Posts in its own transaction and runs the after-commit effects. */
export async function post(deps: Deps, input: PostInput): Promise<PostResult> {
  const result = await deps.db.db.transaction((tx) => postEntry(deps, tx, input));
  if (result.status === 'posted') await afterPosted(deps, result.entry);
  return result;
}
