import { and, eq, inArray } from 'drizzle-orm';
import { auditLogs, integrations, newId, type IntegrationType } from '@herethere/db';
import { seal, unseal, type Context } from '@herethere/runtime';
import type { MessagingIntegration } from './entity';

type IntegrationRow = typeof integrations.$inferSelect;
export const MESSAGING: IntegrationType[] = ['klaviyo', 'twilio'];

export function toView(ctx: Pick<Context, 'config'>, row: IntegrationRow): MessagingIntegration {
  const settings = row.settings as { accountSid?: string; from?: string };
  const secret = row.apiKeySealed ? unseal(ctx.config.encryptionKey, row.apiKeySealed) : '';
  return {
    provider: row.type, connected: row.status !== 'disabled' && Boolean(row.apiKeySealed), status: row.status, lastError: row.lastError, keyHint: secret.slice(-4),
    accountSid: settings.accountSid ?? null, from: settings.from ?? null, updatedAt: row.updatedAt,
  };
}

export async function listMessaging(ctx: Context, merchantId: string): Promise<IntegrationRow[]> {
  return ctx.db.db.select().from(integrations).where(and(eq(integrations.merchantId, merchantId), inArray(integrations.type, MESSAGING)));
}

/**
 * Stores a provider's secret sealed (AES-GCM with the platform's key) and its plain settings, one
 * row per provider and shop, with an audit entry that never carries the secret.
 */
export async function connectMessaging(ctx: Context, merchantId: string, actor: string, type: IntegrationType, secret: string, settings: Record<string, string>): Promise<IntegrationRow> {
  const now = new Date();
  return ctx.db.db.transaction(async (tx) => {
    const values = { status: 'unknown' as const, apiKeySealed: seal(ctx.config.encryptionKey, secret), settings, lastError: null, updatedAt: now };
    const [row] = await tx.insert(integrations).values({ merchantId, id: newId('integration'), type, ...values })
      .onConflictDoUpdate({ target: [integrations.merchantId, integrations.type], set: values }).returning();
    await tx.insert(auditLogs).values({ id: newId('auditLog'), actor, merchantId, action: `integration.${type}.connect`, targetType: 'integration', targetId: row.id, details: { ...settings, keyHint: secret.slice(-4) } });
    return row;
  });
}

/** Disables the provider and forgets its secret. Null when it was never connected. */
export async function disconnectMessaging(ctx: Context, merchantId: string, actor: string, type: IntegrationType): Promise<IntegrationRow | null> {
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx.update(integrations).set({ status: 'disabled', apiKeySealed: null, updatedAt: new Date() })
      .where(and(eq(integrations.merchantId, merchantId), eq(integrations.type, type))).returning();
    if (!row) return null;
    await tx.insert(auditLogs).values({ id: newId('auditLog'), actor, merchantId, action: `integration.${type}.disconnect`, targetType: 'integration', targetId: row.id });
    return row;
  });
}
