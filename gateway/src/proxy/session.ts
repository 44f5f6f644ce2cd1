import type { Shopify } from '@shopify/shopify-api';
import type { Request, Response } from 'express';
import { ensureCustomer } from '@herethere/loyalty';
import type { Deps } from '@herethere/runtime';
import type { MerchantDirectory } from '../auth/merchants';
import { verifyAppProxy } from './verify';
import { signWidgetToken } from '../auth/widget-token';

/**
 * GET/POST /proxy/session — reached through the Shopify app proxy (/apps/<prefix>/session).
 * Shopify signs the query (including logged_in_customer_id) with the app secret; only after that
 * signature checks out do we issue a widget token, for the customer Shopify vouched for.
 */
export function proxySessionHandler(deps: Deps, shopify: Shopify, directory: MerchantDirectory) {
  return async (req: Request, res: Response) => {
    const proxied = await verifyAppProxy(req, res, shopify, directory);
    if (!proxied) return;
    const { query, shop, merchant } = proxied;

    const shopifyCustomerId = query.logged_in_customer_id ?? '';
    const ttl = deps.config.widgetTokenTtlSeconds;
    res.setHeader('Cache-Control', 'no-store');
    if (!shopifyCustomerId) {
      const { token, expiresAt } = await signWidgetToken(deps.config.widgetTokenSecret, { kind: 'visitor', merchantId: merchant.id, shop }, ttl);
      return res.json({ kind: 'visitor', token, expiresAt: expiresAt.toISOString() });
    }
    if (!/^\d{1,20}$/.test(shopifyCustomerId)) return res.status(400).json({ error: 'invalid_customer', message: 'logged_in_customer_id must be numeric' });
    const customer = await ensureCustomer(deps.db.db, merchant.id, shopifyCustomerId);
    const { token, expiresAt } = await signWidgetToken(
      deps.config.widgetTokenSecret,
      { kind: 'customer', merchantId: merchant.id, shop, customerId: customer.id, shopifyCustomerId },
      ttl,
    );
    return res.json({ kind: 'customer', token, expiresAt: expiresAt.toISOString(), customerId: customer.id });
  };
}
