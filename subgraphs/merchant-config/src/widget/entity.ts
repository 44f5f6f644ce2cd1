import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { UserError } from '@herethere/runtime';

export enum WidgetLauncherPosition {
  BOTTOM_RIGHT = 'bottom-right',
  BOTTOM_LEFT = 'bottom-left',
}
registerEnumType(WidgetLauncherPosition, { name: 'WidgetLauncherPosition', description: 'Corner of the storefront the launcher sits in.' });

export enum WidgetLauncherIcon {
  GIFT = 'gift',
  STAR = 'star',
  HEART = 'heart',
  CROWN = 'crown',
  NONE = 'none',
}
registerEnumType(WidgetLauncherIcon, { name: 'WidgetLauncherIcon', description: 'The icon on the launcher button.' });

export enum WidgetPanelStyle {
  LIGHT = 'light',
  DARK = 'dark',
}
registerEnumType(WidgetPanelStyle, { name: 'WidgetPanelStyle', description: 'Light or dark default palette of the panel.' });

export enum WidgetEarnKind {
  PURCHASE = 'purchase',
  SIGNUP = 'signup',
  REVIEW = 'review',
  BIRTHDAY = 'birthday',
  REFERRAL = 'referral',
}
registerEnumType(WidgetEarnKind, { name: 'WidgetEarnKind', description: 'A way shoppers earn points.' });

@ObjectType({ description: 'Colours (`#rrggbb`, WCAG AA pairs) and launcher of the storefront widget.' })
export class WidgetBranding {
  @Field(() => String, { description: 'Launcher and button background.' }) primaryColor!: string;
  @Field(() => String, { description: 'Text on primaryColor; at least 4.5:1 against it.' }) primaryTextColor!: string;
  @Field(() => String, { description: 'Progress bars and highlights; at least 3:1 against backgroundColor.' }) accentColor!: string;
  @Field(() => String, { description: 'Panel background.' }) backgroundColor!: string;
  @Field(() => String, { description: 'Panel text; at least 4.5:1 against backgroundColor.' }) textColor!: string;
  @Field(() => WidgetLauncherPosition) launcherPosition!: WidgetLauncherPosition;
  @Field(() => String, { nullable: true, description: 'The merchant’s launcher label in the default language; null uses the translated default.' }) launcherLabel!: string | null;
  @Field(() => WidgetLauncherIcon) launcherIcon!: WidgetLauncherIcon;
  @Field(() => WidgetPanelStyle) panelStyle!: WidgetPanelStyle;
}

@ObjectType({ description: 'One translated widget string. `{name}` placeholders are filled in by the widget.' })
export class WidgetString {
  @Field(() => String) key!: string;
  @Field(() => String) value!: string;
}

@ObjectType({ description: 'A way to earn points, from the program’s earning rules.' })
export class WidgetWayToEarn {
  @Field(() => WidgetEarnKind) kind!: WidgetEarnKind;
  @Field(() => Int) points!: number;
  @Field(() => Int, { nullable: true, description: 'Purchases: the spend, in whole units of the shop currency, that earns `points`.' }) spendAmount!: number | null;
}

@ObjectType({ description: 'Everything the storefront widget needs to render for this shop, in one language.' })
export class WidgetConfig {
  @Field(() => String, { description: 'The language of `strings`: the requested one when the shop offers it, else the default.' }) language!: string;
  @Field(() => String) defaultLanguage!: string;
  @Field(() => [String], { description: 'Languages shoppers can pick, default first.' }) languages!: string[];
  @Field(() => Boolean, { description: 'True for right-to-left languages.' }) rtl!: boolean;
  @Field(() => [WidgetString], { description: 'Every widget string: built-in defaults merged with the merchant’s translations.' }) strings!: WidgetString[];
  @Field(() => String) shopName!: string;
  @Field(() => String, { description: 'ISO 4217 code of the shop currency.' }) currency!: string;
  @Field(() => String) pointsCurrencySingular!: string;
  @Field(() => String) pointsCurrencyPlural!: string;
  @Field(() => WidgetBranding) branding!: WidgetBranding;
  @Field(() => [WidgetWayToEarn]) waysToEarn!: WidgetWayToEarn[];
}

@InputType({ description: 'Branding changes; omitted fields keep their value, null clears an optional one.' })
export class WidgetBrandingInput {
  @Field(() => String, { nullable: true, description: '`#rgb` or `#rrggbb`.' }) primaryColor?: string | null;
  @Field(() => String, { nullable: true }) primaryTextColor?: string | null;
  @Field(() => String, { nullable: true }) accentColor?: string | null;
  @Field(() => String, { nullable: true }) backgroundColor?: string | null;
  @Field(() => String, { nullable: true }) textColor?: string | null;
  @Field(() => WidgetLauncherPosition, { nullable: true }) launcherPosition?: WidgetLauncherPosition | null;
  @Field(() => String, { nullable: true, description: '1 to 40 characters; null goes back to the translated default.' }) launcherLabel?: string | null;
  @Field(() => WidgetLauncherIcon, { nullable: true }) launcherIcon?: WidgetLauncherIcon | null;
  @Field(() => WidgetPanelStyle, { nullable: true }) panelStyle?: WidgetPanelStyle | null;
}

@InputType({ description: 'The merchant’s wording of one widget string in one language.' })
export class WidgetTranslationInput {
  @Field(() => String) language!: string;
  @Field(() => String, { description: 'A widget string key such as `launcher.label`.' }) key!: string;
  @Field(() => String, { nullable: true, description: 'Null or empty removes the override.' }) value?: string | null;
}

@InputType()
export class WidgetSettingsUpdateInput {
  @Field(() => WidgetBrandingInput, { nullable: true }) branding?: WidgetBrandingInput | null;
  @Field(() => [String], { nullable: true, description: 'Languages shoppers can pick; each must be known to the widget.' }) languages?: string[] | null;
  @Field(() => String, { nullable: true }) defaultLanguage?: string | null;
  @Field(() => [WidgetTranslationInput], { nullable: true }) translations?: WidgetTranslationInput[] | null;
}

@ObjectType()
export class WidgetSettingsUpdatePayload {
  @Field(() => WidgetConfig, { nullable: true, description: 'The widget as shoppers now see it, in the default language.' }) widgetConfig?: WidgetConfig | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}
