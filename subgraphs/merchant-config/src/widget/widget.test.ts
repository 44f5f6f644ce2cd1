import { describe, expect, it } from 'vitest';
import { contrastRatio, normalizeHex, readableOn } from './color';
import { isKnownLanguage, pickLanguage, resolveBranding, stringsFor, waysToEarn } from './config';
import { BUILTIN_STRINGS, placeholdersOf, WIDGET_STRING_KEYS, WIDGET_STRINGS_EN } from './strings';

describe('colours', () => {
  it('normalises #rgb and #rrggbb and refuses anything else', () => {
    expect(normalizeHex('#ABC')).toBe('#aabbcc');
    expect(normalizeHex(' #1A2b3C ')).toBe('#1a2b3c');
    for (const bad of ['abc', '#abcd', '#ggg', 'red', 'rgb(0,0,0)', '#1234567', '']) expect(normalizeHex(bad)).toBeNull();
  });

  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBeCloseTo(1, 5);
    // #767676 on white is the classic 4.54:1 AA boundary.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
  });

  it('picks a readable text colour for any background', () => {
    for (const bg of ['#ffffff', '#000000', '#5b21b6', '#ffeb3b', '#777777', '#00ff00', '#0000ff']) {
      expect(contrastRatio(readableOn(bg), bg)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('branding', () => {
  it('fills in an AA palette when nothing is stored', () => {
    const b = resolveBranding({});
    expect(contrastRatio(b.primaryTextColor, b.primaryColor)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(b.textColor, b.backgroundColor)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(b.accentColor, b.backgroundColor)).toBeGreaterThanOrEqual(3);
    expect(b).toMatchObject({ launcherPosition: 'bottom-right', launcherIcon: 'gift', panelStyle: 'light', launcherLabel: null });
    const dark = resolveBranding({ panelStyle: 'dark' });
    expect(contrastRatio(dark.textColor, dark.backgroundColor)).toBeGreaterThanOrEqual(4.5);
  });

  it('corrects stored pairs that fail AA instead of showing them', () => {
    const b = resolveBranding({ primaryColor: '#ffff00', primaryTextColor: '#ffffff', backgroundColor: '#000000', textColor: '#111111', accentColor: '#000000' });
    expect(b.primaryColor).toBe('#ffff00');
    expect(contrastRatio(b.primaryTextColor, b.primaryColor)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(b.textColor, b.backgroundColor)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(b.accentColor, b.backgroundColor)).toBeGreaterThanOrEqual(3);
  });

  it('ignores malformed stored values', () => {
    const b = resolveBranding({ primaryColor: 'purple', launcherIcon: 'rocket', launcherPosition: 'top' as never });
    expect(b.primaryColor).toMatch(/^#[0-9a-f]{6}$/);
    expect(b.launcherIcon).toBe('gift');
    expect(b.launcherPosition).toBe('bottom-right');
  });
});

describe('languages and strings', () => {
  it('ships every string in every built-in language, with the same placeholders', () => {
    for (const [lang, dict] of Object.entries(BUILTIN_STRINGS)) {
      for (const key of WIDGET_STRING_KEYS) {
        expect(dict[key], `${lang}/${key}`).toBeTruthy();
        expect(placeholdersOf(dict[key]).sort(), `${lang}/${key}`).toEqual(placeholdersOf(WIDGET_STRINGS_EN[key]).sort());
      }
    }
  });

  it('answers in the requested language when the shop offers it, else the default', () => {
    const langs = ['en', 'es', 'fr-CA'];
    expect(pickLanguage('es', langs, 'en')).toBe('es');
    expect(pickLanguage('es-MX', langs, 'en')).toBe('es');
    expect(pickLanguage('fr', langs, 'en')).toBe('fr-CA');
    expect(pickLanguage('fr_ca', langs, 'en')).toBe('fr-CA');
    expect(pickLanguage('de', langs, 'en')).toBe('en');
    expect(pickLanguage(undefined, langs, 'en')).toBe('en');
  });

  it('merges built-in strings, the branding label and merchant overrides', () => {
    const branding = resolveBranding({ launcherLabel: 'Star Club' });
    const en = stringsFor('en', 'en', { es: { 'launcher.label': 'Club de estrellas' } }, branding);
    expect(en['launcher.label']).toBe('Star Club');
    const es = stringsFor('es', 'en', { es: { 'launcher.label': 'Club de estrellas' } }, branding);
    expect(es['launcher.label']).toBe('Club de estrellas');
    expect(es['rewards.redeem']).toBe('Canjear');
    const esMx = stringsFor('es-MX', 'en', {}, branding);
    expect(esMx['rewards.redeem']).toBe('Canjear');
  });

  it('knows built-in languages and fully translated ones only', () => {
    expect(isKnownLanguage('ar', {})).toBe(true);
    expect(isKnownLanguage('de-AT', {})).toBe(true);
    expect(isKnownLanguage('it', {})).toBe(false);
    expect(isKnownLanguage('it', { it: Object.fromEntries(WIDGET_STRING_KEYS.map((k) => [k, 'x'])) })).toBe(true);
    expect(isKnownLanguage('english', {})).toBe(false);
  });
});

describe('ways to earn', () => {
  it('lists the non-zero earning rules and the referral reward', () => {
    expect(
      waysToEarn(
        { pointsPerCurrencyUnit: 2, signupPoints: 200, reviewPoints: 0, birthdayPoints: 150 },
        { enabled: true, advocatePoints: 500 },
      ),
    ).toEqual([
      { kind: 'purchase', points: 2, spendAmount: 1 },
      { kind: 'signup', points: 200, spendAmount: null },
      { kind: 'birthday', points: 150, spendAmount: null },
      { kind: 'referral', points: 500, spendAmount: null },
    ]);
  });

  it('expresses fractional purchase rates as points per larger spend', () => {
    expect(waysToEarn({ pointsPerCurrencyUnit: 0.1 }, { enabled: false, advocatePoints: 500 })).toEqual([{ kind: 'purchase', points: 1, spendAmount: 10 }]);
    expect(waysToEarn(null, null)).toEqual([]);
  });
});
