import { eq } from 'drizzle-orm';
import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { merchants, programSettings } from '@herethere/db';
import { forbidden, shopOf, userError, UserError, UserErrorCode, type Context } from '@herethere/runtime';
import { merchantById, settingsFor, type MerchantRow } from '../shop/data';
import { AA_NON_TEXT, AA_TEXT, contrastRatio, normalizeHex } from './color';
import {
  isKnownLanguage,
  isLanguageCode,
  isRtl,
  pickLanguage,
  resolveBranding,
  stringsFor,
  waysToEarn,
  type Translations,
  type WidgetBrandSettings,
} from './config';
import {
  WidgetBranding,
  WidgetConfig,
  WidgetEarnKind,
  WidgetLauncherIcon,
  WidgetLauncherPosition,
  WidgetPanelStyle,
  WidgetSettingsUpdateInput,
  WidgetSettingsUpdatePayload,
} from './entity';
import { placeholdersOf, WIDGET_STRING_KEYS, WIDGET_STRINGS_EN, type WidgetStringKey } from './strings';

type SettingsRow = typeof programSettings.$inferSelect;

const MAX_LANGUAGES = 20;
const MAX_LABEL = 40;
const MAX_TRANSLATION = 300;
const COLOR_FIELDS = ['primaryColor', 'primaryTextColor', 'accentColor', 'backgroundColor', 'textColor'] as const;

export function buildWidgetConfig(merchant: MerchantRow, settings: SettingsRow | null, requested: string | null | undefined): WidgetConfig {
  const translations = (settings?.translations ?? {}) as Translations;
  const defaultLanguage = merchant.defaultLanguage;
  const languages = [defaultLanguage, ...merchant.languages.filter((l) => l !== defaultLanguage)];
  const language = pickLanguage(requested, languages, defaultLanguage);
  const branding = resolveBranding(merchant.brandSettings as WidgetBrandSettings);
  const strings = stringsFor(language, defaultLanguage, translations, branding);
  return {
    language,
    defaultLanguage,
    languages,
    rtl: isRtl(language),
    strings: WIDGET_STRING_KEYS.map((key) => ({ key, value: strings[key] })),
    shopName: merchant.name,
    currency: merchant.currency,
    pointsCurrencySingular: settings?.pointsCurrencySingular ?? 'Point',
    pointsCurrencyPlural: settings?.pointsCurrencyPlural ?? 'Points',
    branding: {
      ...branding,
      launcherPosition: branding.launcherPosition as WidgetLauncherPosition,
      launcherIcon: branding.launcherIcon as WidgetLauncherIcon,
      panelStyle: branding.panelStyle as WidgetPanelStyle,
    } satisfies WidgetBranding,
    waysToEarn: waysToEarn(settings?.earning, settings?.referral).map((w) => ({ ...w, kind: w.kind as WidgetEarnKind })),
  };
}

function contrastProblem(fg: string, fgName: string, bg: string, bgName: string, minimum: number): string | null {
  const ratio = contrastRatio(fg, bg);
  if (ratio >= minimum) return null;
  return `${fgName} ${fg} on ${bgName} ${bg} has a contrast of ${ratio.toFixed(2)}:1; WCAG AA needs at least ${minimum}:1`;
}

