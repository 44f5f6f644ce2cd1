import { and, eq, ne } from 'drizzle-orm';
import { integrations, type DbOrTx, type IntegrationStatus } from '@herethere/db';
import { devSender, klaviyoSender, twilioSender, unseal, type Deps, type MessageSender, type SendOutcome } from '@herethere/runtime';

export interface ProviderCredentials {
  klaviyo?: { apiKey: string };
  twilio?: { accountSid: string; authToken: string; from: string };
  /** The shop's own accounts (integrations rows) among them, with their recorded status; absent ones are the platform's. */
  own?: Partial<Record<'klaviyo' | 'twilio', { status: IntegrationStatus; sealed: string }>>;
}

/**
 * A merchant's provider credentials: its own integrations (key sealed in integrations.api_key_sealed;
 * Twilio's account SID and sender in settings) win over the process-wide keys from the environment.
 */
export async function credentialsFor(deps: Pick<Deps, 'db' | 'config'>, merchantId: string): Promise<ProviderCredentials> {
  const rows = await deps.db.db.select().from(integrations)
    .where(and(eq(integrations.merchantId, merchantId), ne(integrations.status, 'disabled')));
  const out: ProviderCredentials = { own: {} };
  const n = deps.config.notify;
  for (const r of rows) {
    if (!r.apiKeySealed) continue;
    const secret = unseal(deps.config.encryptionKey, r.apiKeySealed);
    if (r.type === 'klaviyo') {
      out.klaviyo = { apiKey: secret };
      out.own!.klaviyo = { status: r.status, sealed: r.apiKeySealed };
    }
    if (r.type === 'twilio') {
      const s = r.settings as { accountSid?: string; from?: string };
      if (s.accountSid && s.from) {
        out.twilio = { accountSid: s.accountSid, authToken: secret, from: s.from };
        out.own!.twilio = { status: r.status, sealed: r.apiKeySealed };
      }
    }
  }
  if (!out.klaviyo && n.klaviyoApiKey) out.klaviyo = { apiKey: n.klaviyoApiKey };
  if (!out.twilio && n.twilioAccountSid && n.twilioAuthToken && n.twilioFrom) out.twilio = { accountSid: n.twilioAccountSid, authToken: n.twilioAuthToken, from: n.twilioFrom };
  return out;
}

/** Email and Klaviyo events go to Klaviyo, SMS to Twilio; without credentials, the recording provider. */
export function senderFor(deps: Pick<Deps, 'config' | 'log'>, creds: ProviderCredentials, channel: string): MessageSender {
  const n = deps.config.notify;
  if ((channel === 'email' || channel === 'klaviyo_event') && creds.klaviyo) {
    return klaviyoSender({ baseUrl: n.klaviyoApiUrl, apiKey: creds.klaviyo.apiKey, revision: n.klaviyoRevision, timeoutMs: n.timeoutMs });
  }
  if (channel === 'sms' && creds.twilio) return twilioSender({ baseUrl: n.twilioApiUrl, ...creds.twilio, timeoutMs: n.timeoutMs });
  return devSender(deps.log);
}

const klaviyoCache = new Map<string, { on: boolean; at: number }>();

/** Whether a merchant sends to Klaviyo (cached for 30 s: asked on every ledger entry, inside its transaction). */
export async function klaviyoEnabled(config: Deps['config'], db: DbOrTx, merchantId: string): Promise<boolean> {
  if (config.notify.klaviyoApiKey) return true;
  const hit = klaviyoCache.get(merchantId);
  if (hit && Date.now() - hit.at < 30_000) return hit.on;
  const [row] = await db.select({ id: integrations.id }).from(integrations)
    .where(and(eq(integrations.merchantId, merchantId), eq(integrations.type, 'klaviyo'), ne(integrations.status, 'disabled')));
  const on = Boolean(row);
  klaviyoCache.set(merchantId, { on, at: Date.now() });
  return on;
}

export function forgetKlaviyoEnabled(merchantId?: string): void {
  if (merchantId) klaviyoCache.delete(merchantId);
  else klaviyoCache.clear();
}

/**
 * What a send says about the shop's own account: accepted means it works; 401/403 means the key
 * or token was refused. Written to the integration only when it changes what was recorded (the
 * credentials carry the status read with them), so a busy shop's sends do not each cost a write.
 */
export async function noteAccountOutcome(deps: Pick<Deps, 'db'>, merchantId: string, creds: ProviderCredentials, outcome: SendOutcome): Promise<void> {
  const provider = outcome.provider;
  if (provider !== 'klaviyo' && provider !== 'twilio') return;
  const recorded = creds.own?.[provider];
  const status = outcome.ok ? 'ok' : outcome.credentialsRejected ? 'error' : null;
  if (!recorded || !status || recorded.status === status) return;
  recorded.status = status;
  // Only the secret these credentials were read from (sealing draws a fresh nonce each time, so a
  // reconnected account, even with the same key, is left alone).
  await deps.db.db.update(integrations)
    .set({ status, lastError: outcome.ok ? null : outcome.error.slice(0, 500), lastCheckedAt: new Date() })
    .where(and(eq(integrations.merchantId, merchantId), eq(integrations.type, provider), ne(integrations.status, 'disabled'), eq(integrations.apiKeySealed, recorded.sealed)));
}
