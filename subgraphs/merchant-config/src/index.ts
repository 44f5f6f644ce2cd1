import type { SubgraphDefinition } from '@herethere/runtime';
import { ApiKeyResolver } from './developer/resolver';
import { resolveMerchantReference, ShopResolver } from './shop/resolver';

/** merchant-config owns merchants, program settings, catalog, tier and campaign definitions, content. */
export const merchantConfigSubgraph: SubgraphDefinition = {
  name: 'merchant-config',
  resolvers: [ShopResolver, ApiKeyResolver],
  referenceResolvers: { Merchant: { __resolveReference: resolveMerchantReference } },
};
