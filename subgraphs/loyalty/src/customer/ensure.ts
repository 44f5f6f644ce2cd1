import { and, eq, sql } from 'drizzle-orm';
import { customers, newId, queryRows, type CustomerState, type DbOrTx } from '@herethere/db';

/**
 * Finds the shop's customer for a Shopify customer id, creating the member record on first sight
 * (the storefront session may arrive before the customers/create webhook). Safe under races:
 * the unique (merchant_id, shopify_customer_id) index decides, and the loser reads the winner.
 */
export async function ensureCustomer(db: DbOrTx, merchantId: string, shopifyCustomerId: string, profile: Partial<Pick<typeof customers.$inferInsert, 'email' | 'emailNormalized' | 'firstName' | 'lastName' | 'phone' | 'acceptsMarketing'>> = {}): Promise<{ id: string; state: CustomerState; created: boolean }> {
  const where = and(eq(customers.merchantId, merchantId), eq(customers.shopifyCustomerId, shopifyCustomerId));
  const columns = { id: customers.id, state: customers.state };
  // The common case (every order of a known customer) as SQL text: cheaper to build than with the query builder.
  const [existing] = await queryRows<{ id: string; state: CustomerState }>(db, sql`
    select id, state from customers where merchant_id = ${merchantId} and shopify_customer_id = ${shopifyCustomerId}`);
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
