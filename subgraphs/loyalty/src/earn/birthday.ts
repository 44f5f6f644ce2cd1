/** Birthday rules, as pure functions of the input and "today" on the merchant's calendar. */

export const MIN_AGE = 13;
export const MAX_AGE = 120;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysIn = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** `YYYY-MM-DD` that names a real calendar date, or null. */
export function parseCalendarDate(text: string): CalendarDate | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const d = { year: +m[1], month: +m[2], day: +m[3] };
  if (d.year < 1 || d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysIn(d.year, d.month)) return null;
  return d;
}

export const formatCalendarDate = (d: CalendarDate) =>
  `${String(d.year).padStart(4, '0')}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

const compare = (a: CalendarDate, b: CalendarDate) => a.year - b.year || a.month - b.month || a.day - b.day;

/** Completed years between a birth date and today (a Feb 29 birthday ages on Mar 1 in common years). */
export function ageOn(birth: CalendarDate, today: CalendarDate): number {
  let age = today.year - birth.year;
  if (today.month < birth.month || (today.month === birth.month && today.day < birth.day)) age -= 1;
  return age;
}

export type BirthdayProblem = { field: 'birthday'; message: string } | null;

/** Why a birthday is refused, or null when it is acceptable. */
export function birthdayProblem(text: string, today: CalendarDate): BirthdayProblem {
  const d = parseCalendarDate(text);
  if (!d) return { field: 'birthday', message: 'birthday must be a real date written YYYY-MM-DD' };
  if (compare(d, today) > 0) return { field: 'birthday', message: 'birthday cannot be in the future' };
  const age = ageOn(d, today);
  if (age < MIN_AGE) return { field: 'birthday', message: `You must be at least ${MIN_AGE} to join the birthday reward` };
  if (age > MAX_AGE) return { field: 'birthday', message: `birthday must be within the last ${MAX_AGE} years` };
  return null;
}

/**
 * Whether `today` is the birthday of someone born on `birth`: same month and day; a 29 February
 * birthday is celebrated on 28 February in common years.
 */
export function isBirthdayOn(birth: Pick<CalendarDate, 'month' | 'day'>, today: CalendarDate): boolean {
  if (birth.month === today.month && birth.day === today.day) return true;
  return birth.month === 2 && birth.day === 29 && today.month === 2 && today.day === 28 && !isLeapYear(today.year);
}

/** The month-days whose birthday is `today` (two on 28 February of a common year). */
export function birthdaysCelebratedOn(today: CalendarDate): { month: number; day: number }[] {
  const out = [{ month: today.month, day: today.day }];
  if (today.month === 2 && today.day === 28 && !isLeapYear(today.year)) out.push({ month: 2, day: 29 });
  return out;
}

/** The earliest instant a birthday may be changed again: one calendar year after it was set. */
export function nextBirthdayChange(setAt: Date): Date {
  const next = new Date(setAt.getTime());
  next.setUTCFullYear(next.getUTCFullYear() + 1);
  // 29 Feb + 1 year rolls to 1 Mar, which is what "a year later" means for the limit.
  return next;
}
