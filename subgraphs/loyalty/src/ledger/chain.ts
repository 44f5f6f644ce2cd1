import { createHash } from 'node:crypto';

/** The fields a ledger entry's hash covers. Changing any of them breaks the customer's chain. */
export interface ChainedFields {
  merchantId: string;
  customerId: string;
  id: string;
  seq: number;
  type: string;
  points: number;
  balanceAfter: number;
  idempotencyKey: string;
  orderId: string | null;
  createdAt: Date;
}

export const GENESIS_HASH = '';

export function entryHash(prevHash: string, e: ChainedFields): string {
  const canonical = JSON.stringify([
    e.merchantId, e.customerId, e.id, e.seq, e.type, e.points, e.balanceAfter, e.idempotencyKey, e.orderId ?? null, e.createdAt.toISOString(),
  ]);
  return createHash('sha256').update(prevHash).update('|').update(canonical).digest('hex');
}
