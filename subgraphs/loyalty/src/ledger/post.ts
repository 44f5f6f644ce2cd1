import { and, eq, sql } from 'drizzle-orm';
import { newId, pointsTransactions, type LedgerEntryType, type Tx } from '@herethere/db';
import { topics, type Deps } from '@herethere/runtime';
import { afterCommitListeners, ledgerListeners } from '../earning/hooks';
import { invalidateCustomer, markLedgerMoved } from '../customer/cache';
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

/** A customer's ledger position, read under the row lock that serialises their posts. */
export interface LedgerHead {
  balance: number;
  seq: number;
  head: string;
}

/** Where the customer's ledger stands after an entry: what the next post in the same transaction builds on. */
export const headAfter = (entry: LedgerEntry): LedgerHead => ({ balance: entry.balanceAfter, seq: entry.seq, head: entry.hash });

/** Locks the customer's row for this transaction and reads their ledger head. */
async function lockLedger(deps: Pick<Deps, 'db'>, tx: Tx, merchantId: string, customerId: string): Promise<LedgerHead | null> {
  const [row] = await deps.db.rows<{ balance: number; seq: number; head: string }>(sql`
    select points_balance as balance, ledger_seq as seq, ledger_head_hash as head from customers
     where merchant_id = ${merchantId} and id = ${customerId} for update`, tx);
  return row ?? null;
}

export interface PostOptions {
  now?: Date;
  /**
   * The customer's head, when the caller already holds their row lock in this transaction (e.g. the
   * previous entry of the same order): saves reading it again.
   */
  locked?: LedgerHead;
}

/**
 * Posts one ledger entry inside the caller's transaction. The customer row is locked first, so
 * concurrent posts for one customer serialise and the balance check cannot be raced. The entry
 * and the customer's balance, totals and chain head move in one statement; the idempotency key's
 * unique index decides duplicates, so a retry returns the original entry with no second effect.
 * Registered ledger listeners (tiers, badges, notifications) run in the same transaction, so their
 * effects commit or roll back with it.
 */
export async function postEntry(deps: Deps, tx: Tx, input: PostInput, options: Date | PostOptions = {}): Promise<PostResult> {
  const { now = new Date(), locked } = options instanceof Date ? { now: options } : options;
  assertValid(input);
  const customer = locked ?? (await lockLedger(deps, tx, input.merchantId, input.customerId));
  if (!customer) return { status: 'customer_not_found' };

  const balanceAfter = customer.balance + input.points;
  if (balanceAfter < 0 && !MAY_GO_NEGATIVE.has(input.type)) {
    const existing = await entryByKey(tx, input.merchantId, input.idempotencyKey);
    return existing ? { status: 'duplicate', entry: existing } : { status: 'insufficient_points', balance: customer.balance };
  }

  const seq = customer.seq + 1;
  const fields = {
    merchantId: input.merchantId, customerId: input.customerId, id: newId('transaction', now.getTime()), seq, type: input.type, points: input.points,
    balanceAfter, idempotencyKey: input.idempotencyKey, orderId: input.orderId ?? null, createdAt: now,
  };
  const hash = entryHash(customer.head, fields);
  const entry: LedgerEntry = {
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
  };
  const earned = input.points > 0 && EARNING.has(input.type) ? input.points : 0;
  const redeemed = input.type === 'redemption' || input.type === 'redemption_void' ? -input.points : 0;
  const expired = input.type === 'expiry' ? -input.points : 0;
  // One round trip: the entry goes in unless its key is taken, and the customer row moves only with it.
  // Written as SQL text rather than with the query builder: this runs for every entry of every
  // order, and building the statement took the builder longer than PostgreSQL takes to run it.
  const at = now.toISOString();
  const inserted = await deps.db.rows<{ id: string }>(sql`
    with entry as (
      insert into points_transactions (merchant_id, id, customer_id, type, points, balance_after, reason, source, order_id, refund_id,
        campaign_id, redemption_id, referral_id, idempotency_key, actor, metadata, seq, prev_hash, hash, created_at)
      values (${entry.merchantId}, ${entry.id}, ${entry.customerId}, ${entry.type}, ${entry.points}, ${entry.balanceAfter}, ${entry.reason}, ${entry.source},
        ${entry.orderId}, ${entry.refundId}, ${entry.campaignId}, ${entry.redemptionId}, ${entry.referralId}, ${entry.idempotencyKey}, ${entry.actor},
        ${JSON.stringify(entry.metadata)}::jsonb, ${seq}, ${entry.prevHash}, ${hash}, ${at}::timestamptz)
      on conflict (merchant_id, idempotency_key) do nothing
      returning id)
    update customers set points_balance = ${balanceAfter}, total_points_earned = total_points_earned + ${earned},
      total_points_redeemed = total_points_redeemed + ${redeemed}, total_points_expired = total_points_expired + ${expired},
      ledger_seq = ${seq}, ledger_head_hash = ${hash}, last_activity_at = ${at}::timestamptz, updated_at = ${at}::timestamptz
      from entry
     where customers.merchant_id = ${input.merchantId} and customers.id = ${input.customerId}
    returning entry.id`, tx);
  if (!inserted.length) {
    const existing = await entryByKey(tx, input.merchantId, input.idempotencyKey);
    if (!existing) throw new Error(`ledger entry ${input.idempotencyKey} conflicted but cannot be found`);
    return { status: 'duplicate', entry: existing };
  }
  const posted = postedIn.get(tx) ?? [];
  posted.push(entry);
  postedIn.set(tx, posted);
  for (const listener of ledgerListeners()) await listener(tx, deps, entry);
  return { status: 'posted', entry };
}

/** Entries posted in each open transaction, in order, whoever posted them (listeners included). */
const postedIn = new WeakMap<object, LedgerEntry[]>();

/** A position in the transaction's postings; `postedSince` lists what came after it. */
export const ledgerMark = (tx: Tx): number => postedIn.get(tx)?.length ?? 0;

/**
 * Everything posted in `tx` since `mark`: a handler pushes all of it after commit, including the
 * entries its listeners posted for other customers (an advocate's referral reward, say).
 */
export const postedSince = (tx: Tx, mark: number): LedgerEntry[] => (postedIn.get(tx) ?? []).slice(mark);

async function entryByKey(tx: Tx, merchantId: string, idempotencyKey: string): Promise<LedgerEntry | undefined> {
  const [existing] = await tx.select().from(pointsTransactions)
    .where(and(eq(pointsTransactions.merchantId, merchantId), eq(pointsTransactions.idempotencyKey, idempotencyKey)));
  return existing;
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

/**
 * After commit, for a handler that changed a customer's row and posted `entries`: an entry posted
 * for that customer leaves a tombstone that already retires their cached row (one Redis call
 * fewer before the push); without one (pending points, order counts) the row is dropped. Then
 * each entry is pushed, in the order posted.
 */
export async function afterCustomerChange(deps: Pick<Deps, 'cache' | 'pubsub' | 'log'>, merchantId: string, customerId: string | null, entries: LedgerEntry[]): Promise<void> {
  if (customerId && !entries.some((e) => e.customerId === customerId)) await invalidateCustomer(deps, merchantId, customerId);
  for (const e of entries) await afterPosted(deps, e);
}

/** Posts in its own transaction and runs the after-commit effects. */
export async function post(deps: Deps, input: PostInput): Promise<PostResult> {
  const result = await deps.db.db.transaction((tx) => postEntry(deps, tx, input));
  if (result.status === 'posted') await afterPosted(deps, result.entry);
  return result;
}
