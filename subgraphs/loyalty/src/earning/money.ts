/** Decimal amounts in Shopify payloads ("12.50") to integer minor units, exactly, per currency. */
const exponents = new Map<string, number>();

export function currencyExponent(currency: string): number {
  let e = exponents.get(currency);
  if (e === undefined) {
    e = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, e);
  }
  return e;
}

export class AmountError extends Error {}

/** "12.5" in USD → 1250. Rejects negatives, non-numbers and more precision than the currency has. */
export function toMinor(raw: unknown, currency: string, field: string): number {
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (typeof text !== 'string' || !/^\d{1,15}(\.\d+)?$/.test(text.trim())) {
    throw new AmountError(`${field} must be a non-negative decimal amount (got ${JSON.stringify(raw)})`);
  }
  const [whole, frac = ''] = text.trim().split('.');
  const exp = currencyExponent(currency);
  if (frac.replace(/0+$/, '').length > exp) throw new AmountError(`${field} has more decimals than ${currency} allows`);
  return Number(whole) * 10 ** exp + Number((frac + '0'.repeat(exp)).slice(0, exp) || '0');
}
