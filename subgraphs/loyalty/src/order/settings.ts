import type { DbOrTx } from '@herethere/db';
import { merchantConfig, type MerchantRow, type ProgramRow } from '../program/config';

export type { MerchantRow, ProgramRow };

/** The merchant and its program (null when the shop has none), as the processing transaction sees them. */
export async function programOf(tx: DbOrTx, merchantId: string): Promise<{ merchant: MerchantRow; program: ProgramRow } | null> {
  const config = await merchantConfig(tx, merchantId);
  return config?.program ? { merchant: config.merchant, program: config.program } : null;
}
