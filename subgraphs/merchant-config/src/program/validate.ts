import type { EarningRules, ExpiryPolicy } from '@herethere/db';
import { userError, UserErrorCode, type UserError } from '@herethere/runtime';

export const LIMITS = {
  rateMax: 10_000,
  bonusMax: 1_000_000,
  approvalDaysMax: 365,
  monthsMin: 1,
  monthsMax: 120,
  reminderDaysMax: 90,
  nameMax: 40,
} as const;

export interface SettingsState {
  enabled: boolean;
  pointsCurrencySingular: string;
  pointsCurrencyPlural: string;
  earning: EarningRules;
  expiry: ExpiryPolicy;
}

export interface SettingsPatch {
  enabled?: boolean | null;
  pointsCurrencySingular?: string | null;
  pointsCurrencyPlural?: string | null;
  earning?: Partial<{ [K in keyof EarningRules]: EarningRules[K] | null }> | null;
  expiry?: { kind: ExpiryPolicy['kind']; months?: number | null; reminderDays?: number | null } | null;
}

const BASES: readonly EarningRules['base'][] = ['subtotal_after_discounts', 'total'];
const ROUNDINGS: readonly EarningRules['rounding'][] = ['floor', 'round', 'ceil'];
const KINDS: readonly ExpiryPolicy['kind'][] = ['none', 'inactivity', 'rolling'];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** True when `n` has at most two decimals (0.25 yes, 0.125 no), tolerant of binary float noise. */
export function hasAtMostTwoDecimals(n: number): boolean {
  const scaled = n * 100;
  return Math.abs(scaled - Math.round(scaled)) < 1e-7;
}

const intIn = (n: unknown, min: number, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/**
 * Merges a patch into the current settings and checks every field. Each bad field gets its own
 * error with its path; the merged settings are only returned when there is no error at all, so a
 * caller writes either everything or nothing.
 */
export function applySettingsPatch(current: SettingsState, patch: SettingsPatch): { errors: UserError[]; next?: SettingsState } {
  const errors: UserError[] = [];
  const bad = (path: string[], message: string) => errors.push(userError(UserErrorCode.INVALID, message, ['input', ...path]));
  const next: SettingsState = { ...current, earning: { ...current.earning }, expiry: { ...current.expiry } };

  if (patch.enabled != null) next.enabled = patch.enabled;

  for (const key of ['pointsCurrencySingular', 'pointsCurrencyPlural'] as const) {
    const raw = patch[key];
    if (raw == null) continue;
    const value = raw.trim();
    if (value.length < 1 || value.length > LIMITS.nameMax || CONTROL.test(value)) bad([key], `${key} must be 1 to ${LIMITS.nameMax} printable characters`);
    else next[key] = value;
  }

  const e = patch.earning;
  if (e) {
    if (e.pointsPerCurrencyUnit != null) {
      const r = e.pointsPerCurrencyUnit;
      if (!Number.isFinite(r) || r < 0 || r > LIMITS.rateMax) bad(['earning', 'pointsPerCurrencyUnit'], `pointsPerCurrencyUnit must be between 0 and ${LIMITS.rateMax}`);
      else if (!hasAtMostTwoDecimals(r)) bad(['earning', 'pointsPerCurrencyUnit'], 'pointsPerCurrencyUnit may have at most two decimals (e.g. 0.25)');
      else next.earning.pointsPerCurrencyUnit = Math.round(r * 100) / 100;
    }
    if (e.base != null) {
      if (!BASES.includes(e.base)) bad(['earning', 'base'], 'base must be SUBTOTAL_AFTER_DISCOUNTS or TOTAL');
      else next.earning.base = e.base;
    }
    if (e.rounding != null) {
      if (!ROUNDINGS.includes(e.rounding)) bad(['earning', 'rounding'], 'rounding must be FLOOR, ROUND or CEIL');
      else next.earning.rounding = e.rounding;
    }
    for (const key of ['signupPoints', 'reviewPoints', 'birthdayPoints'] as const) {
      const v = e[key];
      if (v == null) continue;
      if (!intIn(v, 0, LIMITS.bonusMax)) bad(['earning', key], `${key} must be a whole number from 0 to ${LIMITS.bonusMax.toLocaleString('en-US')}`);
      else next.earning[key] = v;
    }
    if (e.approvalDays != null) {
      if (!intIn(e.approvalDays, 0, LIMITS.approvalDaysMax)) bad(['earning', 'approvalDays'], `approvalDays must be a whole number of days from 0 to ${LIMITS.approvalDaysMax}`);
      else next.earning.approvalDays = e.approvalDays;
    }
  }

  const x = patch.expiry;
  if (x) {
    if (!KINDS.includes(x.kind)) bad(['expiry', 'kind'], 'kind must be NONE, INACTIVITY or ROLLING');
    else if (x.kind === 'none') {
      if (x.months != null) bad(['expiry', 'months'], 'months must be left out when kind is NONE');
      if (x.reminderDays != null) bad(['expiry', 'reminderDays'], 'reminderDays must be left out when kind is NONE');
      next.expiry = { kind: 'none' };
    } else {
      const months = x.months;
      const reminderDays = x.reminderDays ?? 0;
      let ok = true;
      if (months == null) {
        bad(['expiry', 'months'], `months is required when kind is ${x.kind.toUpperCase()}`);
        ok = false;
      } else if (!intIn(months, LIMITS.monthsMin, LIMITS.monthsMax)) {
        bad(['expiry', 'months'], `months must be a whole number from ${LIMITS.monthsMin} to ${LIMITS.monthsMax}`);
        ok = false;
      }
      if (!intIn(reminderDays, 0, LIMITS.reminderDaysMax)) {
        bad(['expiry', 'reminderDays'], `reminderDays must be a whole number from 0 to ${LIMITS.reminderDaysMax}`);
        ok = false;
      } else if (ok && months != null && reminderDays >= months * 30) {
        bad(['expiry', 'reminderDays'], `reminderDays must be shorter than the expiry period (${months} month${months === 1 ? '' : 's'})`);
        ok = false;
      }
      if (ok && months != null) next.expiry = { kind: x.kind, months, reminderDays };
    }
  }

  return errors.length ? { errors } : { errors, next };
}
