import { and, eq } from 'drizzle-orm';
import { customers, newId, type DbOrTx } from '@herethere/db';

/**
 * Finds the shop's customer for a Shopify customer id, creating the member record on first sight
 * (the storefront session may arrive before the customers/create webhook). Safe under races:
 * the unique (merchant_id, shopify_customer_id) index decides, and the loser reads the winner.
 */
export async function ensureCustomer(db: DbOrTx, merchantId: string, shopifyCustomerId: string, profile: Partial<Pick<typeof customers.$inferInsert, 'email' | 'emailNormalized' | 'firstName' | 'lastName' | 'phone' | 'acceptsMarketing'>> = {}): Promise<{ id: string; created: boolean }> {
  const where = and(eq(customers.merchantId, merchantId), eq(customers.shopifyCustomerId, shopifyCustomerId));
  const [existing] = await db.select({ id: customers.id }).from(customers).where(where);
  if (existing) return { id: existing.id, created: false };
  const [inserted] = await db
    .insert(customers)
    .values({ merchantId, id: newId('customer'), shopifyCustomerId, state: 'member', ...profile })
    .onConflictDoNothing()
    .returning({ id: customers.id });
  if (inserted) return { id: inserted.id, created: true };
  const [winner] = await db.select({ id: customers.id }).from(customers).where(where);
  return { id: winner.id, created: false };
}
