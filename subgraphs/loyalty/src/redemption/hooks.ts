import { pollingWorker, type Deps, type Worker } from '@herethere/runtime';
import { registerOrderListener } from '../earning/hooks';
import { completeReferralForOrder } from '../referral/service';
import { applyFullRefundToRedemptions, expireRedemptions, markRedemptionsUsed, reconcileRedemptions } from './service';

/**
 * Order events drive redemptions and referrals: a paid order marks our codes it applied `used`
 * and completes the referral it carries; a full refund applies the shop's policy for used rewards.
 */
registerOrderListener(async (tx, deps, e) => {
  if (e.kind === 'paid') {
    await markRedemptionsUsed(tx, deps, { merchantId: e.merchantId, orderId: e.orderId, discountCodes: e.discountCodes, customerId: e.customerId });
    await completeReferralForOrder(tx, deps, {
      merchantId: e.merchantId, customerId: e.customerId, orderId: e.orderId, referralCode: e.referralCode, discountCodes: e.discountCodes,
      email: e.emailNormalized, shippingAddress: e.shippingAddress, landingIp: e.browserIp,
    });
  } else if (e.kind === 'refunded' && e.totalMinor > 0 && e.refundedMinor >= e.totalMinor) {
    await applyFullRefundToRedemptions(tx, deps, { merchantId: e.merchantId, orderId: e.orderId });
  }
});

/** Default age after which the background reconciler treats a reservation as abandoned. */
export const RECONCILE_GRACE_MS = 10 * 60_000;

/** Expires issued codes past their date and reconciles abandoned reservations, once a minute. */
export const redemptionMaintenanceWorker = (deps: Deps): Worker =>
  pollingWorker('redemption-maintenance', deps, async () => {
    await expireRedemptions(deps);
    await reconcileRedemptions(deps, { graceMs: RECONCILE_GRACE_MS });
    return 0;
  }, 60_000);
