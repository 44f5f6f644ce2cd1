import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, like, sql } from 'drizzle-orm';
import { customers, merchants, newId, notificationOutbox, pendingPoints, pointsTransactions, type LedgerEntryType, type PendingEntry } from '@herethere/db';
import { afterPosted, postEntry } from '@herethere/loyalty';
import { awardBirthdayBonuses } from '@herethere/loyalty/schedule/birthday';
import { expirePoints } from '@herethere/loyalty/schedule/expiry';
import { releasePendingPoints } from '@herethere/loyalty/schedule/pending';
import { scheduleTick } from '@herethere/loyalty/schedule/worker';
import { verifyLedger } from '@herethere/loyalty/ledger/verify';
import { fromLocal } from '@herethere/runtime/zoned-time';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

// The jobs are run with an injected `now` years ahead of the real clock, so the product's own
// scheduler (running on the real clock in the background) never acts on this data.

let stack: Stack;

const SETTINGS = 'mutation($input: ProgramSettingsUpdateInput!) { programSettingsUpdate(input: $input) { userErrors { field message } } }';

async function shop(domain: string, settings: Record<string, unknown>, timezone = 'UTC') {
  const merchantId = await install(stack, domain);
  const token = await merchantToken(stack.config, domain);
  const res = await gql<{ programSettingsUpdate: { userErrors: unknown[] } }>(stack.url, token, SETTINGS, { input: settings });
  expect(res.body.data!.programSettingsUpdate.userErrors).toEqual([]);
  if (timezone !== 'UTC') {
    const tz = await gql<{ shopUpdate: { userErrors: unknown[] } }>(stack.url, token, 'mutation($tz: String!) { shopUpdate(input: { timezone: $tz }) { userErrors { message } } }', { tz: timezone });
    expect(tz.body.data!.shopUpdate.userErrors).toEqual([]);
  }
  return { domain, merchantId, token };
}

async function postAt(merchantId: string, customerId: string, type: LedgerEntryType, points: number, at: Date, key: string) {
  const r = await stack.deps.db.db.transaction((tx) => postEntry(stack.deps, tx, { merchantId, customerId, type, points, reason: `${type} for the test`, source: 'system', idempotencyKey: key, actor: 'test' }, at));
  if (r.status !== 'posted') throw new Error(r.status);
  await afterPosted(stack.deps, r.entry);
  return r.entry;
}

const customer = async (merchantId: string, id: string) => (await stack.deps.db.db.select().from(customers).where(and(eq(customers.merchantId, merchantId), eq(customers.id, id))))[0];
const entriesOf = (merchantId: string, customerId: string) =>
  stack.deps.db.db.select().from(pointsTransactions).where(and(eq(pointsTransactions.merchantId, merchantId), eq(pointsTransactions.customerId, customerId))).orderBy(pointsTransactions.seq);
const hasKey = async (merchantId: string, key: string) =>
  (await stack.deps.db.db.select({ id: pointsTransactions.id }).from(pointsTransactions).where(and(eq(pointsTransactions.merchantId, merchantId), eq(pointsTransactions.idempotencyKey, key)))).length;
const reminders = (merchantId: string) =>
  stack.deps.db.db.select().from(notificationOutbox).where(and(eq(notificationOutbox.merchantId, merchantId), eq(notificationOutbox.kind, 'expiry_reminder'))).orderBy(notificationOutbox.dedupeKey);

beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  if (stack) expect((await verifyLedger(stack.deps.db.db)).problems).toEqual([]);
  await stack?.stop();
});

