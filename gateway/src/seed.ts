import { and, eq } from 'drizzle-orm';
import { customers, merchants, newId, plans, programSettings, type Db } from '@herethere/db';
import { post } from '@herethere/loyalty';
import { seedDemoRewards } from '@herethere/merchant-config';
import type { Deps } from '@herethere/runtime';

export const DEMO_SHOP = 'demo-shop.myshopify.com';

export const PLANS = [
  { id: 'free', name: 'Free', orderLimit: 200, basePriceMinor: 0, features: ['points', 'referrals'] },
  { id: 'growth', name: 'Growth', orderLimit: 1000, basePriceMinor: 2900, features: ['points', 'referrals', 'vip_tiers', 'nudges'] },
  { id: 'plus', name: 'Plus', orderLimit: null, basePriceMinor: 19900, features: ['points', 'referrals', 'vip_tiers', 'nudges', 'campaigns', 'developer_api', 'exports'] },
];

export const DEFAULT_EARNING = { pointsPerCurrencyUnit: 1, base: 'subtotal_after_discounts', rounding: 'floor', signupPoints: 200, reviewPoints: 100, birthdayPoints: 200, approvalDays: 0 } as const;
export const DEFAULT_REFERRAL = { enabled: true, advocatePoints: 500, friendDiscount: { kind: 'percentage', value: 10 }, completeOn: 'first_order', smsEnabled: false, emailEnabled: true, maxReferralsPerIpPerWeek: 10 } as const;

export async function seedPlans(db: Db): Promise<void> {
  await db.insert(plans).values(PLANS).onConflictDoNothing();
}

/** Installs a shop with default program settings; returns its merchant id (existing or new). */
export async function installShop(db: Db, shopDomain: string, opts: { name?: string; currency?: string; planId?: string } = {}): Promise<string> {
  await seedPlans(db);
  const [existing] = await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.shopDomain, shopDomain));
  if (existing) return existing.id;
  const id = newId('merchant');
  await db.transaction(async (tx) => {
    await tx.insert(merchants).values({ id, shopDomain, name: opts.name ?? shopDomain.split('.')[0], planId: opts.planId ?? 'free', currency: opts.currency ?? 'USD' });
    await tx.insert(programSettings).values({ merchantId: id, earning: { ...DEFAULT_EARNING }, referral: { ...DEFAULT_REFERRAL, friendDiscount: { ...DEFAULT_REFERRAL.friendDiscount } } });
  });
  return id;
}

const DEMO_CUSTOMERS = [
  { shopifyCustomerId: '1001', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', points: 1250 },
  { shopifyCustomerId: '1002', email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper', points: 480 },
  { shopifyCustomerId: '1003', email: 'alan@example.com', firstName: 'Alan', lastName: 'Turing', points: 200 },
  { shopifyCustomerId: '1004', email: 'katherine@example.com', firstName: 'Katherine', lastName: 'Johnson', points: 3100 },
  { shopifyCustomerId: '1005', email: 'edsger@example.com', firstName: 'Edsger', lastName: 'Dijkstra', points: 0 },
];

/** The embedded default's demo: one shop, five customers with some history. Idempotent. */
export async function seedDemo(deps: Deps): Promise<{ merchantId: string }> {
  const db = deps.db.db;
  const merchantId = await installShop(db, DEMO_SHOP, { name: 'Demo Shop', planId: 'growth' });
  await seedDemoRewards(db, merchantId);
  await db.update(programSettings).set({ pointsCurrencySingular: 'Star', pointsCurrencyPlural: 'Stars' }).where(and(eq(programSettings.merchantId, merchantId), eq(programSettings.pointsCurrencyPlural, 'Points')));
  for (const c of DEMO_CUSTOMERS) {
    const { points, ...profile } = c;
    const id = newId('customer');
    const inserted = await db
      .insert(customers)
      .values({ merchantId, id, ...profile, emailNormalized: profile.email })
      .onConflictDoNothing()
      .returning({ id: customers.id });
    if (!inserted.length) continue;
    await post(deps, { merchantId, customerId: id, type: 'signup', points: 200, reason: 'Joined the program', source: 'system', idempotencyKey: `seed:signup:${c.shopifyCustomerId}`, actor: 'system:seed' });
    if (points > 200) {
      await post(deps, { merchantId, customerId: id, type: 'purchase', points: points - 200, reason: 'Demo order', source: 'order', orderId: `demo-${c.shopifyCustomerId}`, idempotencyKey: `seed:order:${c.shopifyCustomerId}`, actor: 'system:seed' });
    }
  }
  return { merchantId };
}
