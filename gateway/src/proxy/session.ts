import type { Shopify } from '@shopify/shopify-api';
import type { Request, Response } from 'express';
import { ensureCustomer } from '@herethere/loyalty';
import type { Deps } from '@herethere/runtime';
import { SHOP_DOMAIN, type MerchantDirectory } from '../auth/merchants';
import { signWidgetToken } from '../auth/widget-token';

/**
 * GET/POST /proxy/session — reached through the Shopify app proxy (/apps/<prefix>/session).
 * Shopify signs the query (including logged_in_customer_id) with the app secret; only after that
 * signature checks out do we issue a widget token, for the customer Shopify vouched for.
 */
export function proxySessionHandler(deps: Deps, shopify: Shopify, directory: MerchantDirectory) {
  return async (req: Request, res: Response) => {
    const query: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.query)) query[k] = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
    if (!query.signature) return res.status(401).json({ error: 'missing_signature', message: 'The app proxy signature is missing' });
    let valid = false;
    try {
      valid = await shopify.utils.validateHmac(query, { signator: 'appProxy' });
    } catch {
      valid = false;
    }
    if (!valid) return res.status(401).json({ error: 'invalid_signature', message: 'The app proxy signature is invalid or too old' });
    const shop = query.shop ?? '';
    if (!SHOP_DOMAIN.test(shop)) return res.status(400).json({ error: 'invalid_shop', message: 'shop must be a myshopify.com domain' });
    const merchant = await directory.byDomain(shop);
    if (!merchant || merchant.status !== 'active') return res.status(404).json({ error: 'shop_not_installed', message: 'This shop has not installed the app' });

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