describe('pending points release', () => {
  const RELEASE = new Date('2031-05-01T00:00:00Z');
  let s: Awaited<ReturnType<typeof shop>>;
  let c: { token: string; customerId: string };

  async function hold(customerId: string, orderId: string, entries: PendingEntry[], releaseAt: Date, status: 'pending' | 'cancelled' = 'pending') {
    const points = entries.reduce((n, e) => n + e.points, 0);
    const id = newId('pending');
    await stack.deps.db.db.insert(pendingPoints).values({ merchantId: s.merchantId, id, customerId, orderId, points, entries, releaseAt, status });
    if (status === 'pending') await stack.deps.db.db.update(customers).set({ pointsPending: sql`${customers.pointsPending} + ${points}` }).where(and(eq(customers.merchantId, s.merchantId), eq(customers.id, customerId)));
    return id;
  }

  beforeAll(async () => {
    s = await shop('pending-shop.myshopify.com', { earning: { approvalDays: 14 } });
    c = await customerToken(stack, s.domain, s.merchantId, '5001');
  });

  it('keeps points pending until the release date, then posts every part exactly once', async () => {
    const held = await hold(c.customerId, 'order-1', [
      { type: 'purchase', points: 120, reason: 'Order #1001', idempotencyKey: 'order:order-1:purchase' },
      { type: 'campaign', points: 30, reason: 'Double points weekend on order #1001', idempotencyKey: 'order:order-1:campaign:cmp_x', campaignId: 'cmp_x' },
    ], RELEASE);
    const later = await hold(c.customerId, 'order-2', [{ type: 'purchase', points: 40, reason: 'Order #1002', idempotencyKey: 'order:order-2:purchase' }], new Date(RELEASE.getTime() + 86_400_000));
    await hold(c.customerId, 'order-3', [{ type: 'purchase', points: 999, reason: 'Order #1003', idempotencyKey: 'order:order-3:purchase' }], RELEASE, 'cancelled');

    const me = async () => (await gql<{ me: { pointsBalance: number; pointsPending: number; pointsHistory: { nodes: { type: string; points: number; pending: boolean; orderId: string; campaignId: string | null }[] } } }>(
      stack.url, c.token, '{ me { pointsBalance pointsPending pointsHistory(first: 10) { nodes { type points pending orderId campaignId } } } }')).body.data!.me;
    expect(await me()).toMatchObject({ pointsBalance: 0, pointsPending: 190 });
    expect((await me()).pointsHistory.nodes.every((n) => n.pending)).toBe(true);

    expect(await releasePendingPoints(stack.deps, new Date(RELEASE.getTime() - 1000))).toBe(0);
    expect(await count(stack, 'points_transactions')).toBe(0);

    expect(await releasePendingPoints(stack.deps, RELEASE)).toBe(1);
    const after = await me();
    expect(after).toMatchObject({ pointsBalance: 150, pointsPending: 40 });
    // The released entries are dated when the job ran (the injected clock), the hold when it was made.
    expect(after.pointsHistory.nodes).toHaveLength(3);
    expect(after.pointsHistory.nodes).toEqual(expect.arrayContaining([
      { type: 'purchase', points: 40, pending: true, orderId: 'order-2', campaignId: null },
      { type: 'purchase', points: 120, pending: false, orderId: 'order-1', campaignId: null },
      { type: 'campaign', points: 30, pending: false, orderId: 'order-1', campaignId: 'cmp_x' },
    ]));
    const entries = await entriesOf(s.merchantId, c.customerId);
    expect(entries.map((e) => [e.type, e.points, e.source, e.orderId, e.campaignId, e.actor])).toEqual([
      ['purchase', 120, 'order', 'order-1', null, 'system:pending-release'],
      ['campaign', 30, 'order', 'order-1', 'cmp_x', 'system:pending-release'],
    ]);
    const [row] = await stack.deps.db.db.select().from(pendingPoints).where(and(eq(pendingPoints.merchantId, s.merchantId), eq(pendingPoints.id, held)));
    expect(row).toMatchObject({ status: 'released', releasedTxnId: entries[0].id });

    // Running again, or much later, changes nothing more than what is due.
    expect(await releasePendingPoints(stack.deps, RELEASE)).toBe(0);
    expect(await releasePendingPoints(stack.deps, new Date(RELEASE.getTime() + 2 * 86_400_000))).toBe(1);
    expect(await releasePendingPoints(stack.deps, new Date(RELEASE.getTime() + 3 * 86_400_000))).toBe(0);
    expect(await me()).toMatchObject({ pointsBalance: 190, pointsPending: 0 });
    const [second] = await stack.deps.db.db.select().from(pendingPoints).where(and(eq(pendingPoints.merchantId, s.merchantId), eq(pendingPoints.id, later)));
    expect(second.status).toBe('released');
    // The cancelled hold was never credited.
    expect(await hasKey(s.merchantId, 'order:order-3:purchase')).toBe(0);
  });

  it('releases each hold once when several workers run at the same moment', async () => {
    const { customerId } = await customerToken(stack, s.domain, s.merchantId, '5002');
    const at = new Date('2031-06-01T00:00:00Z');
    for (let i = 0; i < 12; i++) await hold(customerId, `race-${i}`, [{ type: 'purchase', points: 10 + i, reason: `Order race-${i}`, idempotencyKey: `order:race-${i}:purchase` }], at);
    const released = await Promise.all([1, 2, 3, 4].map(() => releasePendingPoints(stack.deps, at)));
    expect(released.reduce((a, b) => a + b, 0)).toBe(12);
    const row = await customer(s.merchantId, customerId);
    expect(row.pointsPending).toBe(0);
    expect(row.pointsBalance).toBe(Array.from({ length: 12 }, (_, i) => 10 + i).reduce((a, b) => a + b, 0));
    expect(await entriesOf(s.merchantId, customerId)).toHaveLength(12);
  });
});

