import { and, eq, gt, sql } from 'drizzle-orm';
import { customers, programSettings, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { isValidTimeZone, localDateKey } from '@herethere/runtime/zoned-time';
import { afterPosted, postEntry, type LedgerEntry } from '../ledger/post';
import { enqueueNotification } from '../notification/enqueue';
import { runningPrograms, type RunningProgram } from './programs';
import { daysAfter, monthsBefore, pointsLabel, rollingExpiryAmount } from './rules';

export const EXPIRY_ACTOR = 'system:expiry';
export const inactivityExpiryKey = (customerId: string, ledgerSeq: number) => `expiry:${customerId}:inactive:${ledgerSeq}`;
export const rollingExpiryKey = (customerId: string, cutoffDate: string) => `expiry:${customerId}:${cutoffDate}`;
export const reminderKey = (customerId: string, expiresOn: string) => `expiry_reminder:${customerId}:${expiresOn}`;

export interface ExpiryRun {
  expired: number;
  reminders: number;
}

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const num = (v: unknown) => Number(v ?? 0);

type Policy = { kind: 'inactivity' | 'rolling'; months: number; reminderDays: number };

function policyOf(p: RunningProgram): Policy | null {
  const { kind, months, reminderDays } = p.expiry;
  if ((kind !== 'inactivity' && kind !== 'rolling') || !Number.isInteger(months) || months! < 1) return null;
  return { kind, months: months!, reminderDays: Number.isInteger(reminderDays) && reminderDays! > 0 ? reminderDays! : 0 };
}

/**
 * The expiry job. Per shop policy:
 * - inactivity: a customer with points and no points activity for `months` loses the whole balance;
 * - rolling: each batch expires `months` after it was earned, oldest first, so what expires is
 *   min(balance, credits earned before the cutoff − every debit ever).
 * Every candidate is re-checked under the customer's row lock before its entry is posted, and each
 * entry's idempotency key makes a rerun harmless. Reminders go to the notification outbox
 * `reminderDays` before, once per customer and expiry date. Returns what was done.
 */
export async function expirePoints(deps: Deps, now: Date, limit = 500): Promise<ExpiryRun> {
  const programs = await runningPrograms(deps, sql`${programSettings.expiry}->>'kind' in ('inactivity', 'rolling')`);
  const run: ExpiryRun = { expired: 0, reminders: 0 };
  for (const program of programs) {
    const policy = policyOf(program);
    if (!policy || !isValidTimeZone(program.timezone)) continue;
    const budget = limit - run.expired - run.reminders;
    if (budget <= 0) break;
    if (policy.kind === 'inactivity') {
      run.expired += await expireInactive(deps, program, policy, now, budget);
      if (policy.reminderDays) run.reminders += await remindInactive(deps, program, policy, now, limit - run.expired - run.reminders);
    } else {
      run.expired += await expireRolling(deps, program, policy, now, budget);
      if (policy.reminderDays) run.reminders += await remindRolling(deps, program, policy, now, limit - run.expired - run.reminders);
    }
  }
  return run;
}

const lastActivity = sql`coalesce(${customers.lastActivityAt}, ${customers.createdAt})`;
const inactiveSince = (months: number, now: Date) => sql`${lastActivity} + make_interval(months => ${months}::int) <= ${ts(now)}`;

async function postExpiry(deps: Deps, work: (tx: Tx) => Promise<LedgerEntry | null>): Promise<boolean> {
  const entry = await deps.db.db.transaction(work);
  if (!entry) return false;
  await afterPosted(deps, entry);
  return true;
}

async function expireInactive(deps: Deps, program: RunningProgram, policy: Policy, now: Date, budget: number): Promise<number> {
  const { merchantId } = program;
  const candidates = await deps.db.db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.merchantId, merchantId), gt(customers.pointsBalance, 0), sql`${customers.state} <> 'redacted'`, inactiveSince(policy.months, now)))
    .orderBy(customers.id)
    .limit(budget);
  let expired = 0;
  for (const { id } of candidates) {
    const done = await postExpiry(deps, async (tx) => {
      // Re-checked under the lock: activity since the candidate query keeps the points.
      const [c] = await tx
        .select({ balance: customers.pointsBalance, seq: customers.ledgerSeq, last: lastActivity.mapWith(customers.createdAt) })
        .from(customers)
        .where(and(eq(customers.merchantId, merchantId), eq(customers.id, id), gt(customers.pointsBalance, 0), inactiveSince(policy.months, now)))
        .for('update');
      if (!c) return null;
      const lastOn = localDateKey(c.last, program.timezone);
      const r = await postEntry(deps, tx, {
        merchantId,
        customerId: id,
        type: 'expiry',
        points: -c.balance,
        reason: `${pointsLabel(c.balance, program.names)} expired after ${policy.months} month${policy.months === 1 ? '' : 's'} without points activity (last activity ${lastOn})`,
        source: 'system',
        idempotencyKey: inactivityExpiryKey(id, c.seq),
        actor: EXPIRY_ACTOR,
        metadata: { policy: 'inactivity', months: policy.months, lastActivityAt: c.last.toISOString() },
      }, now);
      return r.status === 'posted' ? r.entry : null;
    });
    if (done) expired += 1;
  }
  return expired;
}

