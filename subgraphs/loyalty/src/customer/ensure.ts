import { and, eq } from 'drizzle-orm';
import { customers, newId, type CustomerState, type DbOrTx } from '@herethere/db';

/**
 * Finds the shop's customer for a Shopify customer id, creating the member record on first sight
 * (the storefront session may arrive before the customers/create webhook). Safe under races:
 * the unique (merchant_id, shopify_customer_id) index decides, and the loser reads the winner.
 */
export async function ensureCustomer(db: DbOrTx, merchantId: string, shopifyCustomerId: string, profile: Partial<Pick<typeof customers.$inferInsert, 'email' | 'emailNormalized' | 'firstName' | 'lastName' | 'phone' | 'acceptsMarketing'>> = {}): Promise<{ id: string; state: CustomerState; created: boolean }> {
  const where = and(eq(customers.merchantId, merchantId), eq(customers.shopifyCustomerId, shopifyCustomerId));
  const columns = { id: customers.id, state: customers.state };
  const [existing] = await db.select(columns).from(customers).where(where);
  if (existing) return { ...existing, created: false };
  const [inserted] = await db
    .insert(customers)
    .values({ merchantId, id: newId('customer'), shopifyCustomerId, state: 'member', ...profile })
    .onConflictDoNothing()
    .returning(columns);
  if (inserted) return { ...inserted, created: true };
  const [winner] = await db.select(columns).from(customers).where(where);
  return { ...winner, created: false };
}
