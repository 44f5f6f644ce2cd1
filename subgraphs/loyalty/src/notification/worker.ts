import { and, eq, inArray, sql } from 'drizzle-orm';
import { customers, emailEvents, emailTemplates, merchants, newId, notificationOutbox, programSettings, type TemplateType } from '@herethere/db';
import { DEFAULT_TEMPLATES, pollingWorker, renderTemplate, type Deps, type OutgoingMessage, type SendOutcome, type Worker } from '@herethere/runtime';
import { credentialsFor, noteAccountOutcome, senderFor, type ProviderCredentials } from './senders';

export type OutboxRow = typeof notificationOutbox.$inferSelect;

/** The template a notification kind is worded by. */
export const templateTypeOf = (kind: string): TemplateType => (kind === 'referral_invite' ? 'referral' : (kind as TemplateType));

/**
 * Claims due rows atomically: pending ones whose time has come, and `sending` ones whose lock
 * expired (a worker died mid-send). FOR UPDATE SKIP LOCKED lets any number of workers poll the
 * same table without ever claiming one row twice; the claim bumps `attempts`, which the
 * finishing update checks, so a worker that lost its lock cannot overwrite the new owner.
 */
export async function claimOutbox(deps: Deps, batchSize: number, lockMs: number): Promise<OutboxRow[]> {
  const rows = await deps.db.rows<Record<string, unknown>>(sql`
    with due as (
      select merchant_id, id from notification_outbox
      where (status = 'pending' and next_attempt_at <= now()) or (status = 'sending' and locked_until < now())
      order by next_attempt_at
      limit ${batchSize}
      for update skip locked
    )
    update notification_outbox o
    set status = 'sending', attempts = o.attempts + 1, locked_until = now() + make_interval(secs => ${lockMs / 1000})
    from due
    where o.merchant_id = due.merchant_id and o.id = due.id
    returning o.merchant_id, o.id`);
  if (!rows.length) return [];
  // Re-read through drizzle for typed columns (jsonb, timestamps) on both drivers.
  const byMerchant = new Map<string, string[]>();
  for (const r of rows) byMerchant.set(String(r.merchant_id), [...(byMerchant.get(String(r.merchant_id)) ?? []), String(r.id)]);
  const out: OutboxRow[] = [];
  for (const [merchantId, ids] of byMerchant) {
    out.push(...(await deps.db.db.select().from(notificationOutbox).where(and(eq(notificationOutbox.merchantId, merchantId), inArray(notificationOutbox.id, ids)))));
  }
  return out;
}

/** Exponential backoff with jitter (half fixed, half random); Retry-After is a floor. */
export function nextDelayMs(attempts: number, base: number, max: number, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  return Math.max(jittered, retryAfterMs ?? 0);
}

interface Built {
  message?: OutgoingMessage;
  templateId?: string | null;
  /** A reason the row can never be sent (no recipient, no wording). */
  permanent?: string;
}

/** Turns an outbox row into a provider-ready message: recipient, language, template, variables. */
export async function buildMessage(deps: Deps, row: OutboxRow): Promise<Built> {
  const payload = row.payload ?? {};
  const [merchant] = await deps.db.db.select({ name: merchants.name, defaultLanguage: merchants.defaultLanguage }).from(merchants).where(eq(merchants.id, row.merchantId));
  const [program] = await deps.db.db.select({ plural: programSettings.pointsCurrencyPlural }).from(programSettings).where(eq(programSettings.merchantId, row.merchantId));
  const customer = row.customerId
    ? (await deps.db.db.select().from(customers).where(and(eq(customers.merchantId, row.merchantId), eq(customers.id, row.customerId))))[0]
    : undefined;
  if (customer?.state === 'redacted') return { permanent: 'the customer’s data was redacted' };
  const override = (payload.to ?? null) as { email?: string; phone?: string } | null;
  const to = override ? { email: override.email ?? null, phone: override.phone ?? null } : { email: customer?.email ?? null, phone: customer?.phone ?? null, externalId: customer?.shopifyCustomerId ?? null };
  if (row.channel === 'email' && !to.email) return { permanent: 'no email address for the recipient' };
  if (row.channel === 'sms' && !to.phone) return { permanent: 'no phone number for the recipient' };

  const payloadPoints = (payload.points ?? {}) as Record<string, unknown>;
  const vars: Record<string, unknown> = {
    ...payload,
    shop: { name: merchant?.name ?? '' },
    customer: { firstName: customer?.firstName ?? '', lastName: customer?.lastName ?? '' },
    program: { pointsName: program?.plural ?? 'points' },
    points: { balance: customer?.pointsBalance ?? 0, ...payloadPoints },
  };

  let subject: string | null = null;
  let body: string | null = null;
  let templateId: string | null = null;
  if (row.channel !== 'klaviyo_event') {
    const type = templateTypeOf(row.kind);
    const languages = [...new Set([customer?.language, merchant?.defaultLanguage, 'en'].filter((l): l is string => Boolean(l)))];
    const saved = await deps.db.db.select().from(emailTemplates).where(and(
      eq(emailTemplates.merchantId, row.merchantId), eq(emailTemplates.type, type), eq(emailTemplates.channel, row.channel as 'email' | 'sms'), inArray(emailTemplates.language, languages),
    ));
    const template = languages.map((l) => saved.find((t) => t.language === l)).find(Boolean);
    const fallback = DEFAULT_TEMPLATES[type]?.[row.channel as 'email' | 'sms'];
    if (!template && !fallback) return { permanent: `no ${row.channel} wording for ${row.kind}` };
    templateId = template?.id ?? null;
    const subjectText = template ? template.subject : fallback!.subject;
    const bodyText = template ? template.body : fallback!.body;
    subject = subjectText ? renderTemplate(subjectText, vars) : null;
    body = renderTemplate(bodyText, vars, { escapeHtml: row.channel === 'email' });
  }
  const properties: Record<string, unknown> = { ...payload };
  delete properties.to;
  return {
    templateId,
    message: {
      id: row.id, merchantId: row.merchantId, channel: row.channel, kind: row.kind, to, subject, body, properties,
      profileProperties: override || !customer ? undefined : { loyalty_points_balance: customer.pointsBalance },
      occurredAt: row.createdAt,
    },
  };
}

