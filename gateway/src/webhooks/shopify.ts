import type { Shopify } from '@shopify/shopify-api';
import type { Request, Response } from 'express';
import { webhookInbox } from '@herethere/db';
import { inboxWakeTopic, type Deps } from '@herethere/runtime';
import type { MerchantDirectory } from '../auth/merchants';
import { admit } from './validate';

/**
 * POST /webhooks/shopify — the REST adapter. The HMAC is checked on the raw bytes exactly as
 * received; the delivery is then written to the inbox (deduplicated on X-Shopify-Webhook-Id)
 * before the 200 goes back, so anything acknowledged is durable.
 */
export function shopifyWebhookHandler(deps: Deps, shopify: Shopify, directory: MerchantDirectory) {
  // Wake the inbox processor now rather than at its next poll; losing a nudge only costs latency.
  // Deliveries landing in the same turn of the event loop share one nudge (the processor takes
  // batches and brings in more loops while it finds work).
  let nudging = false;
  const nudge = () => {
    if (nudging) return;
    nudging = true;
    setImmediate(() => {
      nudging = false;
      deps.pubsub.publish(inboxWakeTopic, {}).catch(() => {});
    });
  };
  return async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = await shopify.webhooks.validate({ rawBody, rawRequest: req, rawResponse: res });
    if (!check.valid) {
      if (check.reason === 'missing_headers') {
        return res.status(400).json({ error: 'missing_headers', message: `Missing headers: ${(check as { missingHeaders?: string[] }).missingHeaders?.join(', ')}` });
      }
      return res.status(401).json({ error: 'invalid_hmac', message: 'Webhook HMAC is missing or invalid' });
    }
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      payload = parsed as Record<string, unknown>;
    } catch {
      return res.status(400).json({ error: 'malformed_json', message: 'Webhook body is not a JSON object' });
    }
    const merchant = await directory.byDomain(check.domain);
    if (!merchant) return res.status(404).json({ error: 'shop_not_installed', message: `${check.domain} has not installed the app` });
    const topic = String(req.header('x-shopify-topic'));
    const admission = admit(topic, payload, merchant.currency);
    if (!admission.ok) return res.status(admission.status).json({ status: admission.status === 200 ? 'ignored' : 'rejected', error: admission.error, message: admission.message });
    const inserted = await deps.db.db
      .insert(webhookInbox)
      .values({ merchantId: merchant.id, webhookId: check.webhookId, topic, shopDomain: check.domain, apiVersion: check.apiVersion, payload })
      .onConflictDoNothing()
      .returning({ webhookId: webhookInbox.webhookId });
    if (inserted.length) nudge();
    return res.status(200).json({ status: inserted.length ? 'accepted' : 'duplicate' });
  };
}
