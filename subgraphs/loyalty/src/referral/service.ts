import { randomBytes, createHash } from 'node:crypto';
import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import {
  customerFingerprints, customers, merchants, newId, orders, queryRows, queuedRows, queueRows, referralLinks, referrals,
  type DbOrTx, type FingerprintKind, type ReferralDecision, type ReferralSettings, type Tx,
} from '@herethere/db';
import { discountProviderFor, generateDiscountCode, isIssuedDiscountCode, type Deps } from '@herethere/runtime';
import { postEntry, type LedgerEntry } from '../ledger/post';
import { merchantConfig } from '../program/config';
import { enqueueNotification } from '../notification/enqueue';
import { evaluateReferral, fingerprintHash, normalizeAddress, normalizeEmail, normalizePhone } from './fraud';

export type ReferralLinkRow = typeof referralLinks.$inferSelect;
export type ReferralRow = typeof referrals.$inferSelect;

/** Where Shopify's app proxy exposes this app on the storefront (`/apps/loyalty/…` → `/proxy/…`). */
export const APP_PROXY_PREFIX = '/apps/loyalty';

export const REFERRAL_DEFAULTS: ReferralSettings = {
  enabled: true, advocatePoints: 500, friendDiscount: { kind: 'percentage', value: 10 }, completeOn: 'first_order',
  smsEnabled: false, emailEnabled: true, maxReferralsPerIpPerWeek: 10,
};

export async function referralSettingsOf(db: DbOrTx, merchantId: string): Promise<ReferralSettings> {
  const config = await merchantConfig(db, merchantId);
  return { ...REFERRAL_DEFAULTS, ...(config?.program?.referral ?? {}) };
}

const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** 12 Crockford base32 characters: 60 random bits, short enough to share. */
export function generateReferralCode(): string {
  const bytes = randomBytes(12);
  let out = '';
  for (let i = 0; i < 12; i++) out += CODE_ALPHABET[bytes[i] % 32];
  return out;
}

export const referralUrl = (shopDomain: string, code: string) => `https://${shopDomain}${APP_PROXY_PREFIX}/r/${code}`;

/** The advocate's link, created on first request; asking again returns the same one. */
export async function ensureReferralLink(deps: Deps, merchantId: string, customerId: string): Promise<ReferralLinkRow> {
  const where = and(eq(referralLinks.merchantId, merchantId), eq(referralLinks.advocateCustomerId, customerId));
  const [existing] = await deps.db.db.select().from(referralLinks).where(where);
  if (existing) return existing;
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const [row] = await deps.db.db.insert(referralLinks)
        .values({ merchantId, id: newId('referralLink'), advocateCustomerId: customerId, referralCode: generateReferralCode() })
        .onConflictDoNothing({ target: [referralLinks.merchantId, referralLinks.advocateCustomerId] })
        .returning();
      if (row) return row;
      const [winner] = await deps.db.db.select().from(referralLinks).where(where);
      if (winner) return winner;
    } catch (err) {
      // A code collision (60 random bits, so vanishingly rare): draw another.
      if (!/referral_code|duplicate|unique/i.test(String((err as Error).message) + String((err as { cause?: Error }).cause?.message))) throw err;
    }
  }
  throw new Error('could not allocate a referral code');
}

export async function linkByCode(db: DbOrTx, merchantId: string, code: string): Promise<ReferralLinkRow | null> {
  const normal = code.trim().toUpperCase();
  if (!/^[0-9A-Z]{4,32}$/.test(normal)) return null;
  const [row] = await db.select().from(referralLinks).where(and(eq(referralLinks.merchantId, merchantId), eq(referralLinks.referralCode, normal)));
  return row ?? null;
}

/** `CODE` or `CODE:ref_…` (the landing's attribution, as the storefront puts it in the cart attribute). */
export function parseAttribution(value: string | null | undefined): { code: string; referralId: string | null } | null {
  if (!value) return null;
  const [code, referralId] = value.trim().split(/[:.]/, 2);
  if (!code) return null;
  return { code: code.toUpperCase(), referralId: referralId && /^ref_[0-9a-z]{26}$/.test(referralId) ? referralId : null };
}

const WEEK_MS = 7 * 86_400_000;

async function referralsFromIp(db: DbOrTx, merchantId: string, ip: string, excludeId: string | null, now: Date): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(referrals).where(and(
    eq(referrals.merchantId, merchantId), eq(referrals.landingIp, ip), gt(referrals.createdAt, new Date(now.getTime() - WEEK_MS)),
    excludeId ? ne(referrals.id, excludeId) : undefined,
  ));
  return row?.n ?? 0;
}

