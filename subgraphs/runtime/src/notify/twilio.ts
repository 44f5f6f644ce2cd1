import { httpFailure, networkFailure, type MessageSender } from './types';

export interface TwilioOptions {
  baseUrl: string;
  accountSid: string;
  authToken: string;
  /** A Twilio number in E.164 or a Messaging Service SID (`MG…`). */
  from: string;
  timeoutMs: number;
}

/** E.164: a plus sign and 8 to 15 digits. */
export const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * Twilio's Messages API: POST /2010-04-01/Accounts/{AccountSid}/Messages.json with HTTP basic
 * auth and a form-encoded body (To, From or MessagingServiceSid, Body); 201 Created carries the
 * message SID. Error bodies carry Twilio's numeric code (21211: invalid 'To' number).
 */
export function twilioSender(o: TwilioOptions): MessageSender {
  return {
    name: 'twilio',
    async send(m) {
      if (!m.to.phone) return { ok: false, provider: 'twilio', retryable: false, error: 'twilio needs a phone number' };
      if (!m.body) return { ok: false, provider: 'twilio', retryable: false, error: 'twilio needs a message body' };
      const form = new URLSearchParams({ To: m.to.phone, Body: m.body });
      form.set(o.from.startsWith('MG') ? 'MessagingServiceSid' : 'From', o.from);
      let res: Response;
      try {
        res = await fetch(`${o.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(o.accountSid)}/Messages.json`, {
          method: 'POST',
          headers: {
            authorization: `Basic ${Buffer.from(`${o.accountSid}:${o.authToken}`).toString('base64')}`,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
          signal: AbortSignal.timeout(o.timeoutMs),
        });
      } catch (err) {
        return networkFailure('twilio', err, o.timeoutMs);
      }
      let body: { sid?: string; code?: number; message?: string } = {};
      try {
        body = (await res.json()) as typeof body;
      } catch {
        body = {};
      }
      if (res.status === 201 || res.status === 200) return { ok: true, provider: 'twilio', providerMessageId: body.sid ?? null };
      const detail = body.code ? `${body.code} ${body.message ?? ''}`.trim() : body.message ?? '';
      return httpFailure('twilio', res.status, detail, res.headers.get('retry-after'));
    },
  };
}
