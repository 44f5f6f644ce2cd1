import type { SubgraphDefinition } from '@herethere/runtime';
import { MetricsResolver } from './metrics/resolver';
import { CustomerRfmResolver, resolveCustomerReference } from './rfm/resolver';
import { Customer } from './rfm/entity';
import { Merchant } from './metrics/entity';

/** analytics owns RFM scores, segments, metrics and exports. */
export const analyticsSubgraph: SubgraphDefinition = {
  name: 'analytics',
  resolvers: [CustomerRfmResolver, MetricsResolver],
  orphanedTypes: [Customer, Merchant],
  referenceResolvers: {
    Customer: { __resolveReference: resolveCustomerReference },
    Merchant: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
  },
};
