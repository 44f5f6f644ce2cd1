import { and, desc, eq } from 'drizzle-orm';
import { apiKeys, auditLogs, newId, type ApiKeyScope } from '@herethere/db';
import { formatApiKey, randomToken, sha256, type Context } from '@herethere/runtime';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function listApiKeys(ctx: Context, merchantId: string): Promise<ApiKeyRow[]> {
  return ctx.db.db.select().from(apiKeys).where(eq(apiKeys.merchantId, merchantId)).orderBy(desc(apiKeys.id));
}

/** Creates a key and returns the full secret once; only its hash is stored. */
export async function createApiKey(ctx: Context, merchantId: string, actor: string, name: string, scopes: ApiKeyScope[]) {
  const id = newId('apiKey');
  const secret = randomToken(32);
  const key = formatApiKey(merchantId, id, secret);
  const row = await ctx.db.db.transaction(async (tx) => {
    const [created] = await tx.insert(apiKeys).values({ merchantId, id, name, scopes, secretHash: sha256(secret), displayPrefix: key.slice(0, 12) }).returning();
    await tx.insert(auditLogs).values({ id: newId('auditLog'), actor, merchantId, action: 'api_key.create', targetType: 'api_key', targetId: id, details: { name, scopes } });
    return created;
  });
  return { row, key };
}

export async function revokeApiKey(ctx: Context, merchantId: string, actor: string, id: string): Promise<ApiKeyRow | null> {
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx.update(apiKeys).set({ revokedAt: new Date() }).where(and(eq(apiKeys.merchantId, merchantId), eq(apiKeys.id, id))).returning();
    if (!row) return null;
    await tx.insert(auditLogs).values({ id: newId('auditLog'), actor, merchantId, action: 'api_key.revoke', targetType: 'api_key', targetId: id });
    return row;
  });
}
