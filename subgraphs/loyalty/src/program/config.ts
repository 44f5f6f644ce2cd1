import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { badgeDefinitions, bonusCampaigns, merchants, programSettings, txRoot, vipTiers, type BadgeRule, type DbOrTx } from '@herethere/db';

export type MerchantRow = typeof merchants.$inferSelect;
export type ProgramRow = typeof programSettings.$inferSelect;
export type TierRow = typeof vipTiers.$inferSelect;
export type CampaignRow = typeof bonusCampaigns.$inferSelect;

/**
 * Everything the earning path needs to know about a merchant's setup: the shop, its program,
 * tiers, the campaigns an order can still fall under, and the badges that can be earned.
 */
export interface MerchantConfig {
  version: number;
  merchant: MerchantRow;
  program: ProgramRow | null;
  tiers: TierRow[];
  campaigns: CampaignRow[];
  badges: { id: string; name: string; rule: BadgeRule }[];
}

/** Ended campaigns are kept this long for late webhooks of orders placed while they ran. */
const ENDED_CAMPAIGN_DAYS = 90;
const CACHE_LIMIT = 10_000;

const cache = new Map<string, MerchantConfig>();
/** One version check per merchant per transaction, however many listeners ask. */
const perTransaction = new WeakMap<object, Map<string, Promise<MerchantConfig | null>>>();

const isTransaction = (db: DbOrTx): boolean => typeof (db as { rollback?: unknown }).rollback === 'function';

async function load(db: DbOrTx, merchantId: string): Promise<MerchantConfig | null> {
  const [row] = await db
    .select({ merchant: merchants, program: programSettings })
    .from(merchants)
    .leftJoin(programSettings, eq(programSettings.merchantId, merchants.id))
    .where(eq(merchants.id, merchantId));
  if (!row) return null;
  // Read after the merchant row, so these are at least as new as the version they are filed under.
  const [tiers, campaigns, badges] = [
    await db.select().from(vipTiers).where(eq(vipTiers.merchantId, merchantId)).orderBy(asc(vipTiers.position)),
    await db.select().from(bonusCampaigns).where(and(
      eq(bonusCampaigns.merchantId, merchantId),
      inArray(bonusCampaigns.status, ['scheduled', 'active', 'ended']),
      or(isNull(bonusCampaigns.endsAt), gt(bonusCampaigns.endsAt, sql`now() - (${ENDED_CAMPAIGN_DAYS}::int * interval '1 day')`)),
    )),
    await db.select({ id: badgeDefinitions.id, name: badgeDefinitions.name, rule: badgeDefinitions.rule }).from(badgeDefinitions)
      .where(and(eq(badgeDefinitions.merchantId, merchantId), eq(badgeDefinitions.enabled, true), sql`${badgeDefinitions.rule}->>'kind' <> 'tier_reached'`)),
  ];
  return { version: row.merchant.configVersion, merchant: row.merchant, program: row.program, tiers, campaigns, badges };
}

/** The merchant's configuration, checked against its `config_version` now. */
async function currentConfig(db: DbOrTx, merchantId: string): Promise<MerchantConfig | null> {
  const [current] = await db.select({ version: merchants.configVersion }).from(merchants).where(eq(merchants.id, merchantId));
  if (!current) {
    cache.delete(merchantId);
    return null;
  }
  const cached = cache.get(merchantId);
  const config = cached && cached.version === current.version ? cached : await load(db, merchantId);
  if (config && config !== cached) remember(merchantId, config);
  return config;
}

/**
 * The merchant's configuration, served from this process's memory while the merchant's
 * `config_version` (moved by database triggers on every change) says it is current. Costs one
 * indexed read per transaction instead of one query per listener per order; handlers running side
 * by side in one transaction (each with a view of it) share that read.
 */
export function merchantConfig(db: DbOrTx, merchantId: string): Promise<MerchantConfig | null> {
  if (!isTransaction(db)) return currentConfig(db, merchantId);
  const tx = txRoot(db);
  let memo = perTransaction.get(tx);
  if (!memo) perTransaction.set(tx, (memo = new Map()));
  let config = memo.get(merchantId);
  if (!config) memo.set(merchantId, (config = currentConfig(db, merchantId)));
  return config;
}

function remember(merchantId: string, config: MerchantConfig) {
  const cached = cache.get(merchantId);
  // Two transactions may load at once; the newer version wins.
  if (cached && cached.version > config.version) return;
  cache.delete(merchantId);
  cache.set(merchantId, config);
  if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
}

/** Campaigns an order placed at `at` falls under: scheduled, active, or ended after it was placed. */
export const campaignsAt = (config: MerchantConfig, at: Date): CampaignRow[] =>
  config.campaigns.filter((c) => c.startsAt <= at && (!c.endsAt || c.endsAt > at));
