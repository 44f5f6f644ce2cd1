import { sql } from 'drizzle-orm';
import { pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { localDateKey } from '@herethere/runtime/zoned-time';
import { backfillBadge, type BadgeDef } from '../badge/award';
import { loadTierContext } from './data';
import { settleTierGrants } from './grants';
import { publishTierMoves, recomputeCustomersInTx, recomputeMerchant, type MerchantRecompute } from './recompute';

/**
 * Recomputes requested by merchant-config when tier definitions change (vip_tiers edited): one
 * merchant per call; the request is cleared only if nobody asked again while it ran.
 */
export async function runRequestedTierRecomputes(deps: Deps, now = new Date()): Promise<number> {
  const [job] = await deps.db.rows<{ merchant_id: string; requested_at: string }>(sql`
    select merchant_id, requested_at::text as requested_at from gamification_jobs
    where kind = 'tier_recompute' and requested_at is not null order by requested_at limit 1`);
  if (!job) return 0;
  await recomputeMerchant(deps, job.merchant_id, { at: now, actor: 'system:tiers' });
  await deps.db.rows(sql`
    update gamification_jobs set requested_at = null, last_run_at = now(), updated_at = now()
    where merchant_id = ${job.merchant_id} and kind = 'tier_recompute' and requested_at = ${job.requested_at}::timestamptz`);
  return 1;
}

/**
 * The nightly recompute: once per merchant-local date, for merchants whose window slides (rolling
 * 12 months, calendar year), after local midnight. The date is claimed atomically so two workers
 * never run the same night twice.
 */
export async function runNightlyTierRecompute(deps: Deps, now = new Date(), opts: { merchantIds?: string[] } = {}): Promise<{ merchants: number } & MerchantRecompute> {
  const rows = await deps.db.rows<{ merchant_id: string; timezone: string; last_run_key: string | null }>(sql`
    select distinct t.merchant_id, m.timezone, j.last_run_key
    from vip_tiers t join merchants m on m.id = t.merchant_id
    left join gamification_jobs j on j.merchant_id = t.merchant_id and j.kind = 'tier_nightly'
    where t.qualification_window <> 'lifetime' and m.status = 'active'
      ${opts.merchantIds ? sql`and t.merchant_id in (${sql.join(opts.merchantIds.map((id) => sql`${id}`), sql`, `)})` : sql``}`);
  const total = { merchants: 0, candidates: 0, moves: 0 };
  for (const r of rows) {
    const today = localDateKey(now, r.timezone);
    if (r.last_run_key === today) continue;
    const claimed = await deps.db.rows<{ merchant_id: string }>(sql`
      insert into gamification_jobs (merchant_id, kind, last_run_key, last_run_at, updated_at)
      values (${r.merchant_id}, 'tier_nightly', ${today}, ${now.toISOString()}::timestamptz, now())
      on conflict (merchant_id, kind) do update set last_run_key = excluded.last_run_key, last_run_at = excluded.last_run_at, updated_at = now()
      where gamification_jobs.last_run_key is distinct from excluded.last_run_key
      returning merchant_id`);
    if (!claimed.length) continue;
    const result = await recomputeMerchant(deps, r.merchant_id, { at: now, actor: 'system:tiers-nightly' });
    total.merchants += 1;
    total.candidates += result.candidates;
    total.moves += result.moves;
  }
  return total;
}

/** Retention periods and overrides that ran out: found through partial indexes, recomputed at once. */
export async function sweepDueTiers(deps: Deps, now = new Date(), limit = 500): Promise<number> {
  const at = now.toISOString();
  const due = await deps.db.rows<{ merchant_id: string; customer_id: string }>(sql`
    (select merchant_id, customer_id from customer_tier_status where retained_until is not null and retained_until <= ${at}::timestamptz limit ${limit})
    union
    (select merchant_id, customer_id from customer_tier_status where override_active and override_until is not null and override_until <= ${at}::timestamptz limit ${limit})`);
  const byMerchant = new Map<string, string[]>();
  for (const d of due) byMerchant.set(d.merchant_id, [...(byMerchant.get(d.merchant_id) ?? []), d.customer_id]);
  for (const [merchantId, ids] of byMerchant) {
    const ctx = await loadTierContext(deps.db.db, merchantId);
    if (!ctx) continue;
    const moves = await deps.db.db.transaction((tx) => recomputeCustomersInTx(deps, tx, ctx, ids, { at: now, actor: 'system:tiers' }));
    await publishTierMoves(deps, moves);
  }
  return due.length;
}

/** Badges created, enabled or changed: award them to everyone who already meets the rule. */
export async function runBadgeBackfills(deps: Deps): Promise<number> {
  const [job] = await deps.db.rows<{ merchant_id: string; requested_at: string }>(sql`
    select merchant_id, requested_at::text as requested_at from gamification_jobs
    where kind = 'badge_backfill' and requested_at is not null order by requested_at limit 1`);
  if (!job) return 0;
  const defs = await deps.db.rows<BadgeDef & { timezone: string }>(sql`
    select b.id, b.name, b.rule, m.timezone from badge_definitions b join merchants m on m.id = b.merchant_id
    where b.merchant_id = ${job.merchant_id} and b.enabled`);
  for (const def of defs) {
    const rule = typeof def.rule === 'string' ? JSON.parse(def.rule) : def.rule;
    await deps.db.db.transaction((tx) => backfillBadge(deps, tx, job.merchant_id, def.timezone, { ...def, rule }));
  }
  await deps.db.rows(sql`
    update gamification_jobs set requested_at = null, last_run_at = now(), updated_at = now()
    where merchant_id = ${job.merchant_id} and kind = 'badge_backfill' and requested_at = ${job.requested_at}::timestamptz`);
  return 1;
}

/**
 * The tier worker: requested recomputes and badge backfills, due retention and overrides, pending
 * entry rewards every tick; the nightly recompute checked once a minute.
 */
export function tierWorker(deps: Deps): Worker {
  let lastNightlyCheck = 0;
  return pollingWorker('tiers', deps, async () => {
    let worked = 0;
    worked += await runRequestedTierRecomputes(deps);
    worked += await runBadgeBackfills(deps);
    worked += await sweepDueTiers(deps);
    worked += await settleTierGrants(deps);
    if (Date.now() - lastNightlyCheck > 60_000) {
      lastNightlyCheck = Date.now();
      worked += (await runNightlyTierRecompute(deps)).merchants;
    }
    return worked;
  }, 1000);
}
