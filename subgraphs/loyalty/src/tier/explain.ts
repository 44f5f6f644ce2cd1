import { currencyExponent } from '../earning/money';

/** Turns a tier_changes row (reason + details) into a sentence a merchant or customer can read. */

export interface ChangeFacts {
  reason: string;
  actor: string;
  details: Record<string, unknown>;
}

function amount(measure: unknown, value: unknown, currency: string): string {
  const n = Number(value ?? 0);
  if (measure === 'money_spent') {
    const exp = currencyExponent(currency);
    return new Intl.NumberFormat('en', { style: 'currency', currency, minimumFractionDigits: exp, maximumFractionDigits: exp }).format(n / 10 ** exp);
  }
  if (measure === 'order_count') return `${n} order${n === 1 ? '' : 's'}`;
  return `${n} point${n === 1 ? '' : 's'}`;
}

const day = (iso: unknown) => (typeof iso === 'string' ? iso.slice(0, 10) : 'an unknown date');

function counted(d: Record<string, unknown>, currency: string): string {
  const verb = d.measure === 'money_spent' ? 'spent' : d.measure === 'order_count' ? 'placed' : 'earned';
  const span = d.window === 'rolling_12_months' ? ` in the 12 months from ${day(d.windowStart)}`
    : d.window === 'calendar_year' ? ` this calendar year (from ${day(d.windowStart)})` : ' in total';
  return `${verb} ${amount(d.measure, d.value, currency)}${span}`;
}

export function explainTierChange(c: ChangeFacts, currency: string): string {
  const d = c.details ?? {};
  const from = (d.fromName as string | null) ?? (d.fromName === null ? 'no tier' : 'a removed tier');
  const to = (d.toName as string | null) ?? 'no tier';
  const threshold = (key: string) => amount(d.measure, d[key], currency);
  switch (c.reason) {
    case 'qualified':
      return `Moved up to ${to}: ${counted(d, currency)}, reaching the ${to} threshold of ${threshold('qualifiedThreshold')}.`;
    case 'retention_expired':
      return `Moved down from ${from} to ${to}: stopped qualifying for ${from} (needs ${threshold('heldThreshold')}) on ${day(d.belowSince)} — ${counted(d, currency)} — and the ${d.retentionDays}-day retention ended on ${day(d.retainedUntil)}.`;
    case 'no_longer_qualified':
      return `Moved down from ${from} to ${to}: ${counted(d, currency)}, below the ${from} threshold of ${threshold('heldThreshold')}; ${from} has no retention period.`;
    case 'tier_removed':
      return `${from === 'a removed tier' ? 'The tier held' : from} is no longer in the program; moved to ${to}, which the customer qualifies for (${counted(d, currency)}).`;
    case 'override':
      return `Set to ${to} by ${d.by ?? c.actor}${d.until ? ` until ${day(d.until)}` : ''}: ${d.note ?? 'manual override'}.`;
    case 'override_expired':
      return `The override ended on ${day(d.overrideUntil)}; moved to ${to}, which the customer qualifies for (${counted(d, currency)}).`;
    case 'override_cleared':
      return `Override removed by ${d.by ?? c.actor}: ${d.note ?? 'no reason given'}; moved to ${to} (${counted(d, currency)}).`;
    default:
      return `Moved from ${from} to ${to}.`;
  }
}