async function remindInactive(deps: Deps, program: RunningProgram, policy: Policy, now: Date, budget: number): Promise<number> {
  if (budget <= 0) return 0;
  const horizon = daysAfter(now, policy.reminderDays);
  const rows = await deps.db.rows<{ id: string; balance: number; expires_at: string | Date; expires_on: string }>(sql`
    select c.id, c.points_balance as balance, e.at as expires_at, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD') as expires_on
    from customers c
    cross join lateral (select coalesce(c.last_activity_at, c.created_at) + make_interval(months => ${policy.months}::int) as at) e
    where c.merchant_id = ${program.merchantId}
      and c.points_balance > 0
      and c.state = 'member'
      and e.at > ${ts(now)}
      and e.at <= ${ts(horizon)}
      and not exists (
        select 1 from notification_outbox o
        where o.merchant_id = c.merchant_id and o.dedupe_key = 'expiry_reminder:' || c.id || ':' || to_char(e.at at time zone 'UTC', 'YYYY-MM-DD')
      )
    order by c.id
    limit ${budget}`);
  return enqueueReminders(deps, program, policy, rows.map((r) => ({ customerId: r.id, points: num(r.balance), expiresAt: new Date(r.expires_at), expiresOn: r.expires_on })));
}

const creditsBefore = (cutoff: Date) =>
  sql`(select coalesce(sum(t.points), 0) from points_transactions t where t.merchant_id = c.merchant_id and t.customer_id = c.id and t.points > 0 and t.created_at < ${ts(cutoff)})`;
const debitsEver = sql`(select coalesce(-sum(t.points), 0) from points_transactions t where t.merchant_id = c.merchant_id and t.customer_id = c.id and t.points < 0)`;

async function expireRolling(deps: Deps, program: RunningProgram, policy: Policy, now: Date, budget: number): Promise<number> {
  const { merchantId } = program;
  const cutoff = monthsBefore(now, policy.months, program.timezone);
  const cutoffDate = localDateKey(cutoff, program.timezone);
  const candidates = await deps.db.rows<{ id: string }>(sql`
    select s.id from (
      select c.id, ${creditsBefore(cutoff)} as credits, ${debitsEver} as debits
      from customers c
      where c.merchant_id = ${merchantId}
        and c.points_balance > 0
        and c.state <> 'redacted'
        and not exists (
          select 1 from points_transactions p
          where p.merchant_id = c.merchant_id and p.idempotency_key = 'expiry:' || c.id || ':' || ${cutoffDate}::text
        )
    ) s
    where s.credits > s.debits
    order by s.id
    limit ${budget}`);
  let expired = 0;
  for (const { id } of candidates) {
    const done = await postExpiry(deps, async (tx) => {
      const [c] = await tx
        .select({ balance: customers.pointsBalance })
        .from(customers)
        .where(and(eq(customers.merchantId, merchantId), eq(customers.id, id)))
        .for('update');
      if (!c) return null;
      // Sums are read under the customer's lock, so no entry can slip in between.
      const [sums] = await deps.db.rows<{ credits: unknown; debits: unknown }>(
        sql`select ${creditsBefore(cutoff)} as credits, ${debitsEver} as debits from (select ${merchantId}::text as merchant_id, ${id}::text as id) c`,
        tx,
      );
      const amount = rollingExpiryAmount(c.balance, num(sums.credits), num(sums.debits));
      if (amount <= 0) return null;
      const r = await postEntry(deps, tx, {
        merchantId,
        customerId: id,
        type: 'expiry',
        points: -amount,
        reason: `${pointsLabel(amount, program.names)} earned before ${cutoffDate} expired (points expire ${policy.months} month${policy.months === 1 ? '' : 's'} after they are earned, oldest first)`,
        source: 'system',
        idempotencyKey: rollingExpiryKey(id, cutoffDate),
        actor: EXPIRY_ACTOR,
        metadata: { policy: 'rolling', months: policy.months, cutoff: cutoff.toISOString() },
      }, now);
      return r.status === 'posted' ? r.entry : null;
    });
    if (done) expired += 1;
  }
  return expired;
}

