import { and, asc, eq, type SQL } from 'drizzle-orm';
import { emailTemplates, merchants, newId, type TemplateChannel, type TemplateType } from '@herethere/db';
import type { Context } from '@herethere/runtime';

export type TemplateRow = typeof emailTemplates.$inferSelect;

export async function listTemplates(ctx: Context, merchantId: string, filter: { type?: TemplateType; channel?: TemplateChannel; language?: string }): Promise<TemplateRow[]> {
  const where: SQL[] = [eq(emailTemplates.merchantId, merchantId)];
  if (filter.type) where.push(eq(emailTemplates.type, filter.type));
  if (filter.channel) where.push(eq(emailTemplates.channel, filter.channel));
  if (filter.language) where.push(eq(emailTemplates.language, filter.language));
  return ctx.db.db.select().from(emailTemplates).where(and(...where)).orderBy(asc(emailTemplates.type), asc(emailTemplates.channel), asc(emailTemplates.language));
}

export async function merchantLanguages(ctx: Context, merchantId: string): Promise<string[]> {
  const [m] = await ctx.db.db.select({ languages: merchants.languages }).from(merchants).where(eq(merchants.id, merchantId));
  return m?.languages ?? ['en'];
}

/** One template per (type, channel, language): saving again replaces the wording. */
export async function upsertTemplate(ctx: Context, merchantId: string, t: { type: TemplateType; channel: TemplateChannel; language: string; subject: string | null; body: string }): Promise<TemplateRow> {
  const now = new Date();
  const [row] = await ctx.db.db
    .insert(emailTemplates)
    .values({ merchantId, id: newId('emailTemplate'), ...t })
    .onConflictDoUpdate({ target: [emailTemplates.merchantId, emailTemplates.type, emailTemplates.channel, emailTemplates.language], set: { subject: t.subject, body: t.body, updatedAt: now } })
    .returning();
  return row;
}

export async function deleteTemplate(ctx: Context, merchantId: string, id: string): Promise<boolean> {
  const rows = await ctx.db.db.delete(emailTemplates).where(and(eq(emailTemplates.merchantId, merchantId), eq(emailTemplates.id, id))).returning({ id: emailTemplates.id });
  return rows.length > 0;
}
