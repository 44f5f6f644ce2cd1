import { eq } from 'drizzle-orm';
import { merchants, programSettings, type DbOrTx } from '@herethere/db';

export type ProgramRow = typeof programSettings.$inferSelect;
export type MerchantRow = typeof merchants.$inferSelect;

/** The merchant and its program, read inside the processing transaction. */
export async function programOf(tx: DbOrTx, merchantId: string): Promise<{ merchant: MerchantRow; program: ProgramRow } | null> {
  const [row] = await tx
    .select({ merchant: merchants, program: programSettings })
    .from(merchants)
    .innerJoin(programSettings, eq(programSettings.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  return row ?? null;
}
