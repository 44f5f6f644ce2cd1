import { AmountError, toMinor } from '../earning/money';

/** The parts of Shopify's order webhook payload loyalty relies on. Amounts are taken in shop money. */
interface MoneySet {
  shop_money?: { amount?: unknown; currency_code?: unknown };
}

interface RawLineItem {
  id?: unknown;
  product_id?: unknown;
  quantity?: unknown;
  gift_card?: unknown;
  price_set?: MoneySet;
  total_discount_set?: MoneySet;
  discount_allocations?: { amount_set?: MoneySet }[];
}

export interface RawOrder {
  id?: unknown;
  name?: unknown;
  email?: unknown;
  currency?: unknown;
  taxes_included?: unknown;
  processed_at?: unknown;
  created_at?: unknown;
  financial_status?: unknown;
  customer?: { id?: unknown; email?: unknown; first_name?: unknown; last_name?: unknown; phone?: unknown } | null;
  subtotal_price_set?: MoneySet;
  total_price_set?: MoneySet;
  total_tax_set?: MoneySet;
  total_tip_received?: unknown;
  line_items?: RawLineItem[];
  discount_codes?: { code?: unknown }[];
  note_attributes?: { name?: unknown; value?: unknown }[];
  shipping_address?: Record<string, unknown> | null;
  browser_ip?: unknown;
}

export interface ParsedOrder {
  orderId: string;
  orderName: string | null;
  currency: string;
  totalMinor: number;
  /** Subtotal after discounts, without shipping, tax, tips or gift-card lines. */
  subtotalBaseMinor: number;
  /** Total without tips (the `total` earning base). */
  totalBaseMinor: number;
  shopifyCustomerId: string | null;
  email: string | null;
  customer: { firstName: string | null; lastName: string | null; phone: string | null } | null;
  productIds: string[];
  discountCodes: string[];
  referralCode: string | null;
  processedAt: Date;
  shippingAddress: Record<string, unknown> | null;
  browserIp: string | null;
}

export class PayloadError extends Error {}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);
const id = (v: unknown): string | null => (typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? String(v) : typeof v === 'string' && /^\d{1,20}$/.test(v) ? v : null);

/**
 * Validates and reduces an order payload. Every amount comes from `*_set.shop_money` so a
 * presentment currency different from the shop's never inflates points.
 */
export function parseOrder(raw: RawOrder, shopCurrency: string): ParsedOrder {
  const orderId = id(raw.id);
  if (!orderId) throw new PayloadError('order id is missing or not numeric');
  const money = (set: MoneySet | undefined, field: string, required = true): number => {
    const amount = set?.shop_money?.amount;
    if (amount === undefined || amount === null) {
      if (required) throw new PayloadError(`${field}.shop_money.amount is missing`);
      return 0;
    }
    const code = set?.shop_money?.currency_code;
    if (code !== undefined && code !== shopCurrency) throw new PayloadError(`${field}.shop_money is in ${String(code)}, not the shop currency ${shopCurrency}`);
    try {
      return toMinor(amount, shopCurrency, field);
    } catch (err) {
      throw new PayloadError((err as AmountError).message);
    }
  };
  const subtotal = money(raw.subtotal_price_set, 'subtotal_price_set');
  const total = money(raw.total_price_set, 'total_price_set');
  const tax = money(raw.total_tax_set, 'total_tax_set', false);
  let tips = 0;
  if (raw.total_tip_received !== undefined && raw.total_tip_received !== null) {
    try {
      tips = toMinor(raw.total_tip_received, shopCurrency, 'total_tip_received');
    } catch (err) {
      throw new PayloadError((err as AmountError).message);
    }
  }
  let giftCards = 0;
  const productIds = new Set<string>();
  for (const [i, li] of (raw.line_items ?? []).entries()) {
    const qty = li.quantity;
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 0) throw new PayloadError(`line_items[${i}].quantity must be a non-negative integer`);
    const price = money(li.price_set, `line_items[${i}].price_set`);
    const discounts = (li.discount_allocations ?? []).reduce((sum, d, j) => sum + money(d.amount_set, `line_items[${i}].discount_allocations[${j}].amount_set`), 0);
    if (li.gift_card === true) giftCards += Math.max(0, price * qty - discounts);
    const pid = id(li.product_id);
    if (pid) productIds.add(`gid://shopify/Product/${pid}`);
  }
  const taxIncluded = raw.taxes_included === true ? tax : 0;
  const email = str(raw.customer?.email) ?? str(raw.email);
  const attr = (raw.note_attributes ?? []).find((a) => a.name === 'herethere_referral' || a.name === 'referral_code');
  const processed = new Date(String(raw.processed_at ?? raw.created_at ?? ''));
  return {
    orderId,
    orderName: str(raw.name),
    currency: shopCurrency,
    totalMinor: total,
    subtotalBaseMinor: Math.max(0, subtotal - taxIncluded - giftCards),
    totalBaseMinor: Math.max(0, total - tips - giftCards),
    shopifyCustomerId: raw.customer ? id(raw.customer.id) : null,
    email: email ? email.toLowerCase() : null,
    customer: raw.customer ? { firstName: str(raw.customer.first_name), lastName: str(raw.customer.last_name), phone: str(raw.customer.phone) } : null,
    productIds: [...productIds],
    discountCodes: (raw.discount_codes ?? []).map((d) => str(d.code)).filter((c): c is string => Boolean(c)),
    referralCode: attr ? str(attr.value) : null,
    processedAt: Number.isNaN(processed.getTime()) ? new Date() : processed,
    shippingAddress: raw.shipping_address ?? null,
    browserIp: str(raw.browser_ip),
  };
}

export interface RawRefund {
  id?: unknown;
  order_id?: unknown;
  refund_line_items?: { quantity?: unknown; subtotal_set?: MoneySet; line_item?: { gift_card?: unknown } }[];
}

export interface ParsedRefund {
  refundId: string;
  orderId: string;
  /** Refunded earning base: refunded line subtotals, gift-card lines excluded. */
  refundedBaseMinor: number;
}

export function parseRefund(raw: RawRefund, shopCurrency: string): ParsedRefund {
  const refundId = id(raw.id);
  const orderId = id(raw.order_id);
  if (!refundId) throw new PayloadError('refund id is missing or not numeric');
  if (!orderId) throw new PayloadError('refund order_id is missing or not numeric');
  let base = 0;
  for (const [i, rli] of (raw.refund_line_items ?? []).entries()) {
    if (rli.line_item?.gift_card === true) continue;
    const amount = rli.subtotal_set?.shop_money?.amount;
    if (amount === undefined) throw new PayloadError(`refund_line_items[${i}].subtotal_set.shop_money.amount is missing`);
    const code = rli.subtotal_set?.shop_money?.currency_code;
    if (code !== undefined && code !== shopCurrency) throw new PayloadError(`refund_line_items[${i}].subtotal_set.shop_money is in ${String(code)}, not ${shopCurrency}`);
    try {
      base += toMinor(amount, shopCurrency, `refund_line_items[${i}].subtotal_set`);
    } catch (err) {
      throw new PayloadError((err as AmountError).message);
    }
  }
  return { refundId, orderId, refundedBaseMinor: base };
}
