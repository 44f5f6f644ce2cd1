import type { Shopify } from '@shopify/shopify-api';
import type { Request, Response } from 'express';
import { SHOP_DOMAIN, type MerchantDirectory, type MerchantRef } from '../auth/merchants';

export interface ProxiedRequest {
  query: Record<string, string>;
  shop: string;
  merchant: MerchantRef;
}

/**
 * Every app proxy route starts here: Shopify signs the query (shop, timestamp,
 * logged_in_customer_id…) with the app secret. Answers the error itself and returns null when the
 * signature is missing, wrong or stale, or the shop is not installed.
 */
export async function verifyAppProxy(req: Request, res: Response, shopify: Shopify, directory: MerchantDirectory): Promise<ProxiedRequest | null> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.query)) query[k] = Array.isArray(v) ? v.map(String).join(',') : String(v ?? '');
  if (!query.signature) {
    res.status(401).json({ error: 'missing_signature', message: 'The app proxy signature is missing' });
    return null;
  }
  const valid = await shopify.utils.validateHmac(query, { signator: 'appProxy' }).catch(() => false);
  if (!valid) {
    res.status(401).json({ error: 'invalid_signature', message: 'The app proxy signature is invalid or too old' });
    return null;
  }
  const shop = query.shop ?? '';
  if (!SHOP_DOMAIN.test(shop)) {
    res.status(400).json({ error: 'invalid_shop', message: 'shop must be a myshopify.com domain' });
    return null;
  }
  const merchant = await directory.byDomain(shop);
  if (!merchant || merchant.status !== 'active') {
    res.status(404).json({ error: 'shop_not_installed', message: 'This shop has not installed the app' });
    return null;
  }
  return { query, shop, merchant };
}
