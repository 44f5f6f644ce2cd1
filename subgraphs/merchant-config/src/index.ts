import type { SubgraphDefinition } from '@herethere/runtime';
import { ApiKeyResolver } from './developer/resolver';
import { resolveMerchantReference, ShopResolver } from './shop/resolver';
import { handleAppUninstalled, handleShopUpdate } from './shop/webhooks';

/** merchant-config owns merchants, program settings, catalog, tier and campaign definitions, content. */
export const merchantConfigSubgraph: SubgraphDefinition = {
  name: 'merchant-config',
  resolvers: [ShopResolver, ApiKeyResolver],
  referenceResolvers: { Merchant: { __resolveReference: resolveMerchantReference } },
  webhookHandlers: { 'app/uninstalled': handleAppUninstalled, 'shop/update': handleShopUpdate },
};