async function remindRolling(deps: Deps, program: RunningProgram, policy: Policy, now: Date, budget: number): Promise<number> {
  if (budget <= 0) return 0;
  const cutoff = monthsBefore(now, policy.months, program.timezone);
  const cutoffSoon = monthsBefore(daysAfter(now, policy.reminderDays), policy.months, program.timezone);
  // The oldest batch FIFO has not used up yet names the reminder: its expiry date is the dedupe key.
  const rows = await deps.db.rows<{ id: string; balance: number; credits: unknown; debits: unknown; expires_at: string | Date; expires_on: string }>(sql`
    select * from (
      select c.id, c.points_balance as balance, s.credits, s.debits, e.at as expires_at, to_char(e.at at time zone 'UTC', 'YYYY-MM-DD') as expires_on
      from customers c
      cross join lateral (select ${creditsBefore(cutoffSoon)} as credits, ${debitsEver} as debits) s
      cross join lateral (
        select min(r.created_at) as oldest from (
          select t.created_at, sum(t.points) over (order by t.created_at, t.id) as running
          from points_transactions t
          where t.merchant_id = c.merchant_id and t.customer_id = c.id and t.points > 0
        ) r
        where r.running > s.debits
      ) o
      cross join lateral (select o.oldest + make_interval(months => ${policy.months}::int) as at) e
      where c.merchant_id = ${program.merchantId}
        and c.points_balance > 0
        and c.state = 'member'
        and o.oldest >= ${ts(cutoff)}
    ) q
    where q.credits > q.debits
      and not exists (
        select 1 from notification_outbox n
        where n.merchant_id = ${program.merchantId} and n.dedupe_key = 'expiry_reminder:' || q.id || ':' || q.expires_on
      )
    order by q.id
    limit ${budget}`);
  return enqueueReminders(
    deps,
    program,
    policy,
    rows.map((r) => ({ customerId: r.id, points: rollingExpiryAmount(num(r.balance), num(r.credits), num(r.debits)), expiresAt: new Date(r.expires_at), expiresOn: r.expires_on })),
  );
}

async function enqueueReminders(deps: Deps, program: RunningProgram, policy: Policy, due: { customerId: string; points: number; expiresAt: Date; expiresOn: string }[]): Promise<number> {
  const worth = due.filter((d) => d.points > 0);
  if (!worth.length) return 0;
  await deps.db.db.transaction(async (tx) => {
    for (const d of worth) {
      await enqueueNotification(tx, {
        merchantId: program.merchantId,
        customerId: d.customerId,
        kind: 'expiry_reminder',
        channel: 'email',
        payload: {
          points: d.points,
          pointsLabel: pointsLabel(d.points, program.names),
          expiresAt: d.expiresAt.toISOString(),
          expiresOn: localDateKey(d.expiresAt, program.timezone),
          policy: policy.kind,
          months: policy.months,
        },
        dedupeKey: reminderKey(d.customerId, d.expiresOn),
      });
    }
  });
  return worth.length;
}
