import { and, eq, sql } from 'drizzle-orm';
import { customers, exportJobs, merchants, newId, orders, pointsTransactions, type Tx } from '@herethere/db';
import { topics, type Deps, type HandlerOutcome, type InboxDelivery } from '@herethere/runtime';
import { invalidateCustomer } from '../customer/sync';

interface ComplianceCustomer {
  customer?: { id?: unknown; email?: unknown };
  data_request?: { id?: unknown };
}

const shopifyIdOf = (p: ComplianceCustomer): string | null => {
  const id = typeof p.customer?.id === 'number' ? String(p.customer.id) : p.customer?.id;
  return typeof id === 'string' && /^\d{1,20}$/.test(id) ? id : null;
};

async function findCustomer(tx: Tx, merchantId: string, shopifyId: string) {
  const [row] = await tx.select().from(customers).where(and(eq(customers.merchantId, merchantId), eq(customers.shopifyCustomerId, shopifyId)));
  return row ?? null;
}

/**
 * Personal fields we erase. Amounts stay (the ledger is append-only and carries no personal data:
 * reasons name orders, never people), so the shop's books still add up after a redaction.
 */
const ERASED = {
  email: null, emailNormalized: null, firstName: null, lastName: null, phone: null, birthday: null, birthdaySetAt: null, language: null,
  shopifyCustomerId: null, state: 'redacted' as const, acceptsMarketing: false, rfmScore: null,
};

async function eraseCustomer(tx: Tx, merchantId: string, customerId: string): Promise<void> {
  await tx.update(customers).set({ ...ERASED, updatedAt: new Date() }).where(and(eq(customers.merchantId, merchantId), eq(customers.id, customerId)));
  await tx.update(orders).set({ emailNormalized: null, shopifyCustomerId: null }).where(and(eq(orders.merchantId, merchantId), eq(orders.customerId, customerId)));
}

/** customers/data_request: an export of everything held on the customer, for the merchant to send on. */
export async function handleDataRequest(tx: Tx, _deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const p = d.payload as ComplianceCustomer;
  const shopifyId = shopifyIdOf(p);
  if (!shopifyId) return { outcome: 'data request names no customer id; nothing exported' };
  const customer = await findCustomer(tx, d.merchantId, shopifyId);
  if (!customer) return { outcome: `no customer ${shopifyId} in this shop; nothing held, nothing exported` };
  const ledger = await tx.select().from(pointsTransactions).where(and(eq(pointsTransactions.merchantId, d.merchantId), eq(pointsTransactions.customerId, customer.id)));
  const customerOrders = await tx.select().from(orders).where(and(eq(orders.merchantId, d.merchantId), eq(orders.customerId, customer.id)));
  const document = { requestedAt: new Date().toISOString(), dataRequestId: p.data_request?.id ?? null, customer, pointsTransactions: ledger, orders: customerOrders };
  const id = newId('exportJob');
  await tx.insert(exportJobs).values({
    merchantId: d.merchantId, id, kind: 'customer_data_request', params: { shopifyCustomerId: shopifyId, dataRequestId: p.data_request?.id ?? null },
    status: 'done', progressPct: 100, rowsTotal: 1 + ledger.length + customerOrders.length, rowsDone: 1 + ledger.length + customerOrders.length,
    fileName: `customer-${shopifyId}.json`, contentType: 'application/json', fileContent: JSON.stringify(document, null, 2), requestedBy: 'webhook:customers/data_request', finishedAt: new Date(),
  });
  return { outcome: `exported customer ${shopifyId} (${ledger.length} ledger entries, ${customerOrders.length} orders) as ${id}` };
}

/** customers/redact: erase the customer's personal data; ledger amounts remain, anonymised. */
export async function handleCustomerRedact(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const shopifyId = shopifyIdOf(d.payload as ComplianceCustomer);
  if (!shopifyId) return { outcome: 'redaction names no customer id; nothing erased' };
  const customer = await findCustomer(tx, d.merchantId, shopifyId);
  if (!customer) return { outcome: `no customer ${shopifyId} in this shop; nothing to erase` };
  await eraseCustomer(tx, d.merchantId, customer.id);
  return { outcome: `customer ${shopifyId} redacted (${customer.id})`, after: () => invalidateCustomer(deps, d.merchantId, customer.id) };
}

/** shop/redact (48 h after uninstall): erase every customer's personal data and mark the shop redacted. */
export async function handleShopRedact(tx: Tx, deps: Deps, d: InboxDelivery): Promise<HandlerOutcome> {
  const erased = await tx.update(customers).set({ ...ERASED, updatedAt: new Date() }).where(eq(customers.merchantId, d.merchantId)).returning({ id: customers.id });
  await tx.update(orders).set({ emailNormalized: null, shopifyCustomerId: null }).where(eq(orders.merchantId, d.merchantId));
  await tx.execute(sql`update export_jobs set file_content = null where merchant_id = ${d.merchantId}`);
  await tx.update(merchants).set({ status: 'redacted', accessTokenSealed: null, updatedAt: new Date() }).where(eq(merchants.id, d.merchantId));
  return { outcome: `shop redacted: personal data of ${erased.length} customers erased`, after: () => deps.pubsub.publish(topics.merchantChanged, { shop: d.shopDomain }) };
}
