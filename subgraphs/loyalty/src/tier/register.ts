import type { Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { evaluateCustomerBadges, type BadgeDef, type BadgeTrigger } from '../badge/award';
import { recordCampaignAwards } from '../campaign/awards';
import { campaignModifier } from '../campaign/modifier';
import {
  registerAfterCommitListener, registerEarnModifier, registerLedgerListener, registerOrderListener,
  type AfterCommitListener, type LedgerListener, type OrderListener,
} from '../earning/hooks';
import type { LedgerEntry } from '../ledger/post';
import { queueScoreDelta } from '../leaderboard/store';
import { merchantConfig } from '../program/config';
import { toTierDef, type TierContext } from './data';
import { settleTierGrants } from './grants';
import { tierModifier } from './modifier';
import { publishTierMoves, recomputeCustomersInTx, type AppliedMove } from './recompute';

/**
 * How tiers, campaigns, badges and the leaderboard hook into earning:
 * - earn modifiers: the tier multiplier and campaign multipliers/bonuses;
 * - a ledger listener (inside each posting transaction): the leaderboard delta, campaign attribution,
 *   the customer's tier recompute and the badges the entry can earn;
 * - an order listener (inside the order's transaction): tier recompute and order badges, so spend and
 *   order counts move tiers even when the order's points are still pending;
 * - an after-commit listener: live tier pushes and the entry reward of a move up.
 */

interface MerchantGamification {
  timeZone: string;
  tiers: TierContext['tiers'];
  currency: string;
  badges: BadgeDef[];
}

/** What the listeners need about the merchant, from its cached configuration. */
async function merchantGamification(tx: Tx, merchantId: string): Promise<MerchantGamification | null> {
  const config = await merchantConfig(tx, merchantId);
  if (!config) return null;
  return { timeZone: config.merchant.timezone, currency: config.merchant.currency, tiers: config.tiers.map(toTierDef), badges: config.badges };
}

/** Moves waiting for their transaction to commit, keyed by entry id or `order:<merchant>/<order>`. */
const pendingMoves = new Map<string, AppliedMove[]>();
const PENDING_CAP = 5000;

function remember(key: string, moves: AppliedMove[]) {
  if (!moves.length) return;
  pendingMoves.set(key, [...(pendingMoves.get(key) ?? []), ...moves]);
  // Keys of rolled-back transactions are never flushed; keep the map bounded.
  while (pendingMoves.size > PENDING_CAP) pendingMoves.delete(pendingMoves.keys().next().value as string);
}

const orderKey = (merchantId: string, orderId: string) => `order:${merchantId}/${orderId}`;

async function recomputeOne(deps: Pick<Deps, 'db'>, tx: Tx, g: MerchantGamification, merchantId: string, customerId: string, at: Date): Promise<AppliedMove[]> {
  if (!g.tiers.length) return [];
  const ctx: TierContext = { merchantId, timeZone: g.timeZone, currency: g.currency, tiers: g.tiers };
  return recomputeCustomersInTx(deps, tx, ctx, [customerId], { at });
}

function badgeTrigger(entry: LedgerEntry): BadgeTrigger {
  return {
    orders: Boolean(entry.orderId) && ['purchase', 'pending_release', 'refund_clawback', 'cancellation'].includes(entry.type),
    reviews: entry.type === 'review',
    referrals: entry.type === 'referral',
  };
}

export const gamificationLedgerListener: LedgerListener = async (tx, deps, entry) => {
  const g = await merchantGamification(tx, entry.merchantId);
  if (!g) return;
  await queueScoreDelta(deps, tx, entry, g.timeZone);
  await recordCampaignAwards(deps, tx, entry);
  // An entry reward never re-triggers the tier that paid it.
  if (entry.type !== 'tier_bonus') remember(entry.id, await recomputeOne(deps, tx, g, entry.merchantId, entry.customerId, entry.createdAt));
  if (g.badges.length) {
    await evaluateCustomerBadges(deps, tx, { merchantId: entry.merchantId, customerId: entry.customerId, timeZone: g.timeZone, defs: g.badges, trigger: badgeTrigger(entry) });
  }
};

export const gamificationOrderListener: OrderListener = async (tx, deps, event) => {
  if (!event.customerId) return;
  const g = await merchantGamification(tx, event.merchantId);
  if (!g) return;
  remember(orderKey(event.merchantId, event.orderId), await recomputeOne(deps, tx, g, event.merchantId, event.customerId, new Date()));
  if (g.badges.length) {
    await evaluateCustomerBadges(deps, tx, { merchantId: event.merchantId, customerId: event.customerId, timeZone: g.timeZone, defs: g.badges, trigger: { orders: true } });
  }
};

/**
 * For callers outside the order pipeline (e.g. the referral module completing a referral without a
 * ledger entry): evaluates the badges the event can earn, in the caller's transaction.
 */
export async function awardEventBadges(tx: Tx, deps: Pick<Deps, 'db'>, args: { merchantId: string; customerId: string; trigger: BadgeTrigger }): Promise<void> {
  const g = await merchantGamification(tx, args.merchantId);
  if (!g?.badges.length) return;
  await evaluateCustomerBadges(deps, tx, { merchantId: args.merchantId, customerId: args.customerId, timeZone: g.timeZone, defs: g.badges, trigger: args.trigger });
}

export const gamificationAfterCommit: AfterCommitListener = async (deps, entry) => {
  const keys = [entry.id, ...(entry.orderId ? [orderKey(entry.merchantId, entry.orderId)] : [])];
  const moves = keys.flatMap((k) => {
    const m = pendingMoves.get(k) ?? [];
    pendingMoves.delete(k);
    return m;
  });
  if (!moves.length) return;
  await publishTierMoves(deps, moves);
  if (moves.some((m) => m.up) && deps.db && deps.config) {
    await settleTierGrants(deps as Deps, { merchantId: entry.merchantId, customerId: entry.customerId });
  }
};

registerEarnModifier(tierModifier);
registerEarnModifier(campaignModifier);
registerLedgerListener(gamificationLedgerListener);
registerOrderListener(gamificationOrderListener);
registerAfterCommitListener(gamificationAfterCommit);
