import type { Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import type { LedgerEntry } from '../ledger/post';

/** What an order contributes to earning, in shop money (integer minor units). */
export interface OrderFacts {
  orderId: string;
  /** The earning base after the merchant's rule (e.g. subtotal after discounts, no shipping/tax/tips/gift cards). */
  baseMinor: number;
  currency: string;
  /** Products on the order's line items (Shopify product GIDs); collections are matched through them. */
  productIds: string[];
  processedAt: Date;
}

export interface EarnContext {
  tx: Tx;
  deps: Deps;
  merchantId: string;
  customerId: string;
  order: OrderFacts;
  /** Points from the merchant's base rule, before any multiplier. */
  basePoints: number;
  at: Date;
}

/** A bonus posted as its own ledger entry, linked to what caused it. */
export interface BonusEntry {
  type: 'campaign' | 'tier_bonus';
  points: number;
  reason: string;
  campaignId?: string;
  /** Makes the bonus's idempotency key unique per order and cause, e.g. `campaign:<id>`. */
  key: string;
}

export interface EarnAdjustment {
  /** Multipliers in basis points (10000 = 1.0×), tagged by kind for the stacking policy. */
  multipliers?: { kind: 'tier' | 'campaign'; bp: number; campaignId?: string; label: string }[];
  bonuses?: BonusEntry[];
}

/**
 * Tier and campaign rules plug in here: each modifier sees the order and the base points and
 * answers with multipliers and bonus entries. The earning code combines multipliers with the
 * merchant's stacking policy and posts everything in the same transaction as the purchase.
 */
export interface EarnModifier {
  name: string;
  apply(ctx: EarnContext): Promise<EarnAdjustment>;
}

/** Called inside the posting transaction after each entry (tier recompute, badges, outbox). */
export type LedgerListener = (tx: Tx, deps: Deps, entry: LedgerEntry) => Promise<void>;

/**
 * Called by `afterPosted`, once the posting transaction has committed: live pushes and follow-up
 * work that must not run for a rolled-back entry (e.g. a tier change's push and entry reward).
 * Errors are logged, never thrown. `deps` is the poster's; `db` and `config` are there in practice.
 */
export type AfterCommitListener = (deps: Pick<Deps, 'cache' | 'pubsub' | 'log'> & Partial<Deps>, entry: LedgerEntry) => Promise<void>;

const modifiers: EarnModifier[] = [];
const listeners: LedgerListener[] = [];
const afterCommit: AfterCommitListener[] = [];

export function registerEarnModifier(m: EarnModifier): void {
  if (!modifiers.some((x) => x.name === m.name)) modifiers.push(m);
}
export function registerLedgerListener(l: LedgerListener): void {
  if (!listeners.includes(l)) listeners.push(l);
}
export const earnModifiers = (): readonly EarnModifier[] => modifiers;
export const ledgerListeners = (): readonly LedgerListener[] => listeners;

/** An order-level event, after loyalty has recorded the order (inside the same transaction). */
export interface OrderEvent {
  kind: 'paid' | 'refunded' | 'cancelled';
  merchantId: string;
  customerId: string | null;
  orderId: string;
  totalMinor: number;
  earningBaseMinor: number;
  refundedMinor: number;
  currency: string;
  discountCodes: string[];
  referralCode: string | null;
  emailNormalized: string | null;
  shopifyCustomerId: string | null;
  shippingAddress: Record<string, unknown> | null;
  browserIp: string | null;
  processedAt: Date;
}

/** Redemptions (codes used), referrals (completion on first order) and tiers (recompute) listen here. */
export type OrderListener = (tx: Tx, deps: Deps, event: OrderEvent) => Promise<void>;
const orderListeners: OrderListener[] = [];
export function registerOrderListener(l: OrderListener): void {
  if (!orderListeners.includes(l)) orderListeners.push(l);
}
export const orderEventListeners = (): readonly OrderListener[] => orderListeners;
export function registerAfterCommitListener(l: AfterCommitListener): void {
  if (!afterCommit.includes(l)) afterCommit.push(l);
}
export const afterCommitListeners = (): readonly AfterCommitListener[] => afterCommit;
