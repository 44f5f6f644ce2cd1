import type { WidgetConfig } from './types';

/** Shown before the shop's strings arrive (or when they cannot): only what a failure needs. */
const FALLBACK: Record<string, string> = {
  'launcher.label': 'Rewards',
  'panel.title': 'Rewards',
  'panel.close': 'Close rewards',
  'status.loading': 'Loading…',
  'status.offline': 'You’re offline. We’ll catch up as soon as you’re back online.',
  'status.down': 'We can’t reach the rewards service right now. Retrying…',
  'status.expired': 'Your session expired. Reconnecting…',
  'status.restored': 'You’re connected again.',
  'status.error': 'Something went wrong. Please try again.',
  'status.retry': 'Try again',
};

export type Vars = Record<string, string | number>;

export function format(template: string, vars: Vars = {}): string {
  return template.replace(/\{([a-zA-Z]+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export class I18n {
  readonly lang: string;
  private readonly strings: Record<string, string>;
  private readonly numbers: Intl.NumberFormat;
  private readonly plural: Intl.PluralRules;

  constructor(private readonly config: WidgetConfig | null, fallbackLang = 'en') {
    this.lang = config?.language ?? fallbackLang;
    this.strings = { ...FALLBACK };
    for (const s of config?.strings ?? []) this.strings[s.key] = s.value;
    this.numbers = new Intl.NumberFormat(this.lang);
    this.plural = new Intl.PluralRules(this.lang);
  }

  t(key: string, vars?: Vars): string {
    return format(this.strings[key] ?? key, vars);
  }

  n(value: number): string {
    return this.numbers.format(value);
  }

  /** "Stars" or "Star", by the language's plural rules. */
  currency(points: number): string {
    const c = this.config;
    if (!c) return '';
    return this.plural.select(Math.abs(points)) === 'one' ? c.pointsCurrencySingular : c.pointsCurrencyPlural;
  }

  /** `{points} {currency}` vars for a number of points. */
  pts(points: number): Vars {
    return { points: this.n(points), currency: this.currency(points) };
  }

  money(amountMinor: number, currency: string): string {
    const f = new Intl.NumberFormat(this.lang, { style: 'currency', currency });
    const digits = f.resolvedOptions().maximumFractionDigits ?? 2;
    return f.format(amountMinor / 10 ** digits);
  }

  wholeMoney(amount: number, currency: string): string {
    return new Intl.NumberFormat(this.lang, { style: 'currency', currency, maximumFractionDigits: 0 }).format(amount);
  }

  date(iso: string): string {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? '' : new Intl.DateTimeFormat(this.lang, { dateStyle: 'medium' }).format(d);
  }

  /** The language's own name ("Español", "العربية"). */
  static languageName(code: string): string {
    try {
      const name = new Intl.DisplayNames([code], { type: 'language' }).of(code);
      return name ? name.charAt(0).toLocaleUpperCase(code) + name.slice(1) : code;
    } catch {
      return code;
    }
  }
}
