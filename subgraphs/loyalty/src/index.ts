import type { SubgraphDefinition } from '@herethere/runtime';
import { CustomerResolver, MerchantCustomersResolver, resolveCustomerReference } from './customer/resolver';
import { LedgerResolver } from './ledger/resolver';
import { EarnResolver } from './earn/resolver';
import { PointsHistoryResolver, PointsTransactionFieldsResolver } from './history/resolver';
import { scheduleWorker } from './schedule/worker';
import { Merchant } from './customer/entity';
import { loyaltyWebhookHandlers } from './webhook-handlers';
import { CustomerRedemptionsResolver, RedemptionResolver, resolveRewardReference, RewardListResolver } from './redemption/resolver';
import { redemptionMaintenanceWorker } from './redemption/hooks';
import { CustomerReferralResolver, ReferralLinkResolver, ReferralResolver } from './referral/resolver';
import { NotificationResolver } from './notification/resolver';
import { notificationWorker } from './notification/worker';
import './notification/listener';
import './tier/register';
import { CustomerVipResolver, VipTierOverrideResolver, VipTierPreviewResolver } from './tier/resolver';
import { tierWorker } from './tier/worker';
import { BonusCampaign, CampaignPerformanceResolver, resolveCampaignReference } from './campaign/resolver';
import { campaignWorker } from './campaign/lifecycle';
import { CustomerBadgesResolver } from './badge/resolver';
import { CustomerLeaderboardResolver, LeaderboardResolver } from './leaderboard/resolver';
import { leaderboardWorker } from './leaderboard/worker';

/** loyalty owns customers' loyalty state: the points ledger, redemptions, referrals, tiers, badges. */
export const loyaltySubgraph: SubgraphDefinition = {
  name: 'loyalty',
  resolvers: [CustomerResolver, MerchantCustomersResolver, LedgerResolver, EarnResolver, PointsHistoryResolver, PointsTransactionFieldsResolver,
    RewardListResolver, RedemptionResolver, CustomerRedemptionsResolver, ReferralLinkResolver, CustomerReferralResolver, ReferralResolver, NotificationResolver,
    CustomerVipResolver, VipTierOverrideResolver, VipTierPreviewResolver, CampaignPerformanceResolver, CustomerBadgesResolver, CustomerLeaderboardResolver, LeaderboardResolver],
  orphanedTypes: [Merchant, BonusCampaign],
  referenceResolvers: {
    Customer: { __resolveReference: resolveCustomerReference },
    Merchant: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    Reward: { __resolveReference: resolveRewardReference },
    BonusCampaign: { __resolveReference: resolveCampaignReference },
  },
  webhookHandlers: loyaltyWebhookHandlers,
  workers: [(deps) => scheduleWorker(deps), notificationWorker, redemptionMaintenanceWorker, tierWorker, campaignWorker, leaderboardWorker],
};

export { buildLoyaltySubscriptionSchema } from './balance/subscription';
export * from './ledger/post';
export * from './ledger/chain';
export { ensureCustomer } from './customer/ensure';
export * from './earning/hooks';
export * from './notification/enqueue';
export { normalizeEmail } from './customer/email';
export { invalidateCustomer } from './customer/sync';
export { parseOrder, parseRefund, PayloadError } from './order/payload';
export { redeem, reconcileRedemptions, markRedemptionsUsed, applyFullRefundToRedemptions, expireRedemptions, voidReservation, redemptionFaults, ProcessCrash, type RedeemInput, type RedeemResult, type ReconcileResult } from './redemption/service';
export { completeReferralForOrder, attributeReferral, recordReferralLanding, approveReferral, ensureReferralLink, APP_PROXY_PREFIX, type CompletionInput, type CompletionResult } from './referral/service';
export { processOutboxBatch, claimOutbox, nextDelayMs } from './notification/worker';
export { forgetKlaviyoEnabled } from './notification/senders';
export { registerTierRewardIssuer, settleTierGrants, type TierRewardIssuer, type TierRewardGrant } from './tier/grants';
export { awardEventBadges } from './tier/register';
