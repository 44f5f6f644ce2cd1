import type { SubgraphDefinition } from '@herethere/runtime';
import { CustomerResolver, MerchantCustomersResolver, resolveCustomerReference } from './customer/resolver';
import { LedgerResolver } from './ledger/resolver';
import { Merchant } from './customer/entity';
import { loyaltyWebhookHandlers } from './webhook-handlers';

/** loyalty owns customers' loyalty state: the points ledger, redemptions, referrals, tiers, badges. */
export const loyaltySubgraph: SubgraphDefinition = {
  name: 'loyalty',
  resolvers: [CustomerResolver, MerchantCustomersResolver, LedgerResolver],
  orphanedTypes: [Merchant],
  referenceResolvers: {
    Customer: { __resolveReference: resolveCustomerReference },
    Merchant: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
  },
  webhookHandlers: loyaltyWebhookHandlers,
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
