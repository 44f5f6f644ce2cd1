import type { WebhookHandler } from '@herethere/runtime';
import { handleCustomerRedact, handleDataRequest, handleShopRedact } from './compliance/handlers';
import { handleCustomerCreated, handleCustomerUpdated } from './customer/sync';
import { handleOrderCancelled } from './order/cancel';
import { handleOrderPaid } from './order/paid';
import { handleRefundCreated } from './order/refund';

/** The Shopify topics loyalty processes from the webhook inbox. */
export const loyaltyWebhookHandlers: Record<string, WebhookHandler> = {
  'orders/paid': handleOrderPaid,
  'orders/cancelled': handleOrderCancelled,
  'refunds/create': handleRefundCreated,
  'customers/create': handleCustomerCreated,
  'customers/update': handleCustomerUpdated,
  'customers/data_request': handleDataRequest,
  'customers/redact': handleCustomerRedact,
  'shop/redact': handleShopRedact,
};
