import { adminSubgraph } from '@herethere/admin';
import { analyticsSubgraph } from '@herethere/analytics';
import { loyaltySubgraph } from '@herethere/loyalty';
import { merchantConfigSubgraph } from '@herethere/merchant-config';
import type { SubgraphDefinition, SubgraphName } from '@herethere/runtime';

export const SUBGRAPHS: Record<SubgraphName, SubgraphDefinition> = {
  loyalty: loyaltySubgraph,
  'merchant-config': merchantConfigSubgraph,
  analytics: analyticsSubgraph,
  admin: adminSubgraph,
};
