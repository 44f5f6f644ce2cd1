import { readdirSync } from 'node:fs';
import { MIGRATIONS_FOLDER } from './migrate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from './client';
import { newId } from './ids';
import { bonusCampaigns, customers, merchants, plans, pointsTransactions, rewardRedemptions, rewards, vipTiers } from './schema/index';
import { openTestDb } from './testing';

const SPEC_TABLES = [
  'merchants', 'plans', 'program_settings', 'customers', 'points_transactions', 'rewards', 'reward_redemptions',
  'referral_links', 'referrals', 'vip_tiers', 'nudges', 'nudge_events', 'gamification_achievements',
  'badge_definitions', 'email_templates', 'email_events', 'customer_segments', 'bonus_campaigns', 'integrations',
  'api_logs', 'audit_logs', 'admin_users', 'import_logs', 'webhook_inbox', 'idempotency_records',
  'notification_outbox', 'admin_sessions', 'api_keys',
];

/** Platform tables: not owned by a merchant, so exempt from the merchant-led key rule. */
const PLATFORM_TABLES = new Set(['plans', 'merchants', 'admin_users', 'admin_sessions', 'audit_logs']);

const SPEC_INDEXES = [
  'idx_customers_email', 'idx_points_transactions_customer_id', 'idx_reward_redemptions_customer_id',
  'idx_referral_links_referral_code', 'merchants_shopify_domain_key',
];

/** The database error behind a rejected query (drizzle may wrap it in `cause`). */
async function dbError(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (err) {
    let e = err as { code?: string; message?: string; cause?: unknown };
    while (!e.code && e.cause) e = e.cause as typeof e;
    return { code: e.code, message: String(e.message ?? err) };
  }
  throw new Error('expected the database to refuse the statement');
}