@Resolver(() => WidgetConfig)
export class WidgetResolver {
  @Authorized('customer', 'visitor', 'merchant')
  @Query(() => WidgetConfig, { description: 'The storefront widget’s languages, strings, branding and ways to earn. Merchants get it for previews.' })
  async widgetConfig(
    @Arg('language', () => String, { nullable: true, description: 'Preferred language, e.g. "es" or "fr-CA"; falls back to the shop default.' }) language: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<WidgetConfig> {
    const { merchantId } = shopOf(ctx, 'customer', 'visitor', 'merchant');
    const [merchant, settings] = await Promise.all([merchantById(ctx).load(merchantId), settingsFor(ctx, merchantId)]);
    if (!merchant) throw forbidden();
    return buildWidgetConfig(merchant, settings, language);
  }

  @Authorized('merchant')
  @Mutation(() => WidgetSettingsUpdatePayload, { description: 'Changes the widget’s branding, languages and translations. Colours must meet WCAG AA contrast.' })
  async widgetSettingsUpdate(@Arg('input', () => WidgetSettingsUpdateInput) input: WidgetSettingsUpdateInput, @Ctx() ctx: Context): Promise<WidgetSettingsUpdatePayload> {
    const { merchantId } = shopOf(ctx, 'merchant');
    return ctx.db.db.transaction(async (tx) => {
      const [merchant] = await tx.select().from(merchants).where(eq(merchants.id, merchantId)).for('update');
      const [settings] = await tx.select().from(programSettings).where(eq(programSettings.merchantId, merchantId)).for('update');
      if (!merchant || !settings) return { widgetConfig: null, userErrors: [userError(UserErrorCode.NOT_FOUND, 'The shop has no program settings yet')] };
      const errors: UserError[] = [];

      // Branding: colours are hex, pairs meet WCAG AA.
      const brand: WidgetBrandSettings = { ...(merchant.brandSettings as WidgetBrandSettings) };
      const b = input.branding;
      if (b) {
        for (const field of COLOR_FIELDS) {
          const value = b[field];
          if (value === undefined) continue;
          if (value === null) {
            delete brand[field];
            continue;
          }
          const hex = normalizeHex(value);
          if (!hex) errors.push(userError(UserErrorCode.INVALID, `${field} must be a hex colour such as #1a2b3c (got "${value}")`, ['input', 'branding', field]));
          else brand[field] = hex;
        }
        if (b.launcherLabel !== undefined) {
          const label = b.launcherLabel?.trim() ?? '';
          if (b.launcherLabel === null) delete brand.launcherLabel;
          else if (label.length === 0 || label.length > MAX_LABEL) errors.push(userError(UserErrorCode.INVALID, `launcherLabel must be 1 to ${MAX_LABEL} characters`, ['input', 'branding', 'launcherLabel']));
          else brand.launcherLabel = label;
        }
        if (b.launcherPosition) brand.launcherPosition = b.launcherPosition;
        if (b.launcherIcon) brand.launcherIcon = b.launcherIcon;
        if (b.panelStyle) brand.panelStyle = b.panelStyle;
        if (!errors.length) {
          const touched = (...fields: string[]) => fields.some((f) => b[f as keyof typeof b] !== undefined);
          const resolved = resolveBranding({ ...brand, primaryTextColor: undefined, textColor: undefined, accentColor: undefined });
          const primary = brand.primaryColor ?? resolved.primaryColor;
          const background = brand.backgroundColor ?? resolved.backgroundColor;
          const checks: [boolean, string | undefined, string, string, string, number][] = [
            [touched('primaryColor', 'primaryTextColor', 'panelStyle'), brand.primaryTextColor, 'primaryTextColor', primary, 'primaryColor', AA_TEXT],
            [touched('backgroundColor', 'textColor', 'panelStyle'), brand.textColor, 'textColor', background, 'backgroundColor', AA_TEXT],
            [touched('backgroundColor', 'accentColor', 'panelStyle'), brand.accentColor, 'accentColor', background, 'backgroundColor', AA_NON_TEXT],
          ];
          for (const [wasTouched, fg, fgName, bg, bgName, minimum] of checks) {
            if (!wasTouched || !fg) continue;
            const problem = contrastProblem(fg, fgName, bg, bgName, minimum);
            if (problem) errors.push(userError(UserErrorCode.INVALID, problem, ['input', 'branding', fgName]));
          }
        }
      }

      // Translations: known keys, only the placeholders the string has, bounded length.
      const translations: Translations = structuredClone((settings.translations ?? {}) as Translations);
      const changedLanguages = new Set<string>();
      const seen = new Set<string>();
      (input.translations ?? []).forEach((t, i) => {
        const at = ['input', 'translations', String(i)];
        if (!isLanguageCode(t.language)) return void errors.push(userError(UserErrorCode.INVALID, `"${t.language}" is not a language code such as "es" or "fr-CA"`, [...at, 'language']));
        if (!(WIDGET_STRING_KEYS as string[]).includes(t.key)) return void errors.push(userError(UserErrorCode.INVALID, `"${t.key}" is not a widget string key`, [...at, 'key']));
        const id = `${t.language}/${t.key}`;
        if (seen.has(id)) return void errors.push(userError(UserErrorCode.INVALID, `${id} is given twice`, [...at, 'key']));
        seen.add(id);
        const value = t.value?.trim() ?? '';
        if (value.length > MAX_TRANSLATION) return void errors.push(userError(UserErrorCode.INVALID, `A translation is at most ${MAX_TRANSLATION} characters`, [...at, 'value']));
        const allowed = new Set(placeholdersOf(WIDGET_STRINGS_EN[t.key as WidgetStringKey]));
        const unknown = placeholdersOf(value).filter((p) => !allowed.has(p));
        if (unknown.length) {
          const hint = allowed.size ? `it may use ${[...allowed].map((p) => `{${p}}`).join(', ')}` : 'it takes no placeholders';
          return void errors.push(userError(UserErrorCode.INVALID, `${t.key} does not know ${unknown.map((p) => `{${p}}`).join(', ')}; ${hint}`, [...at, 'value']));
        }
        changedLanguages.add(t.language);
        const forLanguage = { ...(translations[t.language] ?? {}) };
        if (value) forLanguage[t.key] = value;
        else delete forLanguage[t.key];
        if (Object.keys(forLanguage).length) translations[t.language] = forLanguage;
        else delete translations[t.language];
      });

      // Languages: known to the widget, default among them.
      let languages = merchant.languages;
      if (input.languages) {
        const list = input.languages.map((l) => l.trim());
        if (list.length === 0 || list.length > MAX_LANGUAGES) errors.push(userError(UserErrorCode.INVALID, `languages must list 1 to ${MAX_LANGUAGES} languages`, ['input', 'languages']));
        else if (new Set(list).size !== list.length) errors.push(userError(UserErrorCode.INVALID, 'languages must not repeat a language', ['input', 'languages']));
        languages = list;
      }
      const toCheck = input.languages ? languages : languages.filter((l) => changedLanguages.has(l));
      for (const l of toCheck) {
        if (isKnownLanguage(l, translations)) continue;
        const why = isLanguageCode(l)
          ? `the widget has no built-in strings for "${l}"; translate all ${WIDGET_STRING_KEYS.length} strings first or leave it out`
          : `"${l}" is not a language code such as "es" or "fr-CA"`;
        errors.push(userError(UserErrorCode.INVALID, why, ['input', input.languages ? 'languages' : 'translations']));
      }
      const defaultLanguage = input.defaultLanguage?.trim() || merchant.defaultLanguage;
      if ((input.defaultLanguage !== undefined || input.languages) && !languages.includes(defaultLanguage)) {
        errors.push(userError(UserErrorCode.INVALID, `defaultLanguage "${defaultLanguage}" must be one of languages (${languages.join(', ')})`, ['input', 'defaultLanguage']));
      }

      if (errors.length) return { widgetConfig: null, userErrors: errors };
      const [updated] = await tx
        .update(merchants)
        .set({ brandSettings: brand, languages, defaultLanguage, updatedAt: new Date() })
        .where(eq(merchants.id, merchantId))
        .returning();
      const [updatedSettings] = await tx
        .update(programSettings)
        .set({ translations, updatedAt: new Date() })
        .where(eq(programSettings.merchantId, merchantId))
        .returning();
      merchantById(ctx).clear(merchantId);
      return { widgetConfig: buildWidgetConfig(updated, updatedSettings, defaultLanguage), userErrors: [] };
    });
  }
}
