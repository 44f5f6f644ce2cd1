import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badgeDefinitions, bonusCampaigns, merchants, newId, plans, programSettings, vipTiers, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { campaignsAt, merchantConfig } from './config';

/**
 * The cached merchant configuration against a real database: every kind of change, made the way
 * another process would make it (plain SQL, no call into this module), is seen on the next read.
 */
let h: DbHandle;
let merchantId: string;
const version = async () => (await h.db.select({ v: merchants.configVersion }).from(merchants).where(eq(merchants.id, merchantId)))[0].v;

beforeAll(async () => {
  h = await openTestDb();
  merchantId = newId('merchant');
  await h.db.insert(plans).values({ id: 'free', name: 'Free', basePriceMinor: 0 });
  await h.db.insert(merchants).values({ id: merchantId, shopDomain: 'config-cache.myshopify.com', name: 'Config cache', planId: 'free' });
  await h.db.insert(programSettings).values({
    merchantId,
    earning: { pointsPerCurrencyUnit: 1, base: 'subtotal_after_discounts', rounding: 'floor', signupPoints: 0, reviewPoints: 0, birthdayPoints: 0, approvalDays: 0 },
    referral: { enabled: false, advocatePoints: 0, friendDiscount: { kind: 'percentage', value: 10 }, completeOn: 'first_order', smsEnabled: false, emailEnabled: false, maxReferralsPerIpPerWeek: 10 },
  });
});
afterAll(async () => {
  await h?.close();
});

describe('merchant config', () => {
  it('moves the version on every change to the merchant, its program, tiers, campaigns and badges, and not on a no-op', async () => {
    let v = await version();
    const moved = async (what: string, change: () => Promise<unknown>) => {
      await change();
      const now = await version();
      expect(now, what).toBeGreaterThan(v);
      v = now;
    };
    await moved('merchant', () => h.db.update(merchants).set({ timezone: 'Europe/Paris' }).where(eq(merchants.id, merchantId)));
    await moved('program', () => h.db.update(programSettings).set({ pointsCurrencyPlural: 'Stars' }).where(eq(programSettings.merchantId, merchantId)));
    await moved('tier added', () => h.db.insert(vipTiers).values({ merchantId, id: 'tier_gold', name: 'Gold', thresholdKind: 'money_spent', thresholdValue: 10_000, position: 0 }));
    await moved('tier removed', () => h.db.delete(vipTiers).where(eq(vipTiers.merchantId, merchantId)));
    await moved('campaign', () => h.db.insert(bonusCampaigns).values({ merchantId, id: 'camp_x', name: 'Double', type: 'multiplier', multiplierBp: 20_000, status: 'active', startsAt: new Date('2026-01-01T00:00:00Z') }));
    await moved('badge', () => h.db.insert(badgeDefinitions).values({ merchantId, id: 'badge_x', key: 'first', name: 'First order', rule: { kind: 'orders_count', threshold: 1 } }));
    await h.rows(sql`update merchants set timezone = timezone where id = ${merchantId}`);
    expect(await version()).toBe(v);
  });

  it('serves the cached configuration until it changes, then the new one', async () => {
    const first = await merchantConfig(h.db, merchantId);
    expect(first?.program?.pointsCurrencyPlural).toBe('Stars');
    expect(await merchantConfig(h.db, merchantId)).toBe(first);

    await h.rows(sql`update program_settings set points_currency_plural = 'Gems' where merchant_id = ${merchantId}`);
    await h.rows(sql`insert into vip_tiers (merchant_id, id, name, threshold_kind, threshold_value, position) values (${merchantId}, 'tier_silver', 'Silver', 'money_spent', 5000, 0)`);
    const next = await merchantConfig(h.db, merchantId);
    expect(next).not.toBe(first);
    expect(next?.program?.pointsCurrencyPlural).toBe('Gems');
    expect(next?.tiers.map((t) => t.name)).toEqual(['Silver']);
    expect(next?.badges.map((b) => b.name)).toEqual(['First order']);
  });

  it('reads the version once per transaction and sees campaigns by the time an order was placed', async () => {
    const soon = new Date(Date.now() + 30 * 86_400_000);
    await h.rows(sql`update bonus_campaigns set ends_at = ${soon.toISOString()}::timestamptz where merchant_id = ${merchantId} and id = 'camp_x'`);
    // Ended long before any order still in flight could have been placed: not kept.
    await h.rows(sql`insert into bonus_campaigns (merchant_id, id, name, type, multiplier_bp, status, starts_at, ends_at)
      values (${merchantId}, 'camp_old', 'Old', 'multiplier', 20000, 'ended', '2020-01-01T00:00:00Z', '2020-02-01T00:00:00Z')`);
    await h.db.transaction(async (tx) => {
      const a = await merchantConfig(tx, merchantId);
      const b = await merchantConfig(tx, merchantId);
      expect(b).toBe(a);
      expect(campaignsAt(a!, new Date('2026-03-01T00:00:00Z')).map((c) => c.id)).toEqual(['camp_x']);
      expect(campaignsAt(a!, new Date(soon.getTime() + 1))).toEqual([]);
      expect(a!.campaigns.map((c) => c.id)).toEqual(['camp_x']);
      expect(campaignsAt(a!, new Date('2025-12-31T00:00:00Z'))).toEqual([]);
    });
  });

  it('answers null for a merchant that does not exist', async () => {
    expect(await merchantConfig(h.db, newId('merchant'))).toBeNull();
  });
});
