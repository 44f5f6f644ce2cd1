import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { devDiscountCodes, merchants, type Db } from '@herethere/db';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { unseal } from '../seal';
import { adminGraphql, AdminApiUnavailable, type AdminCallOptions, type AdminSession } from './client';

/** What a reward (or a referral's friend offer) asks Shopify to create. Money in minor units. */
export interface DiscountRequest {
  title: string;
  code: string;
  kind: 'fixed_amount' | 'percentage' | 'free_shipping' | 'free_product';
  currency: string;
  amountMinor?: number | null;
  /** Basis points, 10000 = 100 %. */
  percentageBp?: number | null;
  productVariantId?: string | null;
  minimumSubtotalMinor?: number | null;
  /** The Shopify customer (numeric id) the code is restricted to; null lets anyone use it once. */
  shopifyCustomerId?: string | null;
  startsAt: Date;
  endsAt?: Date | null;
  usageLimit: number;
  appliesOncePerCustomer: boolean;
  combinesWith: { order: boolean; product: boolean; shipping: boolean };
}

export interface CreatedDiscount {
  /** The DiscountCodeNode GID. */
  id: string;
  code: string;
}

export interface ShopifyUserErrorDetail {
  field: string[] | null;
  message: string;
  code: string | null;
}

/** Shopify answered, and refused the discount; the messages are Shopify's own. */
export class DiscountRejected extends Error {
  constructor(readonly userErrors: ShopifyUserErrorDetail[]) {
    super(userErrors.map((e) => e.message).join('; ') || 'Shopify refused the discount');
  }
}

export { AdminApiUnavailable };

export interface DiscountProvider {
  readonly name: 'shopify' | 'dev';
  create(req: DiscountRequest): Promise<CreatedDiscount>;
  findByCode(code: string): Promise<CreatedDiscount | null>;
}

// Crockford base32 without I, L, O, U: easy to read out and type at checkout.
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Prefixes of the codes this app issues: rewards (HT) and referral welcome offers (REF). */
export type DiscountCodePrefix = 'HT' | 'REF';
const ISSUED_CODE = /^(HT|REF)(-[0-9A-Z]{4}){4}$/;

/** An unguessable discount code: prefix plus 16 random base32 characters (80 bits), grouped by 4. */
export function generateDiscountCode(prefix: DiscountCodePrefix = 'HT'): string {
  const bytes = randomBytes(16);
  let out = '';
  for (let i = 0; i < 16; i++) out += CODE_ALPHABET[bytes[i] % 32];
  return `${prefix}-${out.match(/.{4}/g)!.join('-')}`;
}

/**
 * Whether a code an order applied can be one this app issued (any case): the merchant's own codes
 * (BFCM25, WELCOME10) cannot, so an order carrying only those needs no look-up of our rewards and
 * referrals.
 */
export const isIssuedDiscountCode = (code: string): boolean => ISSUED_CODE.test(code.trim().toUpperCase());

const exponents = new Map<string, number>();

/** Decimal places of a currency's minor unit (JPY 0, USD 2, KWD 3). */
export function currencyExponent(currency: string): number {
  let exp = exponents.get(currency);
  if (exp === undefined) {
    try {
      exp = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      exp = 2;
    }
    exponents.set(currency, exp);
  }
  return exp;
}

/** Minor units to Shopify's Decimal string, without floats: 1234 USD → "12.34". */
export function minorToDecimal(minor: number, currency: string): string {
  const exp = currencyExponent(currency);
  if (exp === 0) return String(minor);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exp + 1, '0');
  return `${sign}${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
}

const customerGid = (id: string) => `gid://shopify/Customer/${id}`;
const variantGid = (id: string) => (id.startsWith('gid://') ? id : `gid://shopify/ProductVariant/${id}`);

/** The mutation and its variables for a request, exactly as the Admin API (2025-07) takes them. */
export function discountMutation(req: DiscountRequest): { mutation: 'discountCodeBasicCreate' | 'discountCodeFreeShippingCreate'; query: string; variables: Record<string, unknown> } {
  const common = {
    title: req.title,
    code: req.code,
    startsAt: req.startsAt.toISOString(),
    endsAt: req.endsAt ? req.endsAt.toISOString() : null,
    customerSelection: req.shopifyCustomerId ? { customers: { add: [customerGid(req.shopifyCustomerId)] } } : { all: true },
    minimumRequirement: req.minimumSubtotalMinor
      ? { subtotal: { greaterThanOrEqualToSubtotal: minorToDecimal(req.minimumSubtotalMinor, req.currency) } }
      : null,
    usageLimit: req.usageLimit,
    appliesOncePerCustomer: req.appliesOncePerCustomer,
    combinesWith: { orderDiscounts: req.combinesWith.order, productDiscounts: req.combinesWith.product, shippingDiscounts: req.combinesWith.shipping },
  };
  if (req.kind === 'free_shipping') {
    return {
      mutation: 'discountCodeFreeShippingCreate',
      query: `mutation discountCodeFreeShippingCreate($freeShippingCodeDiscount: DiscountCodeFreeShippingInput!) {
  discountCodeFreeShippingCreate(freeShippingCodeDiscount: $freeShippingCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field message code }
  }
}`,
      variables: { freeShippingCodeDiscount: { ...common, destination: { all: true } } },
    };
  }
  let customerGets: Record<string, unknown>;
  switch (req.kind) {
    case 'fixed_amount':
      customerGets = { value: { discountAmount: { amount: minorToDecimal(req.amountMinor ?? 0, req.currency), appliesOnEachItem: false } }, items: { all: true } };
      break;
    case 'percentage':
      customerGets = { value: { percentage: (req.percentageBp ?? 0) / 10_000 }, items: { all: true } };
      break;
    case 'free_product': {
      const items = { products: { productVariantsToAdd: [variantGid(req.productVariantId ?? '')] } };
      // With the variant's price known, one unit is free; otherwise the variant is 100 % off.
      customerGets = req.amountMinor
        ? { value: { discountAmount: { amount: minorToDecimal(req.amountMinor, req.currency), appliesOnEachItem: false } }, items }
        : { value: { percentage: 1 }, items };
      break;
    }
  }
  return {
    mutation: 'discountCodeBasicCreate',
    query: `mutation discountCodeBasicCreate($basicCodeDiscount: DiscountCodeBasicInput!) {
  discountCodeBasicCreate(basicCodeDiscount: $basicCodeDiscount) {
    codeDiscountNode { id }
    userErrors { field message code }
  }
}`,
    variables: { basicCodeDiscount: { ...common, customerGets } },
  };
}

