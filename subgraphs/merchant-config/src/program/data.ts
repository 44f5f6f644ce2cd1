import { eq } from 'drizzle-orm';
import { programSettings } from '@herethere/db';
import type { Context, UserError } from '@herethere/runtime';
import type { SettingsState } from './validate';

export type ProgramSettingsRow = typeof programSettings.$inferSelect;

/**
 * Cache key other services may use for a merchant's program settings; the update below drops it
 * after commit so no reader keeps serving rules the merchant has changed.
 */
export const programSettingsCacheKey = (merchantId: string) => `program:${merchantId}`;

/** The shop's settings, batched per request (Merchant.programSettings and programSettings share it). */
export const programSettingsFor = (ctx: Context, merchantId: string) =>
  ctx
    .loader<string, ProgramSettingsRow | null>('programSettings.byMerchant', async (ids) => {
      const rows = await Promise.all(ids.map((id) => ctx.db.db.select().from(programSettings).where(eq(programSettings.merchantId, id))));
      return rows.map((r) => r[0] ?? null);
    })
    .load(merchantId);

export type UpdateOutcome =
  | { status: 'updated'; row: ProgramSettingsRow }
  | { status: 'invalid'; errors: UserError[] }
  | { status: 'not_found' };

/**
 * Reads the row under a lock, lets `decide` merge and validate, and writes only when it returns
 * new settings: concurrent partial updates never lose each other's fields, and a rejected update
 * writes nothing.
 */
export async function updateProgramSettings(
  ctx: Context,
  merchantId: string,
  decide: (current: SettingsState) => { errors: UserError[]; next?: SettingsState },
): Promise<UpdateOutcome> {
  const outcome = await ctx.db.db.transaction(async (tx): Promise<UpdateOutcome> => {
    const [row] = await tx.select().from(programSettings).where(eq(programSettings.merchantId, merchantId)).for('update');
    if (!row) return { status: 'not_found' };
    const { errors, next } = decide({
      enabled: row.enabled,
      pointsCurrencySingular: row.pointsCurrencySingular,
      pointsCurrencyPlural: row.pointsCurrencyPlural,
      earning: row.earning,
      expiry: row.expiry,
    });
    if (errors.length || !next) return { status: 'invalid', errors };
    const [updated] = await tx
      .update(programSettings)
      .set({
        enabled: next.enabled,
        pointsCurrencySingular: next.pointsCurrencySingular,
        pointsCurrencyPlural: next.pointsCurrencyPlural,
        earning: next.earning,
        expiry: next.expiry,
        updatedAt: new Date(),
      })
      .where(eq(programSettings.merchantId, merchantId))
      .returning();
    return { status: 'updated', row: updated };
  });
  if (outcome.status === 'updated') await ctx.cache.del(programSettingsCacheKey(merchantId));
  return outcome;
}
