import { and, eq, isNull, sql } from 'drizzle-orm';
import { bonusCampaigns, customerSegments, newIdSql } from '@herethere/db';
import { pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { segmentPredicate } from './segment';

/**
 * Campaign lifecycle: scheduled campaigns become active at their start, eligible customers are told
 * once through the outbox (members who accept marketing, narrowed to the campaign's tiers or
 * segment), and campaigns past their end are marked ended.
 */
export async function runCampaignLifecycle(deps: Deps, now = new Date()): Promise<number> {
  const at = now.toISOString();
  const activated = await deps.db.rows<{ id: string }>(sql`
    update bonus_campaigns set status = 'active', updated_at = now()
    where status = 'scheduled' and starts_at <= ${at}::timestamptz and (ends_at is null or ends_at > ${at}::timestamptz)
    returning id`);
  const due = await deps.db.rows<{ merchant_id: string; id: string }>(sql`
    select merchant_id, id from bonus_campaigns
    where status = 'active' and notified_at is null and starts_at <= ${at}::timestamptz
    order by starts_at limit 20`);
  let notified = 0;
  for (const c of due) {
    notified += await deps.db.db.transaction(async (tx) => {
      const [campaign] = await tx.update(bonusCampaigns).set({ notifiedAt: now, updatedAt: now })
        .where(and(eq(bonusCampaigns.merchantId, c.merchant_id), eq(bonusCampaigns.id, c.id), isNull(bonusCampaigns.notifiedAt)))
        .returning();
      if (!campaign) return 0;
      let target = sql`true`;
      if (campaign.type === 'tier_bonus') {
        const tiers = campaign.tierIds ?? [];
        target = tiers.length ? sql`c.vip_tier_id in (${sql.join(tiers.map((t) => sql`${t}`), sql`, `)})` : sql`false`;
      } else if (campaign.type === 'segment_bonus' && campaign.segmentId) {
        const [segment] = await tx.select({ rules: customerSegments.rules }).from(customerSegments)
          .where(and(eq(customerSegments.merchantId, campaign.merchantId), eq(customerSegments.id, campaign.segmentId)));
        target = segmentPredicate(segment?.rules) ?? sql`false`;
      }
      const payload = JSON.stringify({
        campaignId: campaign.id, name: campaign.name, type: campaign.type, multiplierBp: campaign.multiplierBp, bonusPoints: campaign.bonusPoints,
        goalMinor: campaign.goalMinor, currency: campaign.currency, startsAt: campaign.startsAt.toISOString(), endsAt: campaign.endsAt?.toISOString() ?? null,
      });
      const rows = await deps.db.rows<{ n: number }>(sql`
        with ins as (
          insert into notification_outbox (merchant_id, id, customer_id, kind, channel, payload, dedupe_key)
          select c.merchant_id, ${newIdSql('outbox', now.getTime())}, c.id, 'campaign_started', 'email', ${payload}::jsonb,
            'campaign_started:' || ${campaign.id} || ':' || c.id
          from customers c
          where c.merchant_id = ${campaign.merchantId} and c.state = 'member' and c.accepts_marketing and ${target}
          on conflict do nothing
          returning 1)
        select count(*)::int as n from ins`, tx);
      deps.log.info('campaign started', { campaignId: campaign.id, notified: Number(rows[0]?.n ?? 0) });
      return 1;
    });
  }
  const ended = await deps.db.rows<{ id: string }>(sql`
    update bonus_campaigns set status = 'ended', updated_at = now()
    where status in ('scheduled', 'active') and ends_at is not null and ends_at <= ${at}::timestamptz
    returning id`);
  return activated.length + notified + ended.length;
}

export const campaignWorker = (deps: Deps): Worker => pollingWorker('campaign-lifecycle', deps, () => runCampaignLifecycle(deps), 2000);