export interface LandingResult {
  referralId: string;
  code: string;
  friendDiscountCode: string | null;
  shopDomain: string;
}

/**
 * A friend followed a referral link (through the app proxy): count the click and record the
 * attribution (a pending referral with the landing IP). A returning visitor with the attribution
 * cookie keeps their referral. The friend's single-use welcome code is created unless the IP is
 * already over the weekly limit.
 */
export async function recordReferralLanding(deps: Deps, o: { merchantId: string; code: string; ip: string | null; referralId?: string | null; now?: Date }): Promise<LandingResult | null> {
  const now = o.now ?? new Date();
  const link = await linkByCode(deps.db.db, o.merchantId, o.code);
  if (!link) return null;
  const settings = await referralSettingsOf(deps.db.db, o.merchantId);
  const [merchant] = await deps.db.db.select({ shopDomain: merchants.shopDomain, currency: merchants.currency }).from(merchants).where(eq(merchants.id, o.merchantId));
  if (!settings.enabled || !merchant) return null;
  await deps.db.db.update(referralLinks).set({ clicks: sql`${referralLinks.clicks} + 1`, updatedAt: now })
    .where(and(eq(referralLinks.merchantId, o.merchantId), eq(referralLinks.id, link.id)));
  if (o.referralId) {
    const [again] = await deps.db.db.select().from(referrals)
      .where(and(eq(referrals.merchantId, o.merchantId), eq(referrals.id, o.referralId), eq(referrals.referralLinkId, link.id), eq(referrals.status, 'pending')));
    if (again) return { referralId: again.id, code: link.referralCode, friendDiscountCode: again.friendDiscountCode, shopDomain: merchant.shopDomain };
  }
  const overLimit = o.ip ? (await referralsFromIp(deps.db.db, o.merchantId, o.ip, null, now)) >= settings.maxReferralsPerIpPerWeek : false;
  const id = newId('referral', now.getTime());
  await deps.db.db.insert(referrals).values({
    merchantId: o.merchantId, id, referralLinkId: link.id, advocateCustomerId: link.advocateCustomerId, status: 'pending', landingIp: o.ip, createdAt: now, updatedAt: now,
  });
  let friendDiscountCode: string | null = null;
  if (!overLimit) {
    const code = generateDiscountCode('REF');
    try {
      const provider = await discountProviderFor(deps, o.merchantId);
      const created = await provider.create({
        title: 'Referral welcome offer', code, kind: settings.friendDiscount.kind, currency: merchant.currency,
        amountMinor: settings.friendDiscount.kind === 'fixed_amount' ? settings.friendDiscount.value : null,
        percentageBp: settings.friendDiscount.kind === 'percentage' ? settings.friendDiscount.value * 100 : null,
        shopifyCustomerId: null, startsAt: now, endsAt: new Date(now.getTime() + 30 * 86_400_000),
        usageLimit: 1, appliesOncePerCustomer: true, combinesWith: { order: false, product: false, shipping: false },
      });
      await deps.db.db.update(referrals).set({ friendDiscountCode: code, friendShopifyDiscountId: created.id, updatedAt: new Date() })
        .where(and(eq(referrals.merchantId, o.merchantId), eq(referrals.id, id)));
      friendDiscountCode = code;
    } catch (err) {
      deps.log.warn('friend discount could not be created; attribution kept', { referralId: id, error: (err as Error).message });
    }
  }
  return { referralId: id, code: link.referralCode, friendDiscountCode, shopDomain: merchant.shopDomain };
}

interface Fingerprint {
  merchant_id: string;
  kind: FingerprintKind;
  value_hash: string;
  customer_id: string;
}

const FINGERPRINTS = 'customer_fingerprints';

/**
 * Remembers (hashed) which email, phone and address a customer uses, for later self-referral
 * checks. Every paid order records them, so a transaction's fingerprints (an inbox batch's dozens
 * of orders) go in with one statement just before it commits; `fingerprintsOf` sees them before.
 */
