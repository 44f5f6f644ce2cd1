import { describe, expect, it } from 'vitest';
import { applySettingsPatch, hasAtMostTwoDecimals, type SettingsState } from './validate';

const current: SettingsState = {
  enabled: true,
  pointsCurrencySingular: 'Point',
  pointsCurrencyPlural: 'Points',
  earning: { pointsPerCurrencyUnit: 1, base: 'subtotal_after_discounts', rounding: 'floor', signupPoints: 200, reviewPoints: 100, birthdayPoints: 200, approvalDays: 0 },
  expiry: { kind: 'none' },
};

const fieldsOf = (r: ReturnType<typeof applySettingsPatch>) => r.errors.map((e) => e.field?.join('.'));

describe('program settings validation', () => {
  it('merges a partial earning patch and keeps every other field', () => {
    const r = applySettingsPatch(current, { earning: { pointsPerCurrencyUnit: 2.5, rounding: 'round' } });
    expect(r.errors).toEqual([]);
    expect(r.next!.earning).toEqual({ ...current.earning, pointsPerCurrencyUnit: 2.5, rounding: 'round' });
    expect(r.next!.expiry).toEqual({ kind: 'none' });
    expect(current.earning.pointsPerCurrencyUnit).toBe(1); // the input is not mutated
  });

  it('accepts two decimals and refuses three', () => {
    expect(hasAtMostTwoDecimals(0.25)).toBe(true);
    expect(hasAtMostTwoDecimals(1.1)).toBe(true);
    expect(hasAtMostTwoDecimals(0.29)).toBe(true); // 0.29 * 100 = 28.999999999999996
    expect(hasAtMostTwoDecimals(0.125)).toBe(false);
    expect(applySettingsPatch(current, { earning: { pointsPerCurrencyUnit: 0.29 } }).next!.earning.pointsPerCurrencyUnit).toBe(0.29);
    const r = applySettingsPatch(current, { earning: { pointsPerCurrencyUnit: 0.125 } });
    expect(r.next).toBeUndefined();
    expect(r.errors[0].message).toMatch(/at most two decimals/);
  });

  it('reports one error per bad field, with its path, and returns no settings', () => {
    const r = applySettingsPatch(current, {
      pointsCurrencySingular: '   ',
      pointsCurrencyPlural: 'x'.repeat(41),
      earning: { pointsPerCurrencyUnit: -1, signupPoints: 1_000_001, reviewPoints: -5, birthdayPoints: 1.5, approvalDays: 366 },
      expiry: { kind: 'rolling', months: 0, reminderDays: 91 },
    });
    expect(r.next).toBeUndefined();
    expect(fieldsOf(r)).toEqual([
      'input.pointsCurrencySingular',
      'input.pointsCurrencyPlural',
      'input.earning.pointsPerCurrencyUnit',
      'input.earning.signupPoints',
      'input.earning.reviewPoints',
      'input.earning.birthdayPoints',
      'input.earning.approvalDays',
      'input.expiry.months',
      'input.expiry.reminderDays',
    ]);
    expect(r.errors.every((e) => e.code === 'INVALID')).toBe(true);
  });

  it('accepts the bounds exactly', () => {
    const r = applySettingsPatch(current, {
      earning: { pointsPerCurrencyUnit: 0, signupPoints: 1_000_000, reviewPoints: 0, birthdayPoints: 0, approvalDays: 365 },
      expiry: { kind: 'inactivity', months: 120, reminderDays: 90 },
    });
    expect(r.errors).toEqual([]);
    expect(r.next!.expiry).toEqual({ kind: 'inactivity', months: 120, reminderDays: 90 });
    const one = applySettingsPatch(current, { expiry: { kind: 'rolling', months: 1 } });
    expect(one.next!.expiry).toEqual({ kind: 'rolling', months: 1, reminderDays: 0 });
  });

  it('requires months for INACTIVITY and ROLLING, and refuses them for NONE', () => {
    expect(fieldsOf(applySettingsPatch(current, { expiry: { kind: 'inactivity' } }))).toEqual(['input.expiry.months']);
    expect(applySettingsPatch(current, { expiry: { kind: 'inactivity' } }).errors[0].message).toMatch(/months is required when kind is INACTIVITY/);
    expect(fieldsOf(applySettingsPatch(current, { expiry: { kind: 'none', months: 12, reminderDays: 3 } }))).toEqual(['input.expiry.months', 'input.expiry.reminderDays']);
    const off = applySettingsPatch({ ...current, expiry: { kind: 'rolling', months: 12, reminderDays: 7 } }, { expiry: { kind: 'none' } });
    expect(off.next!.expiry).toEqual({ kind: 'none' });
    expect(fieldsOf(applySettingsPatch(current, { expiry: { kind: 'rolling', months: 121 } }))).toEqual(['input.expiry.months']);
    expect(fieldsOf(applySettingsPatch(current, { expiry: { kind: 'rolling', months: 2.5 } }))).toEqual(['input.expiry.months']);
  });

  it('refuses a reminder as long as the expiry period itself', () => {
    const r = applySettingsPatch(current, { expiry: { kind: 'inactivity', months: 1, reminderDays: 30 } });
    expect(fieldsOf(r)).toEqual(['input.expiry.reminderDays']);
    expect(r.errors[0].message).toMatch(/shorter than the expiry period \(1 month\)/);
    expect(applySettingsPatch(current, { expiry: { kind: 'inactivity', months: 1, reminderDays: 29 } }).errors).toEqual([]);
  });

  it('refuses unknown enum values and control characters', () => {
    expect(fieldsOf(applySettingsPatch(current, { earning: { base: 'gross' as never, rounding: 'up' as never } }))).toEqual(['input.earning.base', 'input.earning.rounding']);
    expect(fieldsOf(applySettingsPatch(current, { expiry: { kind: 'sometimes' as never } }))).toEqual(['input.expiry.kind']);
    expect(fieldsOf(applySettingsPatch(current, { pointsCurrencyPlural: 'Sta\u0000rs' }))).toEqual(['input.pointsCurrencyPlural']);
  });

  it('trims names and treats an empty patch as no change', () => {
    expect(applySettingsPatch(current, { pointsCurrencySingular: '  Star ', pointsCurrencyPlural: 'Stars' }).next).toMatchObject({ pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' });
    expect(applySettingsPatch(current, {}).next).toEqual(current);
    expect(applySettingsPatch(current, { enabled: false }).next!.enabled).toBe(false);
  });
});
