import { registerLedgerListener, type LedgerListener } from '../earning/hooks';
import { enqueueNotification } from './enqueue';
import { klaviyoEnabled } from './senders';

const EARNED = new Set(['purchase', 'signup', 'review', 'birthday', 'referral', 'campaign', 'tier_bonus', 'custom', 'pending_release']);

/**
 * Keeps Klaviyo in step with balances: each credit posts a `points_earned` Klaviyo event (whose
 * profile properties carry the new balance) in the same transaction, for shops sending to Klaviyo.
 */
export const pointsEarnedListener: LedgerListener = async (tx, deps, entry) => {
  if (entry.points <= 0 || !EARNED.has(entry.type)) return;
  if (!(await klaviyoEnabled(deps.config, tx, entry.merchantId))) return;
  await enqueueNotification(tx, {
    merchantId: entry.merchantId,
    customerId: entry.customerId,
    kind: 'points_earned',
    channel: 'klaviyo_event',
    payload: { points: { earned: entry.points, balance: entry.balanceAfter, reason: entry.reason }, entryType: entry.type },
    dedupeKey: `points_earned:${entry.id}`,
  });
};

registerLedgerListener(pointsEarnedListener);
