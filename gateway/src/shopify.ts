import '@shopify/shopify-api/adapters/node';
import { ApiVersion, LogSeverity, shopifyApi, type Shopify } from '@shopify/shopify-api';
import type { Config } from '@herethere/runtime';

/** The one @shopify/shopify-api instance: session tokens, webhook HMACs, app proxy signatures, Admin API. */
export function createShopify(config: Config): Shopify {
  const url = new URL(config.shopify.appUrl);
  return shopifyApi({
    apiKey: config.shopify.apiKey,
    apiSecretKey: config.shopify.apiSecret,
    scopes: ['read_customers', 'write_discounts', 'read_orders'],
    hostName: url.host,
    hostScheme: url.protocol === 'http:' ? 'http' : 'https',
    apiVersion: config.shopify.apiVersion as ApiVersion,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error, log: async () => {} },
  });
}