export function recordFingerprints(tx: Tx, merchantId: string, customerId: string, values: { email?: string | null; phone?: string | null; address?: string | null }): void {
  const rows = (Object.entries(values) as [FingerprintKind, string | null | undefined][])
    .filter((e): e is [FingerprintKind, string] => Boolean(e[1]))
    .map(([kind, value]): Fingerprint => ({ merchant_id: merchantId, kind, value_hash: fingerprintHash(merchantId, kind, value), customer_id: customerId }));
  queueRows(tx, FINGERPRINTS, rows, async (t, all) => {
    await queryRows(t, sql`insert into customer_fingerprints (merchant_id, kind, value_hash, customer_id)
      select v.merchant_id, v.kind, v.value_hash, v.customer_id from jsonb_to_recordset(${JSON.stringify(all)}::jsonb) as v(merchant_id text, kind text, value_hash text, customer_id text)
      on conflict do nothing`);
  });
}

/** A customer's fingerprint hashes: those stored, and those this transaction has recorded and not yet written. */
async function fingerprintsOf(tx: Tx, merchantId: string, customerId: string): Promise<Set<string>> {
  const stored = await tx.select({ valueHash: customerFingerprints.valueHash }).from(customerFingerprints)
    .where(and(eq(customerFingerprints.merchantId, merchantId), eq(customerFingerprints.customerId, customerId)));
  const pending = queuedRows<Fingerprint>(tx, FINGERPRINTS).filter((p) => p.merchant_id === merchantId && p.customer_id === customerId);
  return new Set([...stored.map((p) => p.valueHash), ...pending.map((p) => p.value_hash)]);
}

export interface CompletionInput {
  merchantId: string;
  customerId: string | null;
  orderId?: string | null;
  /** The attribution the order carried (cart attribute): `CODE` or `CODE:ref_…`. */
  referralCode?: string | null;
  discountCodes?: string[];
  email?: string | null;
  phone?: string | null;
  shippingAddress?: Record<string, unknown> | null;
  landingIp?: string | null;
}

export interface CompletionResult {
  outcome: 'none' | 'completed' | 'rejected' | 'linked';
  referralId?: string;
  reason?: string | null;
  /** Ledger entries posted (the advocate's points): run afterPosted for them after commit. */
  entries: LedgerEntry[];
}

/** Finds the pending referral an order or sign-up belongs to, creating one for a bare code. */
async function locateReferral(tx: Tx, i: CompletionInput, now: Date): Promise<ReferralRow | null> {
  const codes = (i.discountCodes ?? []).map((c) => c.trim().toUpperCase()).filter(isIssuedDiscountCode);
  if (codes.length) {
    const [byDiscount] = await tx.select().from(referrals).where(and(eq(referrals.merchantId, i.merchantId), inArray(referrals.friendDiscountCode, codes)));
    if (byDiscount) return byDiscount;
  }
  const attribution = parseAttribution(i.referralCode);
  if (!attribution) return null;
  const link = await linkByCode(tx, i.merchantId, attribution.code);
  if (!link) return null;
  if (attribution.referralId) {
    const [byId] = await tx.select().from(referrals).where(and(eq(referrals.merchantId, i.merchantId), eq(referrals.id, attribution.referralId), eq(referrals.referralLinkId, link.id)));
    if (byId && (!byId.friendCustomerId || byId.friendCustomerId === i.customerId)) return byId;
  }
  const [linked] = await tx.select().from(referrals).where(and(
    eq(referrals.merchantId, i.merchantId), eq(referrals.referralLinkId, link.id),
    i.customerId ? or(eq(referrals.friendCustomerId, i.customerId), and(isNull(referrals.friendCustomerId), i.landingIp ? eq(referrals.landingIp, i.landingIp) : sql`false`)) : sql`false`,
  )).orderBy(desc(referrals.id)).limit(1);
  if (linked) return linked;
  // A code typed in without a landing: a referral of its own, judged like any other.
  const [created] = await tx.insert(referrals).values({
    merchantId: i.merchantId, id: newId('referral', now.getTime()), referralLinkId: link.id, advocateCustomerId: link.advocateCustomerId,
    status: 'pending', landingIp: i.landingIp ?? null, createdAt: now, updatedAt: now,
  }).returning();
  return created;
}

/**
 * Decides a referral for a friend (on their first paid order, or on sign-up when the shop completes
 * referrals then): runs every fraud rule, stores the decision with its explanation, and on
 * approval pays the advocate and tells them. Runs inside the caller's transaction.
 */