const LOOKUP = `query codeDiscountNodeByCode($code: String!) {
  codeDiscountNodeByCode(code: $code) { id }
}`;

type CreatePayload = { codeDiscountNode: { id: string } | null; userErrors: ShopifyUserErrorDetail[] };

/** The real Admin API, for a shop with an offline access token. */
export function shopifyDiscountProvider(config: Config, session: AdminSession, opts: AdminCallOptions = {}): DiscountProvider {
  const findByCode = async (code: string): Promise<CreatedDiscount | null> => {
    const { data } = await adminGraphql<{ codeDiscountNodeByCode: { id: string } | null }>(config, session, LOOKUP, { code }, opts);
    return data.codeDiscountNodeByCode ? { id: data.codeDiscountNodeByCode.id, code } : null;
  };
  return {
    name: 'shopify',
    findByCode,
    async create(req) {
      const m = discountMutation(req);
      let payload: CreatePayload;
      try {
        const { data } = await adminGraphql<Record<string, CreatePayload>>(config, session, m.query, m.variables, opts);
        payload = data[m.mutation];
      } catch (err) {
        // A timed-out attempt may still have created the discount: ask before giving up.
        if (err instanceof AdminApiUnavailable && (err.reason === 'timeout' || err.reason === 'server_error' || err.reason === 'network')) {
          const existing = await findByCode(req.code).catch(() => null);
          if (existing) return existing;
        }
        throw err;
      }
      if (payload.codeDiscountNode && payload.userErrors.length === 0) return { id: payload.codeDiscountNode.id, code: req.code };
      // An earlier attempt that timed out may have created it after all: the code is ours alone.
      if (payload.userErrors.some((e) => e.code === 'TAKEN' && (e.field ?? []).includes('code'))) {
        const existing = await findByCode(req.code);
        if (existing) return existing;
      }
      throw new DiscountRejected(payload.userErrors);
    },
  };
}

/**
 * Embedded mode without an Admin API token: records what it would have created in
 * dev_discount_codes (so the demo shows it and reconciliation can look it up).
 */
export function devDiscountProvider(db: Db, merchantId: string, log?: Logger): DiscountProvider {
  const findByCode = async (code: string): Promise<CreatedDiscount | null> => {
    const [row] = await db.select({ id: devDiscountCodes.id, code: devDiscountCodes.code }).from(devDiscountCodes)
      .where(and(eq(devDiscountCodes.merchantId, merchantId), eq(devDiscountCodes.code, code)));
    return row ?? null;
  };
  return {
    name: 'dev',
    findByCode,
    async create(req) {
      const m = discountMutation(req);
      const id = `gid://shopify/DiscountCodeNode/dev-${randomBytes(8).toString('hex')}`;
      const [row] = await db.insert(devDiscountCodes).values({ merchantId, id, code: req.code, mutation: m.mutation, input: m.variables })
        .onConflictDoNothing().returning({ id: devDiscountCodes.id });
      log?.info('dev discount recorded (no Shopify access token)', { merchantId, mutation: m.mutation, code: req.code });
      return row ? { id: row.id, code: req.code } : (await findByCode(req.code))!;
    },
  };
}

function missingTokenProvider(shop: string): DiscountProvider {
  const refuse = async (): Promise<never> => {
    throw new AdminApiUnavailable(`${shop} has not granted Admin API access (no offline token)`, 'unauthorized', 0);
  };
  return { name: 'shopify', create: refuse, findByCode: refuse };
}

/**
 * The discount provider for a merchant: the Admin API when the shop has an offline token
 * (sealed in merchants.access_token_sealed), otherwise the recording provider.
 */
export async function discountProviderFor(deps: { config: Config; db: { db: Db }; log?: Logger }, merchantId: string, opts: AdminCallOptions = {}): Promise<DiscountProvider> {
  const [m] = await deps.db.db.select({ shopDomain: merchants.shopDomain, accessTokenSealed: merchants.accessTokenSealed }).from(merchants).where(eq(merchants.id, merchantId));
  if (!m) throw new Error(`merchant ${merchantId} not found`);
  return discountProviderForMerchant(deps, { id: merchantId, ...m }, opts);
}

/** The same choice, for a caller that already read the merchant row. */
export function discountProviderForMerchant(deps: { config: Config; db: { db: Db }; log?: Logger }, m: { id: string; shopDomain: string; accessTokenSealed: string | null }, opts: AdminCallOptions = {}): DiscountProvider {
  if (!m.accessTokenSealed) {
    // A production shop without a token must not get codes that do not exist in Shopify.
    if (deps.config.mode === 'production' && deps.config.nodeEnv === 'production') return missingTokenProvider(m.shopDomain);
    return devDiscountProvider(deps.db.db, m.id, deps.log);
  }
  return shopifyDiscountProvider(deps.config, { shop: m.shopDomain, accessToken: unseal(deps.config.encryptionKey, m.accessTokenSealed) }, opts);
}
