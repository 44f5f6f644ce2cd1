import { eq } from 'drizzle-orm';
import { merchants, newId, rewards, type Db } from '@herethere/db';

/** The demo shop's catalogue: one reward of each kind. Idempotent (skips a shop that has rewards). */
export async function seedDemoRewards(db: Db, merchantId: string): Promise<number> {
  const [existing] = await db.select({ id: rewards.id }).from(rewards).where(eq(rewards.merchantId, merchantId)).limit(1);
  if (existing) return 0;
  const [m] = await db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, merchantId));
  const currency = m?.currency ?? 'USD';
  const rows = [
    { kind: 'fixed_amount' as const, name: '$5 off', pointsCost: 500, valueMinor: 500, codeExpiryDays: 90, sortOrder: 1 },
    { kind: 'free_shipping' as const, name: 'Free shipping', pointsCost: 300, codeExpiryDays: 90, sortOrder: 2 },
    { kind: 'percentage' as const, name: '10% off your order', pointsCost: 800, percentageBp: 1000, minOrderMinor: 2000, codeExpiryDays: 90, sortOrder: 3 },
    { kind: 'points_slider' as const, name: 'Spend points for $ off', pointsCost: 100, pointsPerStep: 100, valueMinorPerStep: 100, maxSteps: 20, sortOrder: 4 },
  ];
  await db.insert(rewards).values(rows.map((r) => ({ merchantId, id: newId('reward'), currency, ...r }))).onConflictDoNothing();
  return rows.length;
}
