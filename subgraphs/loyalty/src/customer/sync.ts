import { and, asc, eq, isNull } from 'drizzle-orm';
import { customers, orders, type Tx } from '@herethere/db';
import type { Deps, HandlerOutcome, InboxDelivery } from '@herethere/runtime';
import { afterCustomerChange, ledgerMark, postEntry, postedSince } from '../ledger/post';
import { creditOrder, factsOf } from '../order/credit';
import { emitOrderEvent } from '../order/events';
import { programOf } from '../order/settings';
import { normalizeEmail } from './email';
import { invalidateCustomer } from './cache';
import { ensureCustomer } from './ensure';

interface RawCustomer {
  id?: unknown;
  email?: unknown;
  first_name?: unknown;
  last_name?: unknown;
  phone?: unknown;
  email_marketing_consent?: { state?: unknown } | null;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

function profileOf(raw: RawCustomer) {
  const email = text(raw.email)?.toLowerCase() ?? null;
  return {
    email,
    emailNormalized: normalizeEmail(email),
    firstName: text(raw.first_name),
    lastName: text(raw.last_name),
    phone: text(raw.phone),
    acceptsMarketing: raw.email_marketing_consent?.state === 'subscribed',
  };
}

function shopifyIdOf(raw: RawCustomer): string {
  const id = typeof raw.id === 'number' ? String(raw.id) : raw.id;
  if (typeof id !== 'string' || !/^\d{1,20}$/.test(id)) throw new Error('customer id is missing or not numeric');
  return id;
}

/**
 * customers/create: the shopper joins the program, gets the signup bonus once, and any guest
 * orders placed with the same email are credited to the new account.
 */
export async function handleCustomerCreated(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const mark = ledgerMark(tx);
  const raw = d.payload as RawCustomer;
  const shopifyId = shopifyIdOf(raw);
  const profile = profileOf(raw);
  const { id: customerId } = await ensureCustomer(tx, d.merchantId, shopifyId, profile);
  await tx.update(customers).set({ ...profile, updatedAt: new Date() }).where(and(eq(customers.merchantId, d.merchantId), eq(customers.id, customerId)));
  const ctx = await programOf(tx, d.merchantId);
  const notes: string[] = [];
  if (ctx?.program.enabled && ctx.program.earning.signupPoints > 0) {
    const r = await postEntry(deps, tx, {
      merchantId: d.merchantId, customerId, type: 'signup', points: ctx.program.earning.signupPoints, reason: 'Joined the program',
      source: 'system', idempotencyKey: `signup:${shopifyId}`, actor: 'webhook:customers/create',
    });
    if (r.status === 'posted') {
      notes.push(`signup bonus ${r.entry.points}`);
    }
  }
  if (ctx?.program.enabled && profile.emailNormalized) {
    const guests = await tx.select().from(orders)
      .where(and(eq(orders.merchantId, d.merchantId), isNull(orders.customerId), eq(orders.emailNormalized, profile.emailNormalized), eq(orders.status, 'paid')))
      .orderBy(asc(orders.processedAt)).for('update');
    for (const order of guests) {
      const credit = await creditOrder(tx, deps, ctx.program, order, customerId, factsOf(order));
      await emitOrderEvent(tx, deps, 'paid', { ...order, customerId, pointsEarned: credit.points });
      notes.push(`guest order ${order.id} credited ${credit.points}`);
    }
  }
  const posted = postedSince(tx, mark);
  return {
    outcome: `customer ${shopifyId} joined${notes.length ? `: ${notes.join(', ')}` : ''}`,
    after: () => afterCustomerChange(deps, d.merchantId, customerId, posted),
  };
}

/** customers/update: keep the profile current (email, name, phone, marketing consent). */
export async function handleCustomerUpdated(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const raw = d.payload as RawCustomer;
  const shopifyId = shopifyIdOf(raw);
  const [row] = await tx.select({ id: customers.id, state: customers.state }).from(customers)
    .where(and(eq(customers.merchantId, d.merchantId), eq(customers.shopifyCustomerId, shopifyId)));
  if (!row) return handleCustomerCreated(tx, deps, d);
  if (row.state === 'redacted') return { outcome: `customer ${shopifyId} was redacted; profile not stored` };
  await tx.update(customers).set({ ...profileOf(raw), updatedAt: new Date() }).where(and(eq(customers.merchantId, d.merchantId), eq(customers.id, row.id)));
  return { outcome: `customer ${shopifyId} profile updated`, after: () => invalidateCustomer(deps, d.merchantId, row.id) };
}

export { invalidateCustomer } from './cache';
