import type { SubgraphDefinition } from '@herethere/runtime';
import { ApiKeyResolver } from './developer/resolver';
import { resolveMerchantReference, ShopResolver } from './shop/resolver';
import { handleAppUninstalled, handleShopUpdate } from './shop/webhooks';
import { WidgetResolver } from './widget/resolver';
import { ProgramSettingsResolver } from './program/resolver';
import { resolveRewardReference, RewardResolver } from './reward/resolver';
import { ReferralSettingsResolver } from './referral/resolver';
import { NotificationTemplateResolver } from './template/resolver';
import { resolveVipTierReference, VipTierResolver } from './tier/resolver';
import { BonusCampaignResolver, resolveBonusCampaignReference } from './campaign/resolver';
import { collectionRefreshWorker } from './campaign/collections';
import { BadgeDefinitionResolver } from './badge/resolver';
import { MessagingIntegrationResolver } from './integration/resolver';

/** merchant-config owns merchants, program settings, catalog, tier and campaign definitions, content. */
export const merchantConfigSubgraph: SubgraphDefinition = {
  name: 'merchant-config',
  resolvers: [ShopResolver, ProgramSettingsResolver, ApiKeyResolver, WidgetResolver, RewardResolver, ReferralSettingsResolver, NotificationTemplateResolver,
    VipTierResolver, BonusCampaignResolver, BadgeDefinitionResolver, MessagingIntegrationResolver],
  referenceResolvers: { Merchant: { __resolveReference: resolveMerchantReference }, Reward: { __resolveReference: resolveRewardReference },
    VipTier: { __resolveReference: resolveVipTierReference }, BonusCampaign: { __resolveReference: resolveBonusCampaignReference } },
  webhookHandlers: { 'app/uninstalled': handleAppUninstalled, 'shop/update': handleShopUpdate },
  workers: [collectionRefreshWorker],
};

export { seedDemoRewards } from './reward/seed';
