/** One message ready for a provider: rendered text plus the structured properties behind it. */
export interface OutgoingMessage {
  /** The outbox row id: providers that take an idempotency key (Klaviyo's unique_id) get it. */
  id: string;
  merchantId: string;
  channel: 'email' | 'sms' | 'klaviyo_event';
  /** What happened, e.g. `reward_issued`. */
  kind: string;
  to: { email?: string | null; phone?: string | null; externalId?: string | null };
  subject?: string | null;
  body?: string | null;
  /** Event properties (template variables, flattened where useful). */
  properties: Record<string, unknown>;
  /** Profile properties kept in step on the provider's side, e.g. the points balance. */
  profileProperties?: Record<string, unknown>;
  occurredAt: Date;
}

export type SendOutcome =
  | { ok: true; provider: string; providerMessageId: string | null }
  | { ok: false; provider: string; retryable: boolean; retryAfterMs?: number; error: string; credentialsRejected?: boolean };

export interface MessageSender {
  readonly name: 'klaviyo' | 'twilio' | 'dev';
  send(message: OutgoingMessage): Promise<SendOutcome>;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** A failed HTTP exchange, classified: 429 and 5xx and network trouble are worth retrying. */
export function httpFailure(provider: string, status: number, detail: string, retryAfter: string | null): SendOutcome {
  if (status === 429) return { ok: false, provider, retryable: true, retryAfterMs: parseRetryAfter(retryAfter), error: `${provider} answered 429 Too Many Requests${detail ? `: ${detail}` : ''}` };
  if (status >= 500) return { ok: false, provider, retryable: true, retryAfterMs: parseRetryAfter(retryAfter), error: `${provider} answered ${status}${detail ? `: ${detail}` : ''}` };
  // 401 and 403 are about the account, not the message: the shop's integration shows it.
  return { ok: false, provider, retryable: false, credentialsRejected: status === 401 || status === 403, error: `${provider} refused the message (${status})${detail ? `: ${detail}` : ''}` };
}

export function networkFailure(provider: string, err: unknown, timeoutMs: number): SendOutcome {
  const e = err as Error;
  const timedOut = e?.name === 'TimeoutError' || e?.name === 'AbortError';
  return { ok: false, provider, retryable: true, error: timedOut ? `${provider} did not answer within ${timeoutMs} ms` : `${provider} could not be reached: ${e?.message ?? String(err)}` };
}
