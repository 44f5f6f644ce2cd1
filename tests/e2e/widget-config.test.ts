import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, programSettings } from '@herethere/db';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

const SHOP = 'widget-shop.myshopify.com';
const OTHER = 'other-widget-shop.myshopify.com';
let stack: Stack;
let merchantId: string;
let otherId: string;

const CONFIG = `query($language: String) { widgetConfig(language: $language) {
  language defaultLanguage languages rtl shopName currency pointsCurrencySingular pointsCurrencyPlural
  strings { key value }
  branding { primaryColor primaryTextColor accentColor backgroundColor textColor launcherPosition launcherLabel launcherIcon panelStyle }
  waysToEarn { kind points spendAmount } } }`;
const UPDATE = `mutation($input: WidgetSettingsUpdateInput!) { widgetSettingsUpdate(input: $input) {
  widgetConfig { language languages defaultLanguage branding { primaryColor primaryTextColor launcherLabel launcherPosition launcherIcon } strings { key value } }
  userErrors { field message code } } }`;

interface Config {
  language: string;
  defaultLanguage: string;
  languages: string[];
  rtl: boolean;
  pointsCurrencyPlural: string;
  strings: { key: string; value: string }[];
  branding: Record<string, string | null>;
  waysToEarn: { kind: string; points: number; spendAmount: number | null }[];
}
const str = (c: { strings: { key: string; value: string }[] }, key: string) => c.strings.find((s) => s.key === key)?.value;

