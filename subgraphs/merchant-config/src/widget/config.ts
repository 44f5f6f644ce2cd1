import type { BrandSettings, EarningRules, ReferralSettings } from '@herethere/db';
import { AA_NON_TEXT, AA_TEXT, contrastRatio, normalizeHex, readableOn } from './color';
import { BUILTIN_STRINGS, RTL_LANGUAGES, WIDGET_STRING_KEYS, WIDGET_STRINGS_EN, type WidgetStringKey } from './strings';

/** merchants.brand_settings as the widget reads it: the shared keys plus the panel's own colours. */
export interface WidgetBrandSettings extends BrandSettings {
  primaryTextColor?: string;
  backgroundColor?: string;
  textColor?: string;
}

export type Translations = Record<string, Record<string, string>>;

export const LAUNCHER_ICONS = ['gift', 'star', 'heart', 'crown', 'none'] as const;
export type LauncherIcon = (typeof LAUNCHER_ICONS)[number];

export interface ResolvedBranding {
  primaryColor: string;
  primaryTextColor: string;
  accentColor: string;
  backgroundColor: string;
  textColor: string;
  launcherPosition: 'bottom-right' | 'bottom-left';
  launcherLabel: string | null;
  launcherIcon: LauncherIcon;
  panelStyle: 'light' | 'dark';
}

const PALETTES = {
  light: { primaryColor: '#5b21b6', primaryTextColor: '#ffffff', accentColor: '#7c3aed', backgroundColor: '#ffffff', textColor: '#1f2937' },
  dark: { primaryColor: '#c4b5fd', primaryTextColor: '#111827', accentColor: '#a78bfa', backgroundColor: '#111827', textColor: '#f9fafb' },
} as const;

const LANGUAGE = /^[a-z]{2,3}(-[A-Z]{2})?$/;

export const baseLanguage = (code: string) => code.split('-')[0];
export const isLanguageCode = (code: string) => LANGUAGE.test(code);
export const isRtl = (code: string) => RTL_LANGUAGES.has(baseLanguage(code));

/**
 * A language the widget can speak: one with built-in strings (or a region variant of one), or one
 * the merchant has translated every string for.
 */
export function isKnownLanguage(code: string, translations: Translations): boolean {
  if (!isLanguageCode(code)) return false;
  if (BUILTIN_STRINGS[baseLanguage(code)]) return true;
  const own = translations[code] ?? {};
  return WIDGET_STRING_KEYS.every((k) => typeof own[k] === 'string' && own[k].length > 0);
}

/** Stored branding with defaults filled in; pairs that fail WCAG AA are corrected, never shown as stored. */
export function resolveBranding(stored: WidgetBrandSettings | null | undefined): ResolvedBranding {
  const s = stored ?? {};
  const panelStyle = s.panelStyle === 'dark' ? 'dark' : 'light';
  const palette = PALETTES[panelStyle];
  const color = (v: string | undefined, fallback: string) => (v && normalizeHex(v)) || fallback;
  const primaryColor = color(s.primaryColor, palette.primaryColor);
  let primaryTextColor = color(s.primaryTextColor, s.primaryColor ? readableOn(primaryColor) : palette.primaryTextColor);
  if (contrastRatio(primaryTextColor, primaryColor) < AA_TEXT) primaryTextColor = readableOn(primaryColor);
  const backgroundColor = color(s.backgroundColor, palette.backgroundColor);
  let textColor = color(s.textColor, s.backgroundColor ? readableOn(backgroundColor) : palette.textColor);
  if (contrastRatio(textColor, backgroundColor) < AA_TEXT) textColor = readableOn(backgroundColor);
  let accentColor = color(s.accentColor, palette.accentColor);
  if (contrastRatio(accentColor, backgroundColor) < AA_NON_TEXT) accentColor = textColor;
  const launcherIcon = LAUNCHER_ICONS.includes(s.launcherIcon as LauncherIcon) ? (s.launcherIcon as LauncherIcon) : 'gift';
  return {
    primaryColor,
    primaryTextColor,
    accentColor,
    backgroundColor,
    textColor,
    launcherPosition: s.launcherPosition === 'bottom-left' ? 'bottom-left' : 'bottom-right',
    launcherLabel: s.launcherLabel?.trim() || null,
    launcherIcon,
    panelStyle,
  };
}

/** The merchant language to answer in: the requested one, its base or a variant of it, else the default. */
export function pickLanguage(requested: string | null | undefined, languages: string[], defaultLanguage: string): string {
  const available = languages.includes(defaultLanguage) ? languages : [defaultLanguage, ...languages];
  if (!requested) return defaultLanguage;
  const [base, region] = requested.trim().replace('_', '-').split('-');
  const wanted = region ? `${base.toLowerCase()}-${region.toUpperCase()}` : base.toLowerCase();
  if (available.includes(wanted)) return wanted;
  if (available.includes(base.toLowerCase())) return base.toLowerCase();
  return available.find((l) => baseLanguage(l) === base.toLowerCase()) ?? defaultLanguage;
}

/**
 * Every widget string in `language`: English, then the built-in language, then the merchant's own
 * wording. The launcher label set in branding is the default language's label.
 */
export function stringsFor(language: string, defaultLanguage: string, translations: Translations, branding: ResolvedBranding): Record<WidgetStringKey, string> {
  const builtin = BUILTIN_STRINGS[language] ?? BUILTIN_STRINGS[baseLanguage(language)] ?? {};
  const own = translations[language] ?? {};
  const out = { ...WIDGET_STRINGS_EN, ...builtin } as Record<WidgetStringKey, string>;
  if (branding.launcherLabel && language === defaultLanguage) out['launcher.label'] = branding.launcherLabel;
  for (const key of WIDGET_STRING_KEYS) {
    const v = own[key];
    if (typeof v === 'string' && v.length > 0) out[key] = v;
  }
  return out;
}

export type WayToEarnKind = 'purchase' | 'signup' | 'review' | 'birthday' | 'referral';
export interface WayToEarn {
  kind: WayToEarnKind;
  points: number;
  /** Purchase only: the spend, in whole units of the shop currency, that earns `points`. */
  spendAmount: number | null;
}

/** What the program rewards, from program_settings.earning and .referral; zero-point rules are left out. */
export function waysToEarn(earning: Partial<EarningRules> | null | undefined, referral: Partial<ReferralSettings> | null | undefined): WayToEarn[] {
  const out: WayToEarn[] = [];
  const rate = Number(earning?.pointsPerCurrencyUnit ?? 0);
  if (Number.isFinite(rate) && rate > 0) {
    out.push(rate >= 1 ? { kind: 'purchase', points: Math.round(rate), spendAmount: 1 } : { kind: 'purchase', points: 1, spendAmount: Math.round(1 / rate) });
  }
  const fixed: [WayToEarnKind, unknown][] = [
    ['signup', earning?.signupPoints],
    ['review', earning?.reviewPoints],
    ['birthday', earning?.birthdayPoints],
  ];
  for (const [kind, points] of fixed) {
    if (Number.isInteger(points) && (points as number) > 0) out.push({ kind, points: points as number, spendAmount: null });
  }
  if (referral?.enabled && Number.isInteger(referral.advocatePoints) && (referral.advocatePoints as number) > 0) {
    out.push({ kind: 'referral', points: referral.advocatePoints as number, spendAmount: null });
  }
  return out;
}
