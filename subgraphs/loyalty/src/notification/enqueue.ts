import { notificationOutbox, newId, type Tx } from '@herethere/db';

export type NotificationKind = 'points_earned' | 'reward_issued' | 'referral_completed' | 'referral_invite' | 'tier_change' | 'expiry_reminder' | 'badge_awarded' | 'campaign_started';

export interface NotificationInput {
  merchantId: string;
  customerId: string | null;
  kind: NotificationKind;
  channel: 'email' | 'sms' | 'klaviyo_event';
  /** Template variables; no secrets. */
  payload: Record<string, unknown>;
  /** One outbox row per dedupe key and merchant, e.g. `tier_change:<customer>:<tier>:<date>`. */
  dedupeKey: string;
}

/**
 * Writes a notification to the durable outbox inside the caller's transaction: it is sent only if
 * the event commits, and a sender picks it up later with retries.
 */
export async function enqueueNotification(tx: Tx, n: NotificationInput): Promise<void> {
  await tx
    .insert(notificationOutbox)
    .values({ merchantId: n.merchantId, id: newId('outbox'), customerId: n.customerId, kind: n.kind, channel: n.channel, payload: n.payload, dedupeKey: n.dedupeKey })
    .onConflictDoNothing();
}
