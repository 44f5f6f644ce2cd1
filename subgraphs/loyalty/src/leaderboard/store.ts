import { sql } from 'drizzle-orm';
import { queueRows, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { isoWeekKey, monthKey, startOfLocalDay, toLocal, addLocalDays, fromLocal } from '@herethere/runtime/zoned-time';
import type { LedgerEntry } from '../ledger/post';
import { buckets, scoreDelta, type LeaderboardPeriodName } from './keys';

/**
 * Writes and maintenance of the leaderboard: score deltas queued in the posting transaction, folded
 * into per-period scores and the rank histogram by a worker; opt-out moves a customer's counts out of
 * (or back into) the histogram; a rebuild recomputes everything from the ledger.
 *
 * Every writer of one merchant's scores or histogram holds `pg_advisory_xact_lock(leaderboard:<merchant>)`
 * for its transaction, taken before anything else, so they never interleave or deadlock.
 */

const lockMerchant = (deps: Pick<Deps, 'db'>, tx: Tx, merchantId: string) =>
  deps.db.rows(sql`select pg_advisory_xact_lock(hashtext(${`leaderboard:${merchantId}`}))::text as locked`, tx);

interface QueuedDelta {
  merchant_id: string;
  customer_id: string;
  points: number;
  week_key: string;
  month_key: string;
  created_at: string;
}

/**
 * Queues the entry's score change (if it has one), keyed by its week and month in the merchant's
 * time zone. The transaction's deltas go in with one statement before it commits (an inbox batch
 * posts dozens of entries), in the order they were queued.
 */
export async function queueScoreDelta(deps: Pick<Deps, 'db'>, tx: Tx, entry: LedgerEntry, timeZone: string): Promise<void> {
  const points = scoreDelta(entry);
  if (!points) return;
  const delta: QueuedDelta = {
    merchant_id: entry.merchantId, customer_id: entry.customerId, points, week_key: isoWeekKey(entry.createdAt, timeZone), month_key: monthKey(entry.createdAt, timeZone),
    created_at: entry.createdAt.toISOString(),
  };
  queueRows(tx, 'leaderboard_deltas', [delta], async (t, rows) => {
    await deps.db.rows(sql`
      insert into leaderboard_deltas (merchant_id, customer_id, points, week_key, month_key, created_at)
      select v.merchant_id, v.customer_id, v.points, v.week_key, v.month_key, v.created_at
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(merchant_id text, customer_id text, points int, week_key text, month_key text, created_at timestamptz)`, t);
  });
}

interface ScoreChange {
  period: LeaderboardPeriodName;
  key: string;
  customerId: string;
  delta: number;
}

type HistogramKey = `${string}|${string}|${number}|${number}`;

function addToHistogram(acc: Map<HistogramKey, number>, period: string, key: string, score: number, sign: 1 | -1) {
  if (score <= 0) return;
  buckets(score).forEach((bucket, level) => {
    const k: HistogramKey = `${period}|${key}|${level}|${bucket}`;
    acc.set(k, (acc.get(k) ?? 0) + sign);
  });
}

async function writeHistogram(deps: Pick<Deps, 'db'>, tx: Tx, merchantId: string, acc: Map<HistogramKey, number>): Promise<void> {
  const rows = [...acc].filter(([, n]) => n !== 0).map(([k, n]) => {
    const [period, periodKey, level, bucket] = k.split('|');
    return { period, period_key: periodKey, level: Number(level), bucket: Number(bucket), n };
  });
  const decrements = rows.filter((r) => r.n < 0);
  const increments = rows.filter((r) => r.n > 0);
  // A decrement always has its row already (the score it leaves was counted); the CHECK n >= 0 is
  // evaluated on an upsert's proposed row, so decrements are plain updates.
  if (decrements.length) {
    await deps.db.rows(sql`
      update leaderboard_histogram h set n = h.n + x.n
      from jsonb_to_recordset(${JSON.stringify(decrements)}::jsonb) as x(period text, period_key text, level smallint, bucket bigint, n int)
      where h.merchant_id = ${merchantId} and h.period = x.period and h.period_key = x.period_key and h.level = x.level and h.bucket = x.bucket`, tx);
  }
  if (increments.length) {
    await deps.db.rows(sql`
      insert into leaderboard_histogram (merchant_id, period, period_key, level, bucket, n)
      select ${merchantId}, x.period, x.period_key, x.level, x.bucket, x.n
      from jsonb_to_recordset(${JSON.stringify(increments)}::jsonb) as x(period text, period_key text, level smallint, bucket bigint, n int)
      order by x.period, x.period_key, x.level, x.bucket
      on conflict (merchant_id, period, period_key, level, bucket) do update set n = leaderboard_histogram.n + excluded.n`, tx);
  }
}

/** Adds score changes for one merchant (caller holds the merchant's leaderboard lock). */
async function applyScoreChanges(deps: Pick<Deps, 'db'>, tx: Tx, merchantId: string, changes: readonly ScoreChange[]): Promise<void> {
  if (!changes.length) return;
  const json = JSON.stringify(changes.map((c) => ({ period: c.period, period_key: c.key, customer_id: c.customerId, delta: c.delta })));
  const rows = await deps.db.rows<{ period: string; period_key: string; new_points: number; old_points: number; opted_out: boolean }>(sql`
    with d as (select * from jsonb_to_recordset(${json}::jsonb) as x(period text, period_key text, customer_id text, delta bigint)),
    up as (
      insert into leaderboard_scores (merchant_id, period, period_key, customer_id, points, updated_at)
      select ${merchantId}, d.period, d.period_key, d.customer_id, d.delta, now() from d
      on conflict (merchant_id, period, period_key, customer_id) do update set points = leaderboard_scores.points + excluded.points, updated_at = now()
      returning period, period_key, customer_id, points
    )
    select up.period, up.period_key, up.points::float8 as new_points, (up.points - d.delta)::float8 as old_points,
      coalesce(c.leaderboard_opt_out, true) as opted_out
    from up
    join d on d.period = up.period and d.period_key = up.period_key and d.customer_id = up.customer_id
    left join customers c on c.merchant_id = ${merchantId} and c.id = up.customer_id`, tx);
  const acc = new Map<HistogramKey, number>();
  for (const r of rows) {
    if (r.opted_out) continue;
    addToHistogram(acc, r.period, r.period_key, Number(r.old_points), -1);
    addToHistogram(acc, r.period, r.period_key, Number(r.new_points), 1);
  }
  await writeHistogram(deps, tx, merchantId, acc);
}

/**
 * Folds queued deltas into scores and histogram, one merchant per transaction (its lock first, then
 * its oldest deltas). Returns how many deltas were applied.
 */
export async function applyLeaderboardDeltas(deps: Pick<Deps, 'db'>, limit = 5000): Promise<number> {
  const merchants = await deps.db.rows<{ merchant_id: string }>(sql`select distinct merchant_id from leaderboard_deltas limit 50`);
  let applied = 0;
  for (const { merchant_id: merchantId } of merchants) {
    applied += await deps.db.db.transaction(async (tx) => {
      await lockMerchant(deps, tx, merchantId);
      const taken = await deps.db.rows<{ customer_id: string; points: number; week_key: string; month_key: string }>(sql`
        delete from leaderboard_deltas where merchant_id = ${merchantId} and id in (
          select id from leaderboard_deltas where merchant_id = ${merchantId} order by id limit ${limit})
        returning customer_id, points, week_key, month_key`, tx);
      const sums = new Map<string, ScoreChange>();
      const add = (period: LeaderboardPeriodName, key: string, customerId: string, delta: number) => {
        const k = `${period}|${key}|${customerId}`;
        const c = sums.get(k) ?? { period, key, customerId, delta: 0 };
        c.delta += delta;
        sums.set(k, c);
      };
      for (const d of taken) {
        add('week', d.week_key, d.customer_id, Number(d.points));
        add('month', d.month_key, d.customer_id, Number(d.points));
        add('all', 'all', d.customer_id, Number(d.points));
      }
      await applyScoreChanges(deps, tx, merchantId, [...sums.values()].filter((c) => c.delta !== 0));
      return taken.length;
    });
  }
  return applied;
}

/**
 * Opts a customer out of (or back into) the leaderboard. Their scores stay; their counts leave the
 * histogram so ranks and totals of everyone else stay exact. Returns false when nothing changed.
 */
export async function setLeaderboardOptOut(deps: Pick<Deps, 'db'>, merchantId: string, customerId: string, optOut: boolean): Promise<boolean> {
  return deps.db.db.transaction(async (tx) => {
    await lockMerchant(deps, tx, merchantId);
    const changed = await deps.db.rows<{ id: string }>(sql`
      update customers set leaderboard_opt_out = ${optOut}, updated_at = now()
      where merchant_id = ${merchantId} and id = ${customerId} and leaderboard_opt_out <> ${optOut} returning id`, tx);
    if (!changed.length) return false;
    const scores = await deps.db.rows<{ period: string; period_key: string; points: number }>(sql`
      select period, period_key, points::float8 as points from leaderboard_scores
      where merchant_id = ${merchantId} and customer_id = ${customerId} and points > 0`, tx);
    const acc = new Map<HistogramKey, number>();
    for (const s of scores) addToHistogram(acc, s.period, s.period_key, Number(s.points), optOut ? -1 : 1);
    await writeHistogram(deps, tx, merchantId, acc);
    return true;
  });
}

/** Rebuilds one period's histogram from its scores (set-based). Caller holds the merchant's lock. */
export async function rebuildHistogram(deps: Pick<Deps, 'db'>, tx: Tx, merchantId: string, period: LeaderboardPeriodName, key: string): Promise<void> {
  await deps.db.rows(sql`delete from leaderboard_histogram where merchant_id = ${merchantId} and period = ${period} and period_key = ${key}`, tx);
  await deps.db.rows(sql`
    with s as (
      select s.points from leaderboard_scores s join customers c on c.merchant_id = s.merchant_id and c.id = s.customer_id
      where s.merchant_id = ${merchantId} and s.period = ${period} and s.period_key = ${key} and s.points > 0 and not c.leaderboard_opt_out
    )
    insert into leaderboard_histogram (merchant_id, period, period_key, level, bucket, n)
    select ${merchantId}, ${period}, ${key}, 0, points, count(*) from s group by points
    union all select ${merchantId}, ${period}, ${key}, 1, points / 1000, count(*) from s group by points / 1000
    union all select ${merchantId}, ${period}, ${key}, 2, points / 1000000, count(*) from s group by points / 1000000`, tx);
}

/** Local midnight starting the ISO week (Monday) of an instant. */
function startOfLocalWeek(at: Date, timeZone: string): Date {
  const l = toLocal(at, timeZone);
  const weekday = (new Date(Date.UTC(l.year, l.month - 1, l.day)).getUTCDay() + 6) % 7;
  return addLocalDays(startOfLocalDay(at, timeZone), -weekday, timeZone);
}

/**
 * Recomputes the current week's, month's and all-time scores of a merchant from the ledger and
 * rebuilds their histograms; queued deltas already in the ledger snapshot are discarded. A repair
 * tool (and how a merchant's leaderboard is seeded from imported history).
 */
export async function rebuildLeaderboard(deps: Pick<Deps, 'db'>, merchantId: string, timeZone: string, at = new Date()): Promise<void> {
  const week = { key: isoWeekKey(at, timeZone), start: startOfLocalWeek(at, timeZone) };
  const l = toLocal(at, timeZone);
  const month = { key: monthKey(at, timeZone), start: fromLocal({ year: l.year, month: l.month, day: 1, hour: 0, minute: 0, second: 0 }, timeZone) };
  const types = sql.join(['purchase', 'signup', 'review', 'birthday', 'referral', 'campaign', 'tier_bonus', 'custom', 'import', 'pending_release', 'admin_adjust', 'refund_clawback', 'cancellation'].map((t) => sql`${t}`), sql`, `);
  await deps.db.db.transaction(async (tx) => {
    await lockMerchant(deps, tx, merchantId);
    await deps.db.rows(sql`delete from leaderboard_deltas where merchant_id = ${merchantId}`, tx);
    const periods: [LeaderboardPeriodName, string, Date | null][] = [['week', week.key, week.start], ['month', month.key, month.start], ['all', 'all', null]];
    for (const [period, key, start] of periods) {
      await deps.db.rows(sql`delete from leaderboard_scores where merchant_id = ${merchantId} and period = ${period} and period_key = ${key}`, tx);
      await deps.db.rows(sql`
        insert into leaderboard_scores (merchant_id, period, period_key, customer_id, points)
        select ${merchantId}, ${period}, ${key}, customer_id, sum(points) from points_transactions
        where merchant_id = ${merchantId} and type in (${types}) ${start ? sql`and created_at >= ${start.toISOString()}::timestamptz` : sql``}
        group by customer_id having sum(points) <> 0`, tx);
      await rebuildHistogram(deps, tx, merchantId, period, key);
    }
  }, { isolationLevel: 'repeatable read' });
}

/** Drops scores and histogram rows of weeks and months long past (the current and previous ones stay). */
export async function pruneLeaderboard(deps: Pick<Deps, 'db'>, now = new Date(), batch = 10_000): Promise<number> {
  const weekCut = isoWeekKey(new Date(now.getTime() - 15 * 86_400_000), 'UTC');
  const monthCut = monthKey(new Date(now.getTime() - 63 * 86_400_000), 'UTC');
  let removed = 0;
  for (const table of ['leaderboard_scores', 'leaderboard_histogram']) {
    for (;;) {
      const rows = await deps.db.rows<{ n: number }>(sql`
        with gone as (
          delete from ${sql.identifier(table)} where ctid in (
            select ctid from ${sql.identifier(table)}
            where (period = 'week' and period_key < ${weekCut}) or (period = 'month' and period_key < ${monthCut}) limit ${batch})
          returning 1)
        select count(*)::int as n from gone`);
      const n = Number(rows[0]?.n ?? 0);
      removed += n;
      if (n < batch) break;
    }
  }
  return removed;
}

