import { and, eq, type SQL } from 'drizzle-orm';
import { merchants, programSettings, type EarningRules, type ExpiryPolicy } from '@herethere/db';
import type { Deps } from '@herethere/runtime';

export interface RunningProgram {
  merchantId: string;
  timezone: string;
  earning: EarningRules;
  expiry: ExpiryPolicy;
  names: { singular: string; plural: string };
}

/** Programs the daily jobs act for: the shop is installed (active) and its program is turned on. */
export async function runningPrograms(deps: Deps, where?: SQL): Promise<RunningProgram[]> {
  const rows = await deps.db.db
    .select({
      merchantId: merchants.id,
      timezone: merchants.timezone,
      earning: programSettings.earning,
      expiry: programSettings.expiry,
      singular: programSettings.pointsCurrencySingular,
      plural: programSettings.pointsCurrencyPlural,
    })
    .from(merchants)
    .innerJoin(programSettings, eq(programSettings.merchantId, merchants.id))
    .where(and(eq(merchants.status, 'active'), eq(programSettings.enabled, true), where))
    .orderBy(merchants.id);
  return rows.map((r) => ({ merchantId: r.merchantId, timezone: r.timezone, earning: r.earning, expiry: r.expiry, names: { singular: r.singular, plural: r.plural } }));
}
