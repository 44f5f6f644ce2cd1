import { describe, expect, it } from 'vitest';
import { format, I18n } from './i18n';
import type { WidgetConfig } from './types';

const config = (language: string, strings: Record<string, string>): WidgetConfig => ({
  language,
  defaultLanguage: 'en',
  languages: ['en', language],
  rtl: language === 'ar',
  shopName: 'Demo Shop',
  currency: 'EUR',
  pointsCurrencySingular: 'Star',
  pointsCurrencyPlural: 'Stars',
  strings: Object.entries(strings).map(([key, value]) => ({ key, value })),
  branding: { primaryColor: '#5b21b6', primaryTextColor: '#ffffff', accentColor: '#7c3aed', backgroundColor: '#ffffff', textColor: '#1f2937', launcherPosition: 'BOTTOM_RIGHT', launcherLabel: null, launcherIcon: 'GIFT', panelStyle: 'LIGHT' },
  waysToEarn: [],
});

describe('widget strings', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(format('You earned {points} {currency}!', { points: '100', currency: 'Stars' })).toBe('You earned 100 Stars!');
    expect(format('Hi {name}', {})).toBe('Hi {name}');
  });

  it('uses the shop’s currency name with the language’s plural rules and number format', () => {
    const en = new I18n(config('en', { 'toast.earned': 'You earned {points} {currency}!' }));
    expect(en.t('toast.earned', en.pts(1))).toBe('You earned 1 Star!');
    expect(en.t('toast.earned', en.pts(1250))).toBe('You earned 1,250 Stars!');
    const fr = new I18n(config('fr', { 'toast.earned': 'Vous avez gagné {points} {currency} !' }));
    expect(fr.t('toast.earned', fr.pts(1250))).toBe('Vous avez gagné 1\u202f250 Stars !');
    expect(fr.currency(0)).toBe('Star'); // French treats 0 as singular
    expect(fr.money(1050, 'EUR')).toBe('10,50\u00a0€');
  });

  it('has friendly failure messages before the shop’s strings arrive', () => {
    const none = new I18n(null);
    expect(none.t('status.down')).toBe('We can’t reach the rewards service right now. Retrying…');
    expect(none.t('status.offline')).toMatch(/offline/);
  });

  it('names languages in their own language', () => {
    expect(I18n.languageName('es')).toBe('Español');
    expect(I18n.languageName('de')).toBe('Deutsch');
  });
});