async function decide(tx: Tx, deps: Deps, referral: ReferralRow, i: CompletionInput, via: 'order' | 'signup', settings: ReferralSettings, now: Date): Promise<CompletionResult> {
  const [locked] = await tx.select().from(referrals).where(and(eq(referrals.merchantId, referral.merchantId), eq(referrals.id, referral.id))).for('update');
  if (!locked || locked.status !== 'pending') return { outcome: 'none', referralId: referral.id, entries: [] };
  const friendId = i.customerId!;
  const [friend] = await tx.select().from(customers).where(and(eq(customers.merchantId, i.merchantId), eq(customers.id, friendId)));
  const [advocate] = await tx.select().from(customers).where(and(eq(customers.merchantId, i.merchantId), eq(customers.id, locked.advocateCustomerId)));
  const advocatePrints = await fingerprintsOf(tx, i.merchantId, locked.advocateCustomerId);
  const friendEmail = normalizeEmail(i.email ?? friend?.email);
  const landingIp = locked.landingIp ?? i.landingIp ?? null;
  const [prior] = await tx.select({ n: sql<number>`count(*)::int` }).from(orders).where(and(
    eq(orders.merchantId, i.merchantId), eq(orders.customerId, friendId), ne(orders.status, 'cancelled'), i.orderId ? ne(orders.id, i.orderId) : undefined,
  ));
  const [already] = await tx.select({ id: referrals.id }).from(referrals)
    .where(and(eq(referrals.merchantId, i.merchantId), eq(referrals.friendCustomerId, friendId), eq(referrals.status, 'completed')));
  const decision = evaluateReferral({
    merchantId: i.merchantId,
    advocate: {
      customerId: locked.advocateCustomerId, email: normalizeEmail(advocate?.email), phone: normalizePhone(advocate?.phone), address: null,
      fingerprints: advocatePrints,
    },
    friend: { customerId: friendId, email: friendEmail, phone: normalizePhone(i.phone ?? friend?.phone), address: normalizeAddress(i.shippingAddress) },
    landingIp,
    referralsFromIpThisWeek: landingIp ? await referralsFromIp(tx, i.merchantId, landingIp, locked.id, now) : 0,
    maxReferralsPerIpPerWeek: settings.maxReferralsPerIpPerWeek,
    friendPriorOrders: prior?.n ?? 0,
    friendAlreadyReferred: Boolean(already),
  }, now);
  const { reason, ...stored } = decision;
  const common = { friendCustomerId: friendId, friendEmailNormalized: friendEmail, orderId: i.orderId ?? null, decision: stored as ReferralDecision, updatedAt: now };
  if (decision.outcome !== 'approve') {
    await tx.update(referrals).set({ ...common, status: 'rejected', rejectedReason: reason }).where(and(eq(referrals.merchantId, i.merchantId), eq(referrals.id, locked.id)));
    return { outcome: 'rejected', referralId: locked.id, reason, entries: [] };
  }
  await tx.update(referrals).set({ ...common, status: 'completed', completedAt: now, completedVia: via }).where(and(eq(referrals.merchantId, i.merchantId), eq(referrals.id, locked.id)));
  const entries = await payAdvocate(tx, deps, { ...locked, friendCustomerId: friendId }, settings, `system:referral-${via}`);
  return { outcome: 'completed', referralId: locked.id, entries };
}

/** The advocate's points (one `referral` entry per referral, whoever completes it) and their message. */
async function payAdvocate(tx: Tx, deps: Deps, r: ReferralRow, settings: ReferralSettings, actor: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  if (settings.advocatePoints > 0) {
    const posted = await postEntry(deps, tx, {
      merchantId: r.merchantId, customerId: r.advocateCustomerId, type: 'referral', points: settings.advocatePoints,
      reason: 'Referral completed', source: 'referral', idempotencyKey: `referral:${r.id}:advocate`, actor, referralId: r.id,
    });
    if (posted.status === 'posted') entries.push(posted.entry);
  }
  const [advocate] = await tx.select({ email: customers.email }).from(customers).where(and(eq(customers.merchantId, r.merchantId), eq(customers.id, r.advocateCustomerId)));
  if (advocate?.email && settings.emailEnabled) {
    await enqueueNotification(tx, {
      merchantId: r.merchantId, customerId: r.advocateCustomerId, kind: 'referral_completed', channel: 'email',
      payload: { referral: { points: settings.advocatePoints } }, dedupeKey: `referral_completed:${r.id}`,
    });
  }
  return entries;
}

/**
 * orders/paid: remembers the customer's email, phone and address (hashed) for later checks, and
 * completes (or rejects, with the reason) the referral this order carries when it is the friend's
 * first paid order. Idempotent: a decided referral is never decided again.
 */