describe('schema', () => {
  let h: DbHandle;
  const merchantId = newId('merchant');
  const customerId = newId('customer');
  let seq = 0;

  const entry = (over: Partial<typeof pointsTransactions.$inferInsert> = {}): typeof pointsTransactions.$inferInsert => {
    seq += 1;
    return {
      merchantId, id: newId('transaction'), customerId, type: 'signup', points: 100, balanceAfter: 100,
      reason: 'test', source: 'system', idempotencyKey: `key-${seq}`, actor: 'system',
      seq, prevHash: '', hash: `h${seq}`, ...over,
    };
  };

  beforeAll(async () => {
    h = await openTestDb();
    const planId = newId('plan');
    await h.db.insert(plans).values({ id: planId, name: 'Free', basePriceMinor: 0 });
    await h.db.insert(merchants).values({ id: merchantId, shopDomain: 'schema-test.myshopify.com', name: 'Schema test', planId });
    await h.db.insert(customers).values({ merchantId, id: customerId, email: 'Ada@Example.com' });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('applies the migrations', async () => {
    const [row] = await h.rows<{ n: number }>(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    // Every committed migration file is recorded once.
    const files = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql'));
    expect(Number(row.n)).toBe(files.length);
  });

  it('has every table the spec names', async () => {
    const rows = await h.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const present = new Set(rows.map((r) => r.table_name));
    expect(SPEC_TABLES.filter((t) => !present.has(t))).toEqual([]);
  });

  it('leads every tenant primary key and unique index with merchant_id', async () => {
    const keys = await h.rows<{ table_name: string; index_name: string; is_primary: boolean; first_column: string }>(sql`
      select c.relname as table_name, i.relname as index_name, x.indisprimary as is_primary,
             coalesce(a.attname, '(expression)') as first_column
      from pg_index x
      join pg_class c on c.oid = x.indrelid
      join pg_class i on i.oid = x.indexrelid
      join pg_namespace n on n.oid = c.relnamespace
      left join pg_attribute a on a.attrelid = c.oid and a.attnum = x.indkey[0]
      where n.nspname = 'public' and (x.indisprimary or x.indisunique)`);
    const tables = await h.rows<{ table_name: string }>(
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
    );
    const tenantTables = tables.map((t) => t.table_name).filter((t) => !PLATFORM_TABLES.has(t));
    expect(tenantTables.length).toBeGreaterThanOrEqual(SPEC_TABLES.length - PLATFORM_TABLES.size);

    const withPk = new Set(keys.filter((k) => k.is_primary).map((k) => k.table_name));
    expect(tenantTables.filter((t) => !withPk.has(t))).toEqual([]);
    const offenders = keys
      .filter((k) => !PLATFORM_TABLES.has(k.table_name) && k.first_column !== 'merchant_id')
      .map((k) => `${k.table_name}.${k.index_name}`);
    expect(offenders).toEqual([]);
  });

  it('has the indexes the spec names', async () => {
    const rows = await h.rows<{ indexname: string }>(sql`select indexname from pg_indexes where schemaname = 'public'`);
    const present = new Set(rows.map((r) => r.indexname));
    expect(SPEC_INDEXES.filter((i) => !present.has(i))).toEqual([]);
  });

  it('refuses a duplicate ledger idempotency key', async () => {
    await h.db.insert(pointsTransactions).values(entry({ idempotencyKey: 'order-1001-paid' }));
    const err = await dbError(h.db.insert(pointsTransactions).values(entry({ idempotencyKey: 'order-1001-paid' })));
    expect(err.code).toBe('23505');
    expect(err.message).toContain('points_transactions_idempotency_key');
  });

  it('refuses UPDATE and DELETE on points_transactions', async () => {
    const row = entry();
    await h.db.insert(pointsTransactions).values(row);
    const upd = await dbError(h.rows(sql`update points_transactions set points = 1 where merchant_id = ${merchantId} and id = ${row.id}`));
    expect(upd.message).toContain('points_transactions is append-only');
    const del = await dbError(h.rows(sql`delete from points_transactions where merchant_id = ${merchantId} and id = ${row.id}`));
    expect(del.message).toContain('points_transactions is append-only');
    const [still] = await h.rows<{ points: number }>(sql`select points from points_transactions where merchant_id = ${merchantId} and id = ${row.id}`);
    expect(still.points).toBe(100);
  });

  it('refuses a redemption that takes the balance below zero, but allows a refund clawback to', async () => {
    const err = await dbError(h.db.insert(pointsTransactions).values(entry({ type: 'redemption', points: -500, balanceAfter: -400 })));
    expect(err.code).toBe('23514');
    expect(err.message).toContain('points_transactions_no_negative_balance');
    await h.db.insert(pointsTransactions).values(entry({ type: 'refund_clawback', points: -500, balanceAfter: -400 }));
  });

  it('enforces the closed sets and ranges of the loyalty tables', async () => {
    const tier = { merchantId, name: 'Gold', thresholdKind: 'money_spent' as const, thresholdValue: 50_000, position: 1 };
    expect((await dbError(h.db.insert(vipTiers).values({ ...tier, id: newId('vipTier'), earningMultiplierBp: 0 }))).code).toBe('23514');
    expect((await dbError(h.db.insert(vipTiers).values({ ...tier, id: newId('vipTier'), earningMultiplierBp: 100_001 }))).code).toBe('23514');
    await h.db.insert(vipTiers).values({ ...tier, id: newId('vipTier'), earningMultiplierBp: 15_000 });

    const starts = new Date('2025-01-01T00:00:00Z');
    const campaign = { merchantId, name: 'Double', type: 'multiplier' as const, multiplierBp: 20_000, startsAt: starts };
    const bad = await dbError(h.db.insert(bonusCampaigns).values({ ...campaign, id: newId('campaign'), endsAt: starts }));
    expect(bad.message + bad.code).toMatch(/bonus_campaigns_window|23514/);
    await h.db.insert(bonusCampaigns).values({ ...campaign, id: newId('campaign'), endsAt: new Date('2025-01-03T00:00:00Z') });

    const rewardId = newId('reward');
    await h.db.insert(rewards).values({ merchantId, id: rewardId, kind: 'fixed_amount', name: '$5 off', pointsCost: 500, valueMinor: 500, currency: 'USD' });
    expect((await dbError(h.db.insert(rewards).values({ merchantId, id: newId('reward'), kind: 'fixed_amount', name: 'no value', pointsCost: 1, currency: 'USD' }))).code).toBe('23514');
    const redemption = { merchantId, customerId, rewardId, pointsSpent: 500, valueMinor: 500, currency: 'USD', idempotencyKey: 'redeem-1' };
    await h.db.insert(rewardRedemptions).values({ ...redemption, id: newId('redemption') });
    expect((await dbError(h.db.insert(rewardRedemptions).values({ ...redemption, id: newId('redemption') }))).code).toBe('23505');
  });

  it('finds customers by email through the merchant-scoped index expression', async () => {
    const rows = await h.rows<{ id: string }>(sql`select id from customers where merchant_id = ${merchantId} and lower(email) = 'ada@example.com'`);
    expect(rows.map((r) => r.id)).toEqual([customerId]);
  });
});