describe('birthday bonus', () => {
  // A month six months away from the real one, so the real-clock scheduler never matches it.
  const month = ((new Date().getUTCMonth() + 6) % 12) + 1;
  const mm = String(month).padStart(2, '0');
  const localAt = (year: number, day: number, hour: number, minute = 0, second = 0) => fromLocal({ year, month, day, hour, minute, second }, 'America/New_York');

  let ny: Awaited<ReturnType<typeof shop>>;
  let alice: { token: string; customerId: string };
  let bob: { token: string; customerId: string };
  let carl: { token: string; customerId: string };

  const setBirthday = async (token: string, birthday: string) => {
    const res = await gql<{ customerBirthdaySet: { userErrors: unknown[] } }>(stack.url, token, 'mutation($b: String!) { customerBirthdaySet(input: { birthday: $b }) { userErrors { message } } }', { b: birthday });
    expect(res.body.data!.customerBirthdaySet.userErrors).toEqual([]);
  };

  beforeAll(async () => {
    ny = await shop('birthday-ny.myshopify.com', { earning: { birthdayPoints: 250 }, pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' }, 'America/New_York');
    alice = await customerToken(stack, ny.domain, ny.merchantId, '6001');
    bob = await customerToken(stack, ny.domain, ny.merchantId, '6002');
    carl = await customerToken(stack, ny.domain, ny.merchantId, '6003');
    await setBirthday(alice.token, `1990-${mm}-15`);
    await setBirthday(bob.token, `1985-${mm}-16`);
  });

  it('credits on the shop’s local date, not UTC’s, once per year', async () => {
    // 23:59:59 on the 14th in New York is already the 15th in UTC: not yet.
    expect(await awardBirthdayBonuses(stack.deps, localAt(2031, 14, 23, 59, 59))).toBe(0);
    expect(await awardBirthdayBonuses(stack.deps, localAt(2031, 15, 0, 0, 1))).toBe(1);
    expect(await hasKey(ny.merchantId, `birthday:${alice.customerId}:2031`)).toBe(1);
    const [entry] = await entriesOf(ny.merchantId, alice.customerId);
    expect(entry).toMatchObject({ type: 'birthday', points: 250, reason: 'Happy birthday! 250 Stars birthday bonus for 2031', source: 'system', actor: 'system:birthday' });
    // Reruns during the day change nothing.
    expect(await awardBirthdayBonuses(stack.deps, localAt(2031, 15, 12))).toBe(0);
    expect(await awardBirthdayBonuses(stack.deps, localAt(2031, 15, 23, 59, 59))).toBe(0);
    // The next day is Bob's.
    expect(await awardBirthdayBonuses(stack.deps, localAt(2031, 16, 0, 30))).toBe(1);
    expect(await hasKey(ny.merchantId, `birthday:${bob.customerId}:2031`)).toBe(1);
    expect(await hasKey(ny.merchantId, `birthday:${alice.customerId}:2031`)).toBe(1);
    // Carl never told us his birthday.
    expect(await entriesOf(ny.merchantId, carl.customerId)).toHaveLength(0);
    // A year later, again.
    expect(await awardBirthdayBonuses(stack.deps, localAt(2032, 15, 9))).toBe(1);
    const me = await gql<{ me: { pointsBalance: number; pointsHistory: { nodes: { type: string; points: number }[] } } }>(stack.url, alice.token, '{ me { pointsBalance pointsHistory(types: ["birthday"]) { nodes { type points } } } }');
    expect(me.body.data!.me.pointsBalance).toBe(500);
    expect(me.body.data!.me.pointsHistory.nodes).toEqual([{ type: 'birthday', points: 250 }, { type: 'birthday', points: 250 }]);
  });

  it('gives nothing when the program is off, the bonus is 0 or the shop is uninstalled', async () => {
    const off = await shop('birthday-off.myshopify.com', { enabled: false });
    const zero = await shop('birthday-zero.myshopify.com', { earning: { birthdayPoints: 0 } });
    const gone = await shop('birthday-gone.myshopify.com', { earning: { birthdayPoints: 300 } });
    await stack.deps.db.db.update(merchants).set({ status: 'uninstalled' }).where(eq(merchants.id, gone.merchantId));
    for (const [i, s] of [off, zero, gone].entries()) {
      const c = await customerToken(stack, s.domain, s.merchantId, `700${i}`);
      await setBirthday(c.token, `1990-${mm}-20`);
    }
    const before = await count(stack, 'points_transactions');
    expect(await awardBirthdayBonuses(stack.deps, fromLocal({ year: 2031, month, day: 20, hour: 12, minute: 0, second: 0 }, 'UTC'))).toBe(0);
    expect(await count(stack, 'points_transactions')).toBe(before);
  });

  it('celebrates 29 February on 28 February in common years, and on the day in leap years', async () => {
    const leap = await shop('birthday-leap.myshopify.com', { earning: { birthdayPoints: 100 } });
    const c = await customerToken(stack, leap.domain, leap.merchantId, '8001');
    await setBirthday(c.token, '2000-02-29');
    const key = (y: number) => `birthday:${c.customerId}:${y}`;
    await awardBirthdayBonuses(stack.deps, new Date('2031-02-27T12:00:00Z'));
    expect(await hasKey(leap.merchantId, key(2031))).toBe(0);
    await awardBirthdayBonuses(stack.deps, new Date('2031-02-28T12:00:00Z'));
    expect(await hasKey(leap.merchantId, key(2031))).toBe(1);
    await awardBirthdayBonuses(stack.deps, new Date('2031-03-01T12:00:00Z'));
    expect(await hasKey(leap.merchantId, key(2031))).toBe(1);
    await awardBirthdayBonuses(stack.deps, new Date('2032-02-28T12:00:00Z'));
    expect(await hasKey(leap.merchantId, key(2032))).toBe(0);
    await awardBirthdayBonuses(stack.deps, new Date('2032-02-29T12:00:00Z'));
    expect(await hasKey(leap.merchantId, key(2032))).toBe(1);
  });
});

describe('expiry', () => {
  it('inactivity: reminds once before, then expires the whole balance; activity resets the clock', async () => {
    const s = await shop('expiry-idle.myshopify.com', { expiry: { kind: 'INACTIVITY', months: 12, reminderDays: 30 } });
    const idle = await customerToken(stack, s.domain, s.merchantId, '9101');
    const active = await customerToken(stack, s.domain, s.merchantId, '9102');
    await postAt(s.merchantId, idle.customerId, 'purchase', 500, new Date('2031-01-10T12:00:00Z'), 'idle-1');
    await postAt(s.merchantId, active.customerId, 'purchase', 300, new Date('2031-01-10T12:00:00Z'), 'active-1');
    await postAt(s.merchantId, active.customerId, 'custom', 10, new Date('2031-11-01T12:00:00Z'), 'active-2');

    expect(await expirePoints(stack.deps, new Date('2031-12-01T12:00:00Z'))).toEqual({ expired: 0, reminders: 0 });
    expect(await expirePoints(stack.deps, new Date('2031-12-15T12:00:00Z'))).toEqual({ expired: 0, reminders: 1 });
    expect(await expirePoints(stack.deps, new Date('2031-12-16T12:00:00Z'))).toEqual({ expired: 0, reminders: 0 });
    const [reminder] = await reminders(s.merchantId);
    expect(reminder).toMatchObject({
      customerId: idle.customerId, channel: 'email', status: 'pending', dedupeKey: `expiry_reminder:${idle.customerId}:2032-01-10`,
      payload: { points: 500, pointsLabel: '500 Points', expiresOn: '2032-01-10', policy: 'inactivity', months: 12 },
    });

    expect(await expirePoints(stack.deps, new Date('2032-01-10T11:59:59Z'))).toEqual({ expired: 0, reminders: 0 });
    expect(await expirePoints(stack.deps, new Date('2032-01-10T12:00:00Z'))).toEqual({ expired: 1, reminders: 0 });
    expect(await expirePoints(stack.deps, new Date('2032-01-11T12:00:00Z'))).toEqual({ expired: 0, reminders: 0 });

    const entries = await entriesOf(s.merchantId, idle.customerId);
    expect(entries.at(-1)).toMatchObject({
      type: 'expiry', points: -500, balanceAfter: 0, source: 'system', actor: 'system:expiry',
      idempotencyKey: `expiry:${idle.customerId}:inactive:1`,
      reason: '500 Points expired after 12 months without points activity (last activity 2031-01-10)',
    });
    expect(await customer(s.merchantId, idle.customerId)).toMatchObject({ pointsBalance: 0, totalPointsExpired: 500, totalPointsEarned: 500 });
    expect((await customer(s.merchantId, active.customerId)).pointsBalance).toBe(310);
    const history = await gql<{ me: { pointsHistory: { nodes: { type: string; points: number; reason: string }[] } } }>(stack.url, idle.token, '{ me { pointsHistory(first: 1) { nodes { type points reason } } } }');
    expect(history.body.data!.me.pointsHistory.nodes[0]).toMatchObject({ type: 'expiry', points: -500 });
  });

  it('rolling: each batch expires N months after it was earned, oldest first, after what was spent', async () => {
    const s = await shop('expiry-rolling.myshopify.com', { expiry: { kind: 'ROLLING', months: 6, reminderDays: 14 } });
    const z = await customerToken(stack, s.domain, s.merchantId, '9201');
    const fresh = await customerToken(stack, s.domain, s.merchantId, '9202');
    await postAt(s.merchantId, z.customerId, 'purchase', 100, new Date('2031-01-05T12:00:00Z'), 'z-1');
    await postAt(s.merchantId, z.customerId, 'purchase', 50, new Date('2031-02-05T12:00:00Z'), 'z-2');
    await postAt(s.merchantId, z.customerId, 'redemption', -120, new Date('2031-03-01T12:00:00Z'), 'z-3');
    await postAt(s.merchantId, z.customerId, 'purchase', 200, new Date('2031-04-10T12:00:00Z'), 'z-4');
    await postAt(s.merchantId, fresh.customerId, 'purchase', 80, new Date('2031-07-01T12:00:00Z'), 'f-1');

    // January's 100 were all spent by the March redemption: nothing to expire or remind.
    expect(await expirePoints(stack.deps, new Date('2031-07-06T12:00:00Z'))).toEqual({ expired: 0, reminders: 0 });
    // Within 14 days of February's batch expiring: what is left of it (30) is announced.
    expect(await expirePoints(stack.deps, new Date('2031-07-25T12:00:00Z'))).toEqual({ expired: 0, reminders: 1 });
    expect(await expirePoints(stack.deps, new Date('2031-07-26T12:00:00Z'))).toEqual({ expired: 0, reminders: 0 });
    expect((await reminders(s.merchantId)).map((r) => [r.customerId, r.dedupeKey, (r.payload as { points: number }).points])).toEqual([
      [z.customerId, `expiry_reminder:${z.customerId}:2031-08-05`, 30],
    ]);

    expect(await expirePoints(stack.deps, new Date('2031-08-06T12:00:00Z'))).toEqual({ expired: 1, reminders: 0 });
    expect(await expirePoints(stack.deps, new Date('2031-08-06T18:00:00Z'))).toEqual({ expired: 0, reminders: 0 });
    let entries = await entriesOf(s.merchantId, z.customerId);
    expect(entries.at(-1)).toMatchObject({
      type: 'expiry', points: -30, balanceAfter: 200, idempotencyKey: `expiry:${z.customerId}:2031-02-06`,
      reason: '30 Points earned before 2031-02-06 expired (points expire 6 months after they are earned, oldest first)',
    });

    // April's batch: reminded two weeks ahead, then expired whole.
    expect(await expirePoints(stack.deps, new Date('2031-09-28T12:00:00Z'))).toEqual({ expired: 0, reminders: 1 });
    expect(await expirePoints(stack.deps, new Date('2031-10-11T12:00:00Z'))).toEqual({ expired: 1, reminders: 0 });
    entries = await entriesOf(s.merchantId, z.customerId);
    expect(entries.at(-1)).toMatchObject({ type: 'expiry', points: -200, balanceAfter: 0 });
    expect(await customer(s.merchantId, z.customerId)).toMatchObject({ pointsBalance: 0, totalPointsExpired: 230 });
    expect((await reminders(s.merchantId)).map((r) => r.dedupeKey)).toEqual([`expiry_reminder:${z.customerId}:2031-08-05`, `expiry_reminder:${z.customerId}:2031-10-10`]);
    // The newer customer's July points expire in January, not before.
    expect((await customer(s.merchantId, fresh.customerId)).pointsBalance).toBe(80);
    expect(await expirePoints(stack.deps, new Date('2032-01-01T13:00:00Z'))).toEqual({ expired: 1, reminders: 0 });
    expect((await customer(s.merchantId, fresh.customerId)).pointsBalance).toBe(0);
  });

  it('leaves shops with no expiry, a disabled program or an uninstalled app alone', async () => {
    const none = await shop('expiry-none.myshopify.com', {});
    const off = await shop('expiry-off.myshopify.com', { enabled: false, expiry: { kind: 'INACTIVITY', months: 1 } });
    const gone = await shop('expiry-gone.myshopify.com', { expiry: { kind: 'ROLLING', months: 1 } });
    await stack.deps.db.db.update(merchants).set({ status: 'uninstalled' }).where(eq(merchants.id, gone.merchantId));
    for (const [i, s] of [none, off, gone].entries()) {
      const c = await customerToken(stack, s.domain, s.merchantId, `930${i}`);
      await postAt(s.merchantId, c.customerId, 'purchase', 100, new Date('2031-01-01T00:00:00Z'), `keep-${i}`);
    }
    const before = await count(stack, 'points_transactions');
    const outbox = await count(stack, 'notification_outbox');
    await expirePoints(stack.deps, new Date('2040-01-01T00:00:00Z'));
    for (const s of [none, off, gone]) {
      expect((await stack.deps.db.db.select().from(pointsTransactions).where(and(eq(pointsTransactions.merchantId, s.merchantId), like(pointsTransactions.idempotencyKey, 'expiry:%')))).length).toBe(0);
    }
    // Other shops from earlier tests may still expire at that date, but none of these three.
    expect(await count(stack, 'points_transactions')).toBeGreaterThanOrEqual(before);
    expect(await count(stack, 'notification_outbox')).toBeGreaterThanOrEqual(outbox);
  });
});

describe('the scheduler tick', () => {
  it('runs every job for its clock, and running it again right away does nothing more', async () => {
    const s = await shop('tick-shop.myshopify.com', { earning: { birthdayPoints: 42 }, expiry: { kind: 'INACTIVITY', months: 1 } });
    const c = await customerToken(stack, s.domain, s.merchantId, '9501');
    const now = new Date('2033-03-03T12:00:00Z');
    await stack.deps.db.db.update(customers).set({ birthday: '1999-03-03' }).where(and(eq(customers.merchantId, s.merchantId), eq(customers.id, c.customerId)));
    await postAt(s.merchantId, c.customerId, 'purchase', 60, new Date('2033-01-01T00:00:00Z'), 'tick-old');
    await stack.deps.db.db.insert(pendingPoints).values({
      merchantId: s.merchantId, id: newId('pending'), customerId: c.customerId, orderId: 'tick-order', points: 5, releaseAt: now,
      entries: [{ type: 'purchase', points: 5, reason: 'Order #9', idempotencyKey: 'order:tick-order:purchase' }],
    });
    await stack.deps.db.db.update(customers).set({ pointsPending: 5 }).where(and(eq(customers.merchantId, s.merchantId), eq(customers.id, c.customerId)));

    const tick = scheduleTick(stack.deps, { clock: () => now });
    // The release posts first (activity), so the inactivity check sees a fresh last activity and
    // keeps the points; the birthday bonus is credited.
    expect(await tick()).toBe(2);
    expect(await tick()).toBe(0);
    expect(await tick()).toBe(0);
    const types = (await entriesOf(s.merchantId, c.customerId)).map((e) => [e.type, e.points]);
    expect(types).toEqual([['purchase', 60], ['purchase', 5], ['birthday', 42]]);
    expect(await customer(s.merchantId, c.customerId)).toMatchObject({ pointsBalance: 107, pointsPending: 0 });
  });
});
