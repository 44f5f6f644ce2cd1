import { describe, expect, it } from 'vitest';
import { ageOn, birthdayProblem, birthdaysCelebratedOn, isBirthdayOn, nextBirthdayChange, parseCalendarDate } from './birthday';
import { celebratedToday } from '../schedule/birthday';

const today = { year: 2025, month: 6, day: 15 };

describe('birthday validation', () => {
  it('accepts a real date with age 13 to 120', () => {
    expect(birthdayProblem('1990-01-31', today)).toBeNull();
    expect(birthdayProblem('2012-06-15', today)).toBeNull(); // 13 today
    expect(birthdayProblem('1905-06-15', today)).toBeNull(); // 120 today
  });

  it('refuses malformed and impossible dates', () => {
    for (const bad of ['', '1990-1-5', '05/01/1990', '1990-13-01', '1990-02-30', '1990-00-10', '1990-01-00', '2023-02-29', '1990-01-01T00:00:00Z', ' 1990-01-01x']) {
      expect(birthdayProblem(bad, today)?.message, bad).toMatch(/real date written YYYY-MM-DD/);
    }
    expect(parseCalendarDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
  });

  it('refuses the future, the under-13s and more than 120 years', () => {
    expect(birthdayProblem('2025-06-16', today)?.message).toMatch(/future/);
    expect(birthdayProblem('2012-06-16', today)?.message).toMatch(/at least 13/); // 13 tomorrow
    expect(birthdayProblem('1904-06-15', today)?.message).toMatch(/last 120 years/); // 121 today
    expect(birthdayProblem('1904-06-16', today)).toBeNull(); // still 120 until tomorrow
  });

  it('counts completed years, a 29 February birthday ageing on 1 March in common years', () => {
    expect(ageOn({ year: 2000, month: 6, day: 15 }, today)).toBe(25);
    expect(ageOn({ year: 2000, month: 6, day: 16 }, today)).toBe(24);
    expect(ageOn({ year: 2012, month: 2, day: 29 }, { year: 2025, month: 2, day: 28 })).toBe(12);
    expect(ageOn({ year: 2012, month: 2, day: 29 }, { year: 2025, month: 3, day: 1 })).toBe(13);
  });

  it('allows a change one calendar year after the last', () => {
    expect(nextBirthdayChange(new Date('2025-03-10T12:00:00Z')).toISOString()).toBe('2026-03-10T12:00:00.000Z');
    expect(nextBirthdayChange(new Date('2024-02-29T08:00:00Z')).toISOString()).toBe('2025-03-01T08:00:00.000Z');
  });
});

describe('whose birthday is today', () => {
  it('matches month and day, and 29 February on 28 February in common years only', () => {
    expect(isBirthdayOn({ month: 6, day: 15 }, today)).toBe(true);
    expect(isBirthdayOn({ month: 6, day: 14 }, today)).toBe(false);
    expect(isBirthdayOn({ month: 2, day: 29 }, { year: 2025, month: 2, day: 28 })).toBe(true);
    expect(isBirthdayOn({ month: 2, day: 29 }, { year: 2024, month: 2, day: 28 })).toBe(false);
    expect(isBirthdayOn({ month: 2, day: 29 }, { year: 2024, month: 2, day: 29 })).toBe(true);
    expect(isBirthdayOn({ month: 2, day: 29 }, { year: 2025, month: 3, day: 1 })).toBe(false);
    expect(isBirthdayOn({ month: 2, day: 29 }, { year: 2100, month: 2, day: 28 })).toBe(true); // 2100 is not a leap year
    expect(birthdaysCelebratedOn({ year: 2025, month: 2, day: 28 })).toEqual([{ month: 2, day: 28 }, { month: 2, day: 29 }]);
    expect(birthdaysCelebratedOn({ year: 2000, month: 2, day: 28 })).toEqual([{ month: 2, day: 28 }]);
  });

  it('uses the shop’s calendar around local midnight', () => {
    // 23:59:59 on 14 June in New York (UTC-4 in summer) is already 15 June in UTC.
    expect(celebratedToday(new Date('2025-06-15T03:59:59Z'), 'America/New_York').date).toBe('2025-06-14');
    expect(celebratedToday(new Date('2025-06-15T04:00:00Z'), 'America/New_York').date).toBe('2025-06-15');
    expect(celebratedToday(new Date('2025-06-15T03:59:59Z'), 'UTC').date).toBe('2025-06-15');
    // Half-hour and far-east offsets: Kolkata is UTC+5:30, Kiritimati UTC+14, Pago Pago UTC-11.
    expect(celebratedToday(new Date('2025-06-14T18:29:59Z'), 'Asia/Kolkata').date).toBe('2025-06-14');
    expect(celebratedToday(new Date('2025-06-14T18:30:00Z'), 'Asia/Kolkata').date).toBe('2025-06-15');
    expect(celebratedToday(new Date('2025-06-14T10:00:00Z'), 'Pacific/Kiritimati').date).toBe('2025-06-15');
    expect(celebratedToday(new Date('2025-06-15T10:59:59Z'), 'Pacific/Pago_Pago').date).toBe('2025-06-14');
    expect(celebratedToday(new Date('2025-06-15T11:00:00Z'), 'Pacific/Pago_Pago').date).toBe('2025-06-15');
  });

  it('follows daylight saving changes on both sides of midnight', () => {
    // Los Angeles springs forward on 9 March 2025 (PST UTC-8 → PDT UTC-7).
    expect(celebratedToday(new Date('2025-03-09T07:59:59Z'), 'America/Los_Angeles').date).toBe('2025-03-08'); // 23:59:59 PST
    expect(celebratedToday(new Date('2025-03-09T08:00:00Z'), 'America/Los_Angeles').date).toBe('2025-03-09'); // 00:00 PST
    expect(celebratedToday(new Date('2025-03-10T06:59:59Z'), 'America/Los_Angeles').date).toBe('2025-03-09'); // 23:59:59 PDT
    expect(celebratedToday(new Date('2025-03-10T07:00:00Z'), 'America/Los_Angeles').date).toBe('2025-03-10'); // 00:00 PDT
    // Auckland falls back on 6 April 2025 (NZDT UTC+13 → NZST UTC+12).
    expect(celebratedToday(new Date('2025-04-05T10:59:59Z'), 'Pacific/Auckland').date).toBe('2025-04-05');
    expect(celebratedToday(new Date('2025-04-05T11:00:00Z'), 'Pacific/Auckland').date).toBe('2025-04-06');
    expect(celebratedToday(new Date('2025-04-06T11:59:59Z'), 'Pacific/Auckland').date).toBe('2025-04-06'); // 23:59:59 NZST
    expect(celebratedToday(new Date('2025-04-06T12:00:00Z'), 'Pacific/Auckland').date).toBe('2025-04-07');
  });

  it('gives 29 February birthdays their day on the shop’s 28 February in a common year', () => {
    const t = celebratedToday(new Date('2025-02-28T11:00:00Z'), 'Pacific/Auckland'); // 00:00 on 1 March in Auckland (UTC+13)
    expect(t.date).toBe('2025-03-01');
    expect(t.birthdays).toEqual([{ month: 3, day: 1 }]);
    const ny = celebratedToday(new Date('2025-03-01T04:59:59Z'), 'America/New_York'); // still 28 Feb in New York
    expect(ny.date).toBe('2025-02-28');
    expect(ny.birthdays).toEqual([{ month: 2, day: 28 }, { month: 2, day: 29 }]);
    expect(celebratedToday(new Date('2024-02-28T12:00:00Z'), 'UTC').birthdays).toEqual([{ month: 2, day: 28 }]);
    expect(celebratedToday(new Date('2024-02-29T12:00:00Z'), 'UTC').birthdays).toEqual([{ month: 2, day: 29 }]);
  });
});
