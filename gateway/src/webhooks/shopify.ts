import type { Shopify } from '@shopify/shopify-api';
import type { Request, Response } from 'express';
import { inboxWakeTopic, type Deps } from '@herethere/runtime';
import type { MerchantDirectory } from '../auth/merchants';
import { inboxWriter } from './inbox-writer';
import { admit } from './validate';

/**
 * POST /webhooks/shopify — the REST adapter. The HMAC is checked on the raw bytes exactly as
 * received; the delivery is then written to the inbox (deduplicated on X-Shopify-Webhook-Id)
 * before the 200 goes back, so anything acknowledged is durable.
 */
/** Answers with JSON through Node's own writeHead: Express's send and set would hash an ETag and parse the content type, per delivery, for a body nobody caches. */
function reply(res: Response, status: number, body: Record<string, unknown>) {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) }).end(json);
}

/**
 * The request as `webhooks.validate` sees it: only the X-Shopify-* headers it reads. It converts
 * the request twice and matches header names with a regular expression, so every other header
 * (host, user agent, encodings…) would cost it work on each delivery for nothing.
 */
function shopifyView(req: Request) {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const name in req.headers) if (name.startsWith('x-shopify-')) headers[name] = req.headers[name];
  return { headers, method: req.method, url: req.originalUrl };
}

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
  const inbox = inboxWriter(deps.db);
  return async (req: Request, res: Response) => {
    const rawBody = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
    const check = await shopify.webhooks.validate({ rawBody, rawRequest: shopifyView(req), rawResponse: res });
    if (!check.valid) {
      if (check.reason === 'missing_headers') {
        return reply(res, 400, { error: 'missing_headers', message: `Missing headers: ${(check as { missingHeaders?: string[] }).missingHeaders?.join(', ')}` });
      }
      return reply(res, 401, { error: 'invalid_hmac', message: 'Webhook HMAC is missing or invalid' });
    }
    let payload: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(rawBody);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      payload = parsed as Record<string, unknown>;
    } catch {
      return reply(res, 400, { error: 'malformed_json', message: 'Webhook body is not a JSON object' });
    }
    const merchant = await directory.byDomain(check.domain);
    if (!merchant) return reply(res, 404, { error: 'shop_not_installed', message: `${check.domain} has not installed the app` });
    const topic = String(req.header('x-shopify-topic'));
    const admission = admit(topic, payload, merchant.currency);
    if (!admission.ok) return reply(res, admission.status, { status: admission.status === 200 ? 'ignored' : 'rejected', error: admission.error, message: admission.message });
    const accepted = await inbox.write({ merchantId: merchant.id, webhookId: check.webhookId, topic, shopDomain: check.domain, apiVersion: check.apiVersion, rawBody });
    if (accepted) nudge();
    return reply(res, 200, { status: accepted ? 'accepted' : 'duplicate' });
  };
}