async function stored() {
  const [m] = await stack.deps.db.db.select().from(merchants).where(eq(merchants.id, merchantId));
  const [s] = await stack.deps.db.db.select().from(programSettings).where(eq(programSettings.merchantId, merchantId));
  return { brand: m.brandSettings, languages: m.languages, defaultLanguage: m.defaultLanguage, translations: s.translations };
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  otherId = await install(stack, OTHER);
  await stack.deps.db.db.update(programSettings).set({ pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' }).where(eq(programSettings.merchantId, merchantId));
});
afterAll(() => stack?.stop());

describe('widgetConfig', () => {
  it('gives a visitor the defaults: English strings, an AA palette, ways to earn from the earning rules', async () => {
    const { token } = await signWidgetToken(stack.config.widgetTokenSecret, { kind: 'visitor', merchantId, shop: SHOP }, 60);
    const { body } = await gql<{ widgetConfig: Config }>(stack.url, token, CONFIG);
    expect(body.errors).toBeUndefined();
    const c = body.data!.widgetConfig;
    expect(c).toMatchObject({ language: 'en', defaultLanguage: 'en', languages: ['en'], rtl: false, pointsCurrencyPlural: 'Stars' });
    expect(str(c, 'launcher.label')).toBe('Rewards');
    expect(str(c, 'toast.earned')).toBe('You earned {points} {currency}!');
    expect(c.branding).toMatchObject({ launcherPosition: 'BOTTOM_RIGHT', launcherIcon: 'GIFT', panelStyle: 'LIGHT' });
    expect(c.waysToEarn).toEqual([
      { kind: 'PURCHASE', points: 1, spendAmount: 1 },
      { kind: 'SIGNUP', points: 200, spendAmount: null },
      { kind: 'REVIEW', points: 100, spendAmount: null },
      { kind: 'BIRTHDAY', points: 200, spendAmount: null },
      { kind: 'REFERRAL', points: 500, spendAmount: null },
    ]);
  });

  it('is readable by customers and merchants (preview), not anonymously', async () => {
    const { token } = await customerToken(stack, SHOP, merchantId, '501');
    expect((await gql(stack.url, token, CONFIG)).body.errors).toBeUndefined();
    expect((await gql(stack.url, await merchantToken(stack.config, SHOP), CONFIG)).body.errors).toBeUndefined();
    const anon = await gql(stack.url, undefined, CONFIG);
    expect(anon.body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('widgetSettingsUpdate', () => {
  it('sets branding, languages and translations; shoppers get them in their language, RTL for Arabic', async () => {
    const token = await merchantToken(stack.config, SHOP);
    const { body } = await gql<{ widgetSettingsUpdate: { widgetConfig: Config; userErrors: unknown[] } }>(stack.url, token, UPDATE, {
      input: {
        branding: { primaryColor: '#0F766E', launcherLabel: 'Star Club', launcherPosition: 'BOTTOM_LEFT', launcherIcon: 'STAR' },
        languages: ['en', 'es', 'ar'],
        defaultLanguage: 'en',
        translations: [{ language: 'es', key: 'launcher.label', value: 'Club de estrellas' }],
      },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.widgetSettingsUpdate.userErrors).toEqual([]);
    expect(body.data!.widgetSettingsUpdate.widgetConfig.branding).toMatchObject({ primaryColor: '#0f766e', primaryTextColor: '#ffffff', launcherLabel: 'Star Club', launcherPosition: 'BOTTOM_LEFT', launcherIcon: 'STAR' });

    const visitor = (await signWidgetToken(stack.config.widgetTokenSecret, { kind: 'visitor', merchantId, shop: SHOP }, 60)).token;
    const es = (await gql<{ widgetConfig: Config }>(stack.url, visitor, CONFIG, { language: 'es-MX' })).body.data!.widgetConfig;
    expect(es).toMatchObject({ language: 'es', languages: ['en', 'es', 'ar'], rtl: false });
    expect(str(es, 'launcher.label')).toBe('Club de estrellas');
    expect(str(es, 'rewards.redeem')).toBe('Canjear');
    const ar = (await gql<{ widgetConfig: Config }>(stack.url, visitor, CONFIG, { language: 'ar' })).body.data!.widgetConfig;
    expect(ar).toMatchObject({ language: 'ar', rtl: true });
    expect(str(ar, 'rewards.redeem')).toBe('استبدال');
    const en = (await gql<{ widgetConfig: Config }>(stack.url, visitor, CONFIG, { language: 'de' })).body.data!.widgetConfig;
    expect(en.language).toBe('en');
    expect(str(en, 'launcher.label')).toBe('Star Club');

    // Another shop is untouched.
    const [other] = await stack.deps.db.db.select().from(merchants).where(eq(merchants.id, otherId));
    expect(other.brandSettings).toEqual({});
    expect(other.languages).toEqual(['en']);
  });

  it('removes an override with a null value and clears a branding field with null', async () => {
    const token = await merchantToken(stack.config, SHOP);
    const { body } = await gql<{ widgetSettingsUpdate: { widgetConfig: Config; userErrors: unknown[] } }>(stack.url, token, UPDATE, {
      input: { branding: { launcherLabel: null }, translations: [{ language: 'es', key: 'launcher.label', value: null }] },
    });
    expect(body.data!.widgetSettingsUpdate.userErrors).toEqual([]);
    const s = await stored();
    expect(s.translations).toEqual({});
    expect(s.brand).not.toHaveProperty('launcherLabel');
    expect(str(body.data!.widgetSettingsUpdate.widgetConfig, 'launcher.label')).toBe('Rewards');
  });

  const bad: [string, Record<string, unknown>, RegExp, string[]][] = [
    ['a colour that is not hex', { branding: { primaryColor: 'purple' } }, /primaryColor must be a hex colour/, ['input', 'branding', 'primaryColor']],
    ['text on the primary colour below 4.5:1', { branding: { primaryColor: '#ffff00', primaryTextColor: '#ffffff' } }, /WCAG AA needs at least 4.5:1/, ['input', 'branding', 'primaryTextColor']],
    ['panel text on its background below 4.5:1', { branding: { backgroundColor: '#ffffff', textColor: '#999999' } }, /textColor #999999 on backgroundColor #ffffff/, ['input', 'branding', 'textColor']],
    ['an accent that disappears on the background', { branding: { backgroundColor: '#ffffff', accentColor: '#eeeeee' } }, /at least 3:1/, ['input', 'branding', 'accentColor']],
    ['an empty launcher label', { branding: { launcherLabel: '   ' } }, /launcherLabel must be 1 to 40/, ['input', 'branding', 'launcherLabel']],
    ['a language the widget cannot speak', { languages: ['en', 'it'] }, /no built-in strings for "it"/, ['input', 'languages']],
    ['a malformed language', { languages: ['english'] }, /not a language code/, ['input', 'languages']],
    ['a repeated language', { languages: ['en', 'en'] }, /must not repeat/, ['input', 'languages']],
    ['a default outside the languages', { languages: ['en', 'es'], defaultLanguage: 'fr' }, /defaultLanguage "fr" must be one of languages/, ['input', 'defaultLanguage']],
    ['an unknown string key', { translations: [{ language: 'es', key: 'nope', value: 'x' }] }, /"nope" is not a widget string key/, ['input', 'translations', '0', 'key']],
    ['an unknown placeholder', { translations: [{ language: 'es', key: 'toast.earned', value: '¡{name} ganó {points}!' }] }, /does not know \{name\}/, ['input', 'translations', '0', 'value']],
    ['an overlong translation', { translations: [{ language: 'es', key: 'copy', value: 'x'.repeat(301) }] }, /at most 300 characters/, ['input', 'translations', '0', 'value']],
  ];
  for (const [name, input, message, field] of bad) {
    it(`refuses ${name} and writes nothing`, async () => {
      const before = await stored();
      const { body } = await gql<{ widgetSettingsUpdate: { widgetConfig: null; userErrors: { field: string[]; message: string; code: string }[] } }>(
        stack.url,
        await merchantToken(stack.config, SHOP),
        UPDATE,
        // A valid change rides along: it must not be written either.
        { input: { ...input, branding: { ...(input.branding as object), launcherIcon: 'HEART' } } },
      );
      expect(body.errors).toBeUndefined();
      const { widgetConfig, userErrors } = body.data!.widgetSettingsUpdate;
      expect(widgetConfig).toBeNull();
      expect(userErrors[0]).toMatchObject({ code: 'INVALID', field });
      expect(userErrors[0].message).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  }

  it('is for merchants only: a customer is forbidden and nothing is written', async () => {
    const before = await stored();
    const { token } = await customerToken(stack, SHOP, merchantId, '502');
    const { body } = await gql(stack.url, token, UPDATE, { input: { branding: { primaryColor: '#000000' } } });
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });
});
