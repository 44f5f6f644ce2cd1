import { addLocalMonths, fromLocal, localDateKey, toLocal } from '@herethere/runtime/zoned-time';

const DAY_MS = 86_400_000;

/** The instant `months` calendar months before `now` on the merchant's wall clock (31 Mar − 1 month = 28/29 Feb). */
export function monthsBefore(now: Date, months: number, timeZone: string): Date {
  return fromLocal(addLocalMonths(toLocal(now, timeZone), -months), timeZone);
}

export const daysAfter = (now: Date, days: number) => new Date(now.getTime() + days * DAY_MS);

/**
 * Rolling expiry, oldest batch first. Debits (redemptions, clawbacks, earlier expiries) always
 * consume the oldest points still held, so what is left of the batches earned before the cutoff is
 * their sum minus every debit ever, never below zero, and never more than the balance.
 */
export function rollingExpiryAmount(balance: number, creditsBeforeCutoff: number, debitsEver: number): number {
  return Math.max(0, Math.min(balance, creditsBeforeCutoff - debitsEver));
}

export { localDateKey };

/** "1 Point" / "250 Points" with the program's names. */
export function pointsLabel(n: number, names: { singular: string; plural: string }): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? names.singular : names.plural}`;
}