async function finish(deps: Deps, row: OutboxRow, outcome: SendOutcome, built: Built): Promise<'sent' | 'retry' | 'dead'> {
  const n = deps.config.notify;
  const guard = and(eq(notificationOutbox.merchantId, row.merchantId), eq(notificationOutbox.id, row.id), eq(notificationOutbox.status, 'sending'), eq(notificationOutbox.attempts, row.attempts));
  type Tx = Parameters<Parameters<typeof deps.db.db.transaction>[0]>[0];
  // The outcome and its delivery log commit together: whoever sees the row sent also sees the log.
  const log = (tx: Tx, status: string) => tx.insert(emailEvents).values({
    merchantId: row.merchantId, id: newId('emailEvent'), customerId: row.customerId, eventType: row.kind,
    recipientEmail: built.message?.to.email ?? null, recipientPhone: built.message?.to.phone ?? null, templateId: built.templateId ?? null,
    outboxId: row.id, provider: outcome.provider, providerMessageId: outcome.ok ? outcome.providerMessageId : null, status,
  });
  const now = new Date();
  if (outcome.ok) {
    await deps.db.db.transaction(async (tx) => {
      const done = await tx.update(notificationOutbox)
        .set({ status: 'sent', sentAt: now, provider: outcome.provider, providerMessageId: outcome.providerMessageId, lockedUntil: null, lastError: null })
        .where(guard).returning({ id: notificationOutbox.id });
      if (done.length) await log(tx, outcome.provider === 'dev' ? 'recorded' : 'sent');
    });
    return 'sent';
  }
  if (outcome.retryable && row.attempts < n.maxAttempts) {
    const delay = nextDelayMs(row.attempts, n.retryBaseMs, n.retryMaxMs, outcome.retryAfterMs);
    await deps.db.db.update(notificationOutbox)
      .set({ status: 'pending', nextAttemptAt: new Date(now.getTime() + delay), lockedUntil: null, lastError: outcome.error.slice(0, 1000), provider: outcome.provider })
      .where(guard);
    return 'retry';
  }
  const reason = outcome.retryable ? `${outcome.error} (gave up after ${row.attempts} attempts)` : outcome.error;
  await deps.db.db.transaction(async (tx) => {
    const done = await tx.update(notificationOutbox)
      .set({ status: 'dead', deadAt: now, lockedUntil: null, lastError: reason.slice(0, 1000), provider: outcome.provider })
      .where(guard).returning({ id: notificationOutbox.id });
    if (done.length) await log(tx, 'failed');
  });
  return 'dead';
}

export interface OutboxRunStats {
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
}

/** Claims one batch and delivers it; returns how many rows it handled (0 = idle). */
export async function processOutboxBatch(deps: Deps, opts: { batchSize?: number; concurrency?: number; stats?: OutboxRunStats } = {}): Promise<number> {
  const n = deps.config.notify;
  const rows = await claimOutbox(deps, opts.batchSize ?? 20, n.timeoutMs * 2 + 30_000);
  const creds = new Map<string, Promise<ProviderCredentials>>();
  const queue = [...rows];
  const stats = opts.stats;
  if (stats) stats.claimed += rows.length;
  const work = async () => {
    for (let row = queue.shift(); row; row = queue.shift()) {
      let built: Built = {};
      let outcome: SendOutcome;
      try {
        built = await buildMessage(deps, row);
        if (built.permanent || !built.message) {
          outcome = { ok: false, provider: 'none', retryable: false, error: built.permanent ?? 'message could not be built' };
        } else {
          if (!creds.has(row.merchantId)) creds.set(row.merchantId, credentialsFor(deps, row.merchantId));
          const shopCreds = await creds.get(row.merchantId)!;
          outcome = await senderFor(deps, shopCreds, row.channel).send(built.message);
          await noteAccountOutcome(deps, row.merchantId, shopCreds, outcome);
        }
      } catch (err) {
        outcome = { ok: false, provider: 'none', retryable: true, error: `internal error: ${(err as Error).message}` };
      }
      const result = await finish(deps, row, outcome, built);
      if (stats) stats[result === 'sent' ? 'sent' : result === 'retry' ? 'retried' : 'dead'] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency ?? 5, Math.max(1, rows.length)) }, work));
  return rows.length;
}

/** The outbox sender, run by every loyalty process (several may run at once safely). */
export const notificationWorker = (deps: Deps): Worker => pollingWorker('notification-outbox', deps, () => processOutboxBatch(deps), 500);
