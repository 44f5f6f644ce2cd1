import { sql, type SQL } from 'drizzle-orm';
import type { Deps } from '@herethere/runtime';
import { LedgerInputError, post } from '../ledger/post';

/** A catalogue reward owed for entering a tier. */
export interface TierRewardGrant {
  merchantId: string;
  customerId: string;
  grantId: string;
  tierId: string;
  rewardId: string;
}

/**
 * Issues a catalogue reward at no points cost (the redemption module registers this); returns a
 * reference to what it issued (e.g. the redemption id). It must be idempotent on `grantId`.
 */
export type TierRewardIssuer = (deps: Deps, grant: TierRewardGrant) => Promise<{ ref: string }>;

let rewardIssuer: TierRewardIssuer | undefined;

/** Lets the redemption module settle catalogue-reward grants; until one is registered they stay pending. */
export function registerTierRewardIssuer(issuer: TierRewardIssuer | undefined): void {
  rewardIssuer = issuer;
}

const MAX_ATTEMPTS = 8;

interface GrantRow {
  merchant_id: string;
  id: string;
  customer_id: string;
  tier_id: string;
  kind: 'points' | 'reward';
  points: number | null;
  reward_id: string | null;
  tier_name: string | null;
  attempts: number;
}

async function mark(deps: Deps, g: GrantRow, patch: { status: 'granted' | 'failed' | 'pending'; ref?: string | null; error?: string | null }) {
  await deps.db.rows(sql`
    update tier_entry_grants set status = ${patch.status}, settled_ref = coalesce(${patch.ref ?? null}, settled_ref),
      last_error = ${patch.error ?? null}, attempts = attempts + 1,
      settled_at = case when ${patch.status} = 'granted' then now() else settled_at end
    where merchant_id = ${g.merchant_id} and id = ${g.id} and status = 'pending'`);
}

/**
 * Settles pending entry rewards: points become a `tier_bonus` ledger entry whose idempotency key is
 * the (customer, tier) pair, so a retry, a second worker or a crash between post and mark never pays
 * twice; catalogue rewards go to the registered issuer. Returns how many grants were looked at.
 */
export async function settleTierGrants(deps: Deps, opts: { merchantId?: string; customerId?: string; limit?: number } = {}): Promise<number> {
  const filters: SQL[] = [sql`g.status = 'pending'`];
  if (opts.merchantId) filters.push(sql`g.merchant_id = ${opts.merchantId}`);
  if (opts.customerId) filters.push(sql`g.customer_id = ${opts.customerId}`);
  if (!rewardIssuer) filters.push(sql`g.kind = 'points'`);
  const rows = await deps.db.rows<GrantRow>(sql`
    select g.merchant_id, g.id, g.customer_id, g.tier_id, g.kind, g.points, g.reward_id, g.attempts, t.name as tier_name
    from tier_entry_grants g left join vip_tiers t on t.merchant_id = g.merchant_id and t.id = g.tier_id
    where ${sql.join(filters, sql` and `)}
    order by g.status, g.created_at limit ${opts.limit ?? 100}`);
  for (const g of rows) {
    try {
      if (g.kind === 'points') {
        const result = await post(deps, {
          merchantId: g.merchant_id,
          customerId: g.customer_id,
          type: 'tier_bonus',
          points: Number(g.points),
          reason: `Welcome to ${g.tier_name ?? 'your new VIP tier'}`,
          source: 'tier',
          idempotencyKey: `tier_entry:${g.customer_id}:${g.tier_id}`,
          actor: 'system:tiers',
          metadata: { tierId: g.tier_id, grantId: g.id },
        });
        if (result.status === 'posted' || result.status === 'duplicate') await mark(deps, g, { status: 'granted', ref: result.entry.id });
        else await mark(deps, g, { status: 'failed', error: result.status });
      } else if (rewardIssuer) {
        const { ref } = await rewardIssuer(deps, { merchantId: g.merchant_id, customerId: g.customer_id, grantId: g.id, tierId: g.tier_id, rewardId: g.reward_id! });
        await mark(deps, g, { status: 'granted', ref });
      }
    } catch (err) {
      const permanent = err instanceof LedgerInputError || g.attempts + 1 >= MAX_ATTEMPTS;
      deps.log.warn('tier entry reward failed', { grantId: g.id, error: (err as Error).message });
      await mark(deps, g, { status: permanent ? 'failed' : 'pending', error: (err as Error).message.slice(0, 500) });
    }
  }
  return rows.length;
}
