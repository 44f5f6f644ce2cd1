/**
 * Wall-clock arithmetic in a merchant's IANA time zone, with no dependency beyond Intl.
 *
 * Local times that do not exist (the hour skipped when clocks go forward) resolve to the same
 * wall time shifted forward by the gap; local times that happen twice (clocks going back) resolve
 * to the first occurrence. This is the "compatible" rule of Temporal and of most calendars.
 */

export interface LocalDateTime {
  year: number;
  /** 1 to 12. */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

const ms = (t: Date | number): number => (typeof t === 'number' ? t : t.getTime());

/** The wall-clock reading of an instant, asked of Intl (slow: it formats and parses text). */
function toLocalIntl(t: number, timeZone: string): LocalDateTime {
  const parts = formatter(timeZone).formatToParts(new Date(t));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const era = parts.find((p) => p.type === 'era')?.value;
  const year = get('year');
  return {
    year: era === 'BC' || era === 'B' ? 1 - year : year,
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

const HOUR = 3_600_000;
/** `<zone>|<UTC hour>` → the zone's offset through that whole hour, or null if it changes within it. */
const hourOffsets = new Map<string, number | null>();

/**
 * A zone's offset is the same through almost every hour, so it is asked of Intl once per zone and
 * hour (at the hour's first and last second: equal means no transition in between) and reused; an
 * hour with a transition in it is always asked of Intl. Orders credit by the thousand per second,
 * each reading the week and month it falls in.
 */
function hourOffset(t: number, timeZone: string): number | null {
  const hour = Math.floor(t / HOUR);
  const key = `${timeZone}|${hour}`;
  let offset = hourOffsets.get(key);
  if (offset === undefined) {
    const start = hour * HOUR;
    const end = start + HOUR - 1000;
    const first = asUtc(toLocalIntl(start, timeZone)) - start;
    offset = asUtc(toLocalIntl(end, timeZone)) - end === first ? first : null;
    if (hourOffsets.size >= 10_000) hourOffsets.clear();
    hourOffsets.set(key, offset);
  }
  return offset;
}

/** The wall-clock reading of an instant in a time zone. */
export function toLocal(instant: Date | number, timeZone: string): LocalDateTime {
  const t = ms(instant);
  const offset = hourOffset(t, timeZone);
  if (offset === null) return toLocalIntl(t, timeZone);
  const wall = new Date(t + offset);
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The instant whose UTC reading is `l` (years 0–99 included, which Date.UTC would take for 1900–1999). */
const asUtc = (l: LocalDateTime): number => new Date(Date.UTC(2000, 0, 1, l.hour, l.minute, l.second)).setUTCFullYear(l.year, l.month - 1, l.day);

/** Local minus UTC, in milliseconds, at an instant (e.g. -4 h for New York in summer). */
export function offsetMs(instant: Date | number, timeZone: string): number {
  const t = Math.floor(ms(instant) / 1000) * 1000;
  return asUtc(toLocal(t, timeZone)) - t;
}

const DAY = 86_400_000;

/** The instant a wall-clock time names in a time zone (see the module note for gaps and overlaps). */
export function fromLocal(local: LocalDateTime, timeZone: string): Date {
  const wall = asUtc(local);
  const before = offsetMs(wall - DAY, timeZone);
  const after = offsetMs(wall + DAY, timeZone);
  const valid = [...new Set([before, after])]
    .map((off) => wall - off)
    .filter((t) => asUtc(toLocal(t, timeZone)) === wall)
    .sort((a, b) => a - b);
  if (valid.length) return new Date(valid[0]);
  // In the gap: read the wall time with the offset in force before the jump, which lands after it.
  return new Date(wall - before);
}

/** Normalises day/month overflow (e.g. 31 February) through the proleptic Gregorian calendar. */
function normalise(l: LocalDateTime): LocalDateTime {
  const d = new Date(asUtc(l));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
}

/** Local midnight starting the day the instant falls on. */
export function startOfLocalDay(instant: Date | number, timeZone: string): Date {
  const l = toLocal(instant, timeZone);
  return fromLocal({ ...l, hour: 0, minute: 0, second: 0 }, timeZone);
}

/** The same wall-clock time `days` calendar days later (23 or 25 hours across a DST change). */
export function addLocalDays(instant: Date | number, days: number, timeZone: string): Date {
  const l = toLocal(instant, timeZone);
  const shifted = fromLocal(normalise({ ...l, day: l.day + days }), timeZone);
  return new Date(shifted.getTime() + (ms(instant) % 1000 + 1000) % 1000);
}

/**
 * `months` calendar months later on the local calendar, clamped to the month's last day
 * (31 March − 1 month = 28/29 February). Time of day is kept.
 */
export function addLocalMonths(l: LocalDateTime, months: number): LocalDateTime {
  const index = l.year * 12 + (l.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12 + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { ...l, year, month, day: Math.min(l.day, lastDay) };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `YYYY-MM-DD` of the local date. */
export function localDateKey(instant: Date | number, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}`;
}

/** `YYYY-MM` of the local month. */
export function monthKey(instant: Date | number, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${pad(l.year, 4)}-${pad(l.month)}`;
}

/** ISO 8601 week of the local date, weeks starting on Monday: `2025-W01` (the week-year may differ from the calendar year). */
export function isoWeekKey(instant: Date | number, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const date = new Date(Date.UTC(l.year, l.month - 1, l.day));
  const weekday = (date.getUTCDay() + 6) % 7; // Monday = 0
  date.setUTCDate(date.getUTCDate() - weekday + 3); // the Thursday of this week decides the year
  const weekYear = date.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(weekYear, 0, 4));
  firstThursday.setUTCDate(firstThursday.getUTCDate() - ((firstThursday.getUTCDay() + 6) % 7) + 3);
  const week = 1 + Math.round((date.getTime() - firstThursday.getTime()) / (7 * DAY));
  return `${pad(weekYear, 4)}-W${pad(week)}`;
}

/** `YYYY-MM-DDTHH:mm:ss` wall-clock time, no offset. */
export function formatLocal(instant: Date | number, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${pad(l.year, 4)}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}`;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:mm` or `YYYY-MM-DDTHH:mm:ss` (no offset); null when malformed or not a real date. */
export function parseLocalDateTime(text: string): LocalDateTime | null {
  const m = LOCAL_RE.exec(text.trim());
  if (!m) return null;
  const l: LocalDateTime = { year: +m[1], month: +m[2], day: +m[3], hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
  if (l.month < 1 || l.month > 12 || l.hour > 23 || l.minute > 59 || l.second > 59 || l.day < 1) return null;
  if (l.day > new Date(Date.UTC(l.year, l.month, 0)).getUTCDate()) return null;
  return l;
}
