import { sql } from 'drizzle-orm';
import { boolean, check, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, currency, minor, tstz, updatedAt } from './columns';

/** Billing plans are platform reference data (not tenant-owned). */
export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** Monthly orders the plan covers; null means unlimited. */
  orderLimit: integer('order_limit'),
  basePriceMinor: minor('base_price_minor').notNull(),
  currency: currency().notNull().default('USD'),
  features: jsonb('features').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  active: boolean('active').notNull().default(true),
  createdAt: createdAt(),
}, (t) => [check('plans_price_nonneg', sql`${t.basePriceMinor} >= 0`)]);

export type MerchantStatus = 'active' | 'uninstalled' | 'redacted';

export interface BrandSettings {
  primaryColor?: string;
  accentColor?: string;
  launcherPosition?: 'bottom-right' | 'bottom-left';
  launcherLabel?: string;
  launcherIcon?: string;
  panelStyle?: 'light' | 'dark';
}

/** The tenant root. Its own id is the merchant_id every other tenant row leads with. */
export const merchants = pgTable('merchants', {
  id: text('id').primaryKey(),
  shopDomain: text('shop_domain').notNull(),
  name: text('name').notNull(),
  planId: text('plan_id').notNull().references(() => plans.id),
  currency: currency().notNull().default('USD'),
  timezone: text('timezone').notNull().default('UTC'),
  defaultLanguage: text('default_language').notNull().default('en'),
  languages: jsonb('languages').$type<string[]>().notNull().default(sql`'["en"]'::jsonb`),
  status: text('status').$type<MerchantStatus>().notNull().default('active'),
  /** Offline Admin API token; sealed with the app's encryption key before it is stored. */
  accessTokenSealed: text('access_token_sealed'),
  scopes: text('scopes'),
  brandSettings: jsonb('brand_settings').$type<BrandSettings>().notNull().default(sql`'{}'::jsonb`),
  /**
   * Bumped by database triggers whenever the merchant row or its program, tiers, campaigns or badge
   * definitions change, so a process may cache that configuration and check it with one read.
   */
  configVersion: integer('config_version').notNull().default(0),
  installedAt: tstz('installed_at').notNull().defaultNow(),
  uninstalledAt: tstz('uninstalled_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('merchants_shopify_domain_key').on(t.shopDomain),
  check('merchants_status_valid', sql`${t.status} in ('active','uninstalled','redacted')`),
  check('merchants_domain_format', sql`${t.shopDomain} ~ '^[a-z0-9][a-z0-9-]*\\.myshopify\\.com$'`),
]);

export interface EarningRules {
  /** Points per one major unit of shop currency (e.g. 1 point per $1). */
  pointsPerCurrencyUnit: number;
  base: 'subtotal_after_discounts' | 'total';
  rounding: 'floor' | 'round' | 'ceil';
  signupPoints: number;
  reviewPoints: number;
  birthdayPoints: number;
  /** Days purchase points stay pending before they can be spent; 0 posts at once. */
  approvalDays: number;
}

export interface ExpiryPolicy {
  kind: 'none' | 'inactivity' | 'rolling';
  months?: number;
  reminderDays?: number;
}

export interface ReferralSettings {
  enabled: boolean;
  advocatePoints: number;
  friendDiscount: { kind: 'percentage' | 'fixed_amount'; value: number };
  completeOn: 'first_order' | 'signup';
  smsEnabled: boolean;
  emailEnabled: boolean;
  maxReferralsPerIpPerWeek: number;
}

export interface RfmThresholds {
  recencyDays: [number, number, number, number];
  frequency: [number, number, number, number];
  monetaryMinor: [number, number, number, number];
}

/** One row per merchant: the program's rules, branding and on-site content. */
export const programSettings = pgTable('program_settings', {
  merchantId: text('merchant_id').primaryKey().references(() => merchants.id),
  enabled: boolean('enabled').notNull().default(true),
  pointsCurrencySingular: text('points_currency_singular').notNull().default('Point'),
  pointsCurrencyPlural: text('points_currency_plural').notNull().default('Points'),
  earning: jsonb('earning').$type<EarningRules>().notNull(),
  expiry: jsonb('expiry').$type<ExpiryPolicy>().notNull().default(sql`'{"kind":"none"}'::jsonb`),
  referral: jsonb('referral').$type<ReferralSettings>().notNull(),
  rfmThresholds: jsonb('rfm_thresholds').$type<RfmThresholds | null>(),
  setupTasksCompleted: jsonb('setup_tasks_completed').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** Loyalty page, launcher, popups, sticky bar. */
  content: jsonb('content').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  checkout: jsonb('checkout').$type<{ enabled: boolean; showRedeem: boolean }>().notNull().default(sql`'{"enabled":false,"showRedeem":false}'::jsonb`),
  translations: jsonb('translations').$type<Record<string, Record<string, string>>>().notNull().default(sql`'{}'::jsonb`),
  tierStackingPolicy: text('tier_stacking_policy').$type<'multiply' | 'max'>().notNull().default('multiply'),
  updatedAt: updatedAt(),
});
