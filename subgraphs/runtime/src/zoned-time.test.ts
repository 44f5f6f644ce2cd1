import { describe, expect, it } from 'vitest';
import { addLocalDays, addLocalMonths, formatLocal, fromLocal, isoWeekKey, isValidTimeZone, localDateKey, monthKey, offsetMs, parseLocalDateTime, startOfLocalDay, toLocal } from './zoned-time';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);
const local = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({ year, month, day, hour, minute, second });

describe('wall-clock conversions', () => {
  it('reads an instant in a zone and back', () => {
    expect(toLocal(at('2025-07-04T16:30:00Z'), NY)).toEqual(local(2025, 7, 4, 12, 30));
    expect(fromLocal(local(2025, 7, 4, 12, 30), NY).toISOString()).toBe('2025-07-04T16:30:00.000Z');
    expect(fromLocal(local(2025, 1, 15, 9), 'Asia/Kolkata').toISOString()).toBe('2025-01-15T03:30:00.000Z');
    expect(offsetMs(at('2025-01-15T00:00:00Z'), NY)).toBe(-5 * 3_600_000);
    expect(offsetMs(at('2025-07-15T00:00:00Z'), NY)).toBe(-4 * 3_600_000);
  });

  it('moves a time skipped by the spring-forward jump to after the gap', () => {
    // 2025-03-09 02:30 does not exist in New York: clocks go from 02:00 EST to 03:00 EDT.
    const t = fromLocal(local(2025, 3, 9, 2, 30), NY);
    expect(t.toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(formatLocal(t, NY)).toBe('2025-03-09T03:30:00');
  });

  it('reads a time repeated by the fall-back change as its first occurrence', () => {
    // 2025-11-02 01:30 happens twice in New York (EDT, then EST): the first is 05:30Z.
    expect(fromLocal(local(2025, 11, 2, 1, 30), NY).toISOString()).toBe('2025-11-02T05:30:00.000Z');
  });

  it('starts a local day at midnight, or at the first instant after a midnight DST gap', () => {
    expect(startOfLocalDay(at('2025-03-09T15:00:00Z'), NY).toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(startOfLocalDay(at('2025-11-02T15:00:00Z'), NY).toISOString()).toBe('2025-11-02T04:00:00.000Z');
    // Chile moves its clocks forward at midnight: 2024-09-08 begins at 01:00 local.
    const santiago = startOfLocalDay(at('2024-09-08T18:00:00Z'), 'America/Santiago');
    expect(toLocal(santiago, 'America/Santiago')).toEqual(local(2024, 9, 8, 1));
    expect(santiago.getTime()).toBeLessThan(at('2024-09-08T18:00:00Z').getTime());
  });

  it('adds calendar days keeping the wall-clock time: 23 or 25 hours across a DST change', () => {
    const before = at('2025-03-08T17:00:00Z'); // 12:00 EST
    const after = addLocalDays(before, 1, NY);
    expect(formatLocal(after, NY)).toBe('2025-03-09T12:00:00');
    expect(after.getTime() - before.getTime()).toBe(23 * 3_600_000);
    const autumn = at('2025-11-01T16:00:00Z'); // 12:00 EDT
    expect(addLocalDays(autumn, 1, NY).getTime() - autumn.getTime()).toBe(25 * 3_600_000);
    expect(addLocalDays(at('2025-01-31T12:00:00.250Z'), 30, 'UTC').toISOString()).toBe('2025-03-02T12:00:00.250Z');
  });

  it('adds months on the local calendar, clamping to the month’s last day', () => {
    expect(addLocalMonths(local(2025, 3, 31), -1)).toEqual(local(2025, 2, 28));
    expect(addLocalMonths(local(2024, 3, 31), -1)).toEqual(local(2024, 2, 29));
    expect(addLocalMonths(local(2025, 1, 15), -12)).toEqual(local(2024, 1, 15));
    expect(addLocalMonths(local(2025, 12, 1), 1)).toEqual(local(2026, 1, 1));
  });
  it('reads the same wall clock as Intl itself at every step across DST changes, half-hour zones and odd historic offsets', () => {
    const intl = (t: number, timeZone: string) => {
      const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
        .formatToParts(new Date(t)).map((p) => [p.type, Number(p.value)]));
      return local(parts.year, parts.month, parts.day, parts.hour % 24, parts.minute, parts.second);
    };
    const zones = [NY, 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/St_Johns', 'UTC'];
    // Around both 2025 changes in each hemisphere, every 7 min 13 s (so every minute of the hour comes up)…
    const windows = ['2025-03-08T00:00:00Z', '2025-03-30T00:00:00Z', '2025-04-05T00:00:00Z', '2025-10-04T00:00:00Z', '2025-10-26T00:00:00Z', '2025-11-01T00:00:00Z'];
    for (const timeZone of zones) {
      for (const w of windows) {
        for (let t = Date.parse(w); t < Date.parse(w) + 3 * 86_400_000; t += 433_000) expect(toLocal(t, timeZone), `${timeZone} ${new Date(t).toISOString()}`).toEqual(intl(t, timeZone));
      }
    }
    // …and New York's switch from local mean time (-4:56:02) in 1883, which is not on a whole minute.
    for (let t = Date.parse('1883-11-18T16:00:00Z'); t < Date.parse('1883-11-18T18:00:00Z'); t += 1000) expect(toLocal(t, NY)).toEqual(intl(t, NY));
  });
});

describe('period keys', () => {
  it('names ISO weeks (Monday first), where the week-year may differ from the calendar year', () => {
    expect(isoWeekKey(at('2024-12-30T12:00:00Z'), 'UTC')).toBe('2025-W01');
    expect(isoWeekKey(at('2021-01-03T12:00:00Z'), 'UTC')).toBe('2020-W53');
    expect(isoWeekKey(at('2025-06-15T12:00:00Z'), 'UTC')).toBe('2025-W24');
  });

  it('keys by the merchant’s local date, not UTC', () => {
    // Sunday 23:30 UTC is already Monday in Tokyo: a new week and, on the 31st, a new month.
    expect(isoWeekKey(at('2025-01-05T23:30:00Z'), 'UTC')).toBe('2025-W01');
    expect(isoWeekKey(at('2025-01-05T23:30:00Z'), 'Asia/Tokyo')).toBe('2025-W02');
    expect(monthKey(at('2025-01-31T23:00:00Z'), 'Asia/Tokyo')).toBe('2025-02');
    expect(monthKey(at('2025-02-01T03:00:00Z'), NY)).toBe('2025-01');
    expect(localDateKey(at('2025-02-01T03:00:00Z'), NY)).toBe('2025-01-31');
  });
});

describe('parsing', () => {
  it('accepts dates and wall-clock times and refuses impossible ones', () => {
    expect(parseLocalDateTime('2025-11-28T00:00')).toEqual(local(2025, 11, 28));
    expect(parseLocalDateTime('2025-11-28 18:30:15')).toEqual(local(2025, 11, 28, 18, 30, 15));
    expect(parseLocalDateTime('2024-02-29')).toEqual(local(2024, 2, 29));
    expect(parseLocalDateTime('2025-02-29')).toBeNull();
    expect(parseLocalDateTime('2025-13-01')).toBeNull();
    expect(parseLocalDateTime('2025-11-28T24:00')).toBeNull();
    expect(parseLocalDateTime('next friday')).toBeNull();
  });

  it('knows IANA zones', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