export async function completeReferralForOrder(tx: Tx, deps: Deps, i: CompletionInput): Promise<CompletionResult> {
  if (!i.customerId) return { outcome: 'none', entries: [] };
  recordFingerprints(tx, i.merchantId, i.customerId, { email: normalizeEmail(i.email), phone: normalizePhone(i.phone), address: normalizeAddress(i.shippingAddress) });
  if (!i.referralCode && !(i.discountCodes ?? []).some(isIssuedDiscountCode)) return { outcome: 'none', entries: [] };
  const settings = await referralSettingsOf(tx, i.merchantId);
  if (!settings.enabled) return { outcome: 'none', entries: [] };
  const now = new Date();
  const referral = await locateReferral(tx, i, now);
  if (!referral) return { outcome: 'none', entries: [] };
  return decide(tx, deps, referral, i, 'order', settings, now);
}

/**
 * A friend signed in carrying an attribution: the referral is tied to them, and completed (or
 * rejected) now when the shop completes referrals on sign-up; otherwise their first order decides.
 */
export async function attributeReferral(tx: Tx, deps: Deps, i: CompletionInput): Promise<CompletionResult> {
  if (!i.customerId) return { outcome: 'none', entries: [] };
  const settings = await referralSettingsOf(tx, i.merchantId);
  if (!settings.enabled) return { outcome: 'none', entries: [] };
  const [friend] = await tx.select({ email: customers.email, phone: customers.phone }).from(customers).where(and(eq(customers.merchantId, i.merchantId), eq(customers.id, i.customerId)));
  recordFingerprints(tx, i.merchantId, i.customerId, { email: normalizeEmail(i.email ?? friend?.email), phone: normalizePhone(i.phone ?? friend?.phone) });
  const now = new Date();
  const referral = await locateReferral(tx, i, now);
  if (!referral) return { outcome: 'none', entries: [] };
  if (settings.completeOn === 'signup') return decide(tx, deps, referral, i, 'signup', settings, now);
  if (referral.status !== 'pending') return { outcome: 'none', referralId: referral.id, entries: [] };
  await tx.update(referrals).set({ friendCustomerId: i.customerId, friendEmailNormalized: normalizeEmail(i.email ?? friend?.email), updatedAt: now })
    .where(and(eq(referrals.merchantId, i.merchantId), eq(referrals.id, referral.id), isNull(referrals.friendCustomerId)));
  return { outcome: 'linked', referralId: referral.id, entries: [] };
}

export type ApproveResult =
  | { ok: true; referral: ReferralRow; entries: LedgerEntry[] }
  | { ok: false; code: 'NOT_FOUND' | 'CONFLICT'; message: string };

/** A merchant overrules a rejection: the referral completes and the advocate is paid, once. */
export async function approveReferral(tx: Tx, deps: Deps, merchantId: string, id: string, actor: string): Promise<ApproveResult> {
  const [r] = await tx.select().from(referrals).where(and(eq(referrals.merchantId, merchantId), eq(referrals.id, id))).for('update');
  if (!r) return { ok: false, code: 'NOT_FOUND', message: 'No referral with that id in this shop' };
  if (r.status !== 'rejected') return { ok: false, code: 'CONFLICT', message: `Only a rejected referral can be approved; this one is ${r.status}` };
  if (r.friendCustomerId) {
    const [other] = await tx.select({ id: referrals.id }).from(referrals)
      .where(and(eq(referrals.merchantId, merchantId), eq(referrals.friendCustomerId, r.friendCustomerId), eq(referrals.status, 'completed')));
    if (other) return { ok: false, code: 'CONFLICT', message: `This friend already completed referral ${other.id}` };
  }
  const now = new Date();
  const [updated] = await tx.update(referrals).set({ status: 'completed', completedAt: now, completedVia: 'merchant', approvedBy: actor, updatedAt: now })
    .where(and(eq(referrals.merchantId, merchantId), eq(referrals.id, id), eq(referrals.status, 'rejected'))).returning();
  const settings = await referralSettingsOf(tx, merchantId);
  const entries = await payAdvocate(tx, deps, updated, settings, actor);
  return { ok: true, referral: updated, entries };
}

/** Dedupe key of an invitation: one per link, recipient and day. */
export const inviteDedupeKey = (linkId: string, to: string, now: Date) =>
  `referral_invite:${linkId}:${createHash('sha256').update(to.toLowerCase()).digest('hex').slice(0, 32)}:${now.toISOString().slice(0, 10)}`;
