import { httpFailure, networkFailure, type MessageSender, type OutgoingMessage } from './types';

export interface KlaviyoOptions {
  baseUrl: string;
  /** A private API key (`pk_…`). */
  apiKey: string;
  /** The API revision date sent in the `revision` header. */
  revision: string;
  timeoutMs: number;
}

/** `reward_issued` → `Loyalty Reward Issued`: the metric a merchant's Klaviyo flows trigger on. */
export const klaviyoMetricName = (kind: string) =>
  `Loyalty ${kind.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join(' ')}`;

/** The JSON:API body of POST /api/events. Profile attributes in it update the profile's properties too. */
export function klaviyoEventBody(m: OutgoingMessage) {
  const profile: Record<string, unknown> = {};
  if (m.to.email) profile.email = m.to.email;
  if (m.to.phone) profile.phone_number = m.to.phone;
  if (m.to.externalId) profile.external_id = m.to.externalId;
  if (m.profileProperties && Object.keys(m.profileProperties).length) profile.properties = m.profileProperties;
  const properties: Record<string, unknown> = { ...m.properties, channel: m.channel };
  if (m.subject) properties.subject = m.subject;
  if (m.body) properties.body = m.body;
  return {
    data: {
      type: 'event',
      attributes: {
        properties,
        time: m.occurredAt.toISOString(),
        unique_id: m.id,
        metric: { data: { type: 'metric', attributes: { name: klaviyoMetricName(m.kind) } } },
        profile: { data: { type: 'profile', attributes: profile } },
      },
    },
  };
}

/**
 * Klaviyo's Events API (POST /api/events, 202 Accepted). Emails go out through the merchant's
 * Klaviyo flows triggered by the metric; the outbox id is the event's unique_id, so a repeated
 * delivery is deduplicated by Klaviyo too.
 */
export function klaviyoSender(o: KlaviyoOptions): MessageSender {
  return {
    name: 'klaviyo',
    async send(m) {
      if (!m.to.email && !m.to.phone && !m.to.externalId) return { ok: false, provider: 'klaviyo', retryable: false, error: 'klaviyo needs an email, phone or external id for the profile' };
      let res: Response;
      try {
        res = await fetch(`${o.baseUrl}/api/events`, {
          method: 'POST',
          headers: {
            authorization: `Klaviyo-API-Key ${o.apiKey}`,
            revision: o.revision,
            accept: 'application/vnd.api+json',
            'content-type': 'application/vnd.api+json',
          },
          body: JSON.stringify(klaviyoEventBody(m)),
          signal: AbortSignal.timeout(o.timeoutMs),
        });
      } catch (err) {
        return networkFailure('klaviyo', err, o.timeoutMs);
      }
      if (res.status === 202 || res.status === 200 || res.status === 201) {
        await res.body?.cancel();
        return { ok: true, provider: 'klaviyo', providerMessageId: m.id };
      }
      let detail = '';
      try {
        const body = (await res.json()) as { errors?: { detail?: string; title?: string }[] };
        detail = body.errors?.map((e) => e.detail ?? e.title).filter(Boolean).join('; ') ?? '';
      } catch {
        detail = '';
      }
      return httpFailure('klaviyo', res.status, detail, res.headers.get('retry-after'));
    },
  };
}
