import { sql } from 'drizzle-orm';
import { newIdSql, type Tx } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import type { LedgerEntry } from '../ledger/post';

/**
 * Records what an entry owes to campaigns: its own points when it carries a campaign id (bonuses and
 * their clawbacks), and each `metadata.campaigns[] = { campaignId, points }` share (a purchase
 * multiplied by a campaign). Idempotent per (entry, campaign).
 */
export async function recordCampaignAwards(deps: Pick<Deps, 'db'>, tx: Tx, entry: LedgerEntry): Promise<void> {
  const shares = new Map<string, number>();
  if (entry.campaignId) shares.set(entry.campaignId, entry.points);
  const listed = (entry.metadata as { campaigns?: unknown })?.campaigns;
  if (Array.isArray(listed)) {
    for (const item of listed) {
      const { campaignId, points } = (item ?? {}) as { campaignId?: unknown; points?: unknown };
      if (typeof campaignId === 'string' && typeof points === 'number' && Number.isSafeInteger(points) && points !== 0 && !shares.has(campaignId)) {
        shares.set(campaignId, points);
      }
    }
  }
  if (!shares.size) return;
  const rows = JSON.stringify([...shares].map(([campaign_id, points]) => ({ campaign_id, points })));
  await deps.db.rows(sql`
    insert into campaign_awards (merchant_id, id, campaign_id, customer_id, order_id, transaction_id, points, created_at)
    select ${entry.merchantId}, ${newIdSql('campaignAward')}, x.campaign_id, ${entry.customerId}, ${entry.orderId}, ${entry.id}, x.points, ${entry.createdAt.toISOString()}::timestamptz
    from jsonb_to_recordset(${rows}::jsonb) as x(campaign_id text, points int)
    on conflict do nothing`, tx);
}
