import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers, merchants, newId, plans, programSettings, referralLinks, rewardRedemptions, rewards, rewardSettings, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { createLogger, createMemoryCache, createMemoryPubSub, testConfig, type Deps } from '@herethere/runtime';
import { post } from '../ledger/post';
import { completeReferralForOrder } from '../referral/service';
import { applyFullRefundToRedemptions, markRedemptionsUsed } from './service';

/** The order hooks, called directly (the orders/paid processor calls them the same way). */
let db: DbHandle;
let deps: Deps;
const merchantId = newId('merchant');
const advocate = newId('customer');
const friend = newId('customer');
const rewardId = newId('reward');

beforeAll(async () => {
  db = await openTestDb();
  deps = { config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
  await db.db.insert(plans).values({ id: 'free', name: 'Free', basePriceMinor: 0 });
  await db.db.insert(merchants).values({ id: merchantId, shopDomain: 'hooks.myshopify.com', name: 'Hooks', planId: 'free' });
  await db.db.insert(programSettings).values({
    merchantId,
    earning: { pointsPerCurrencyUnit: 1, base: 'subtotal_after_discounts', rounding: 'floor', signupPoints: 0, reviewPoints: 0, birthdayPoints: 0, approvalDays: 0 },
    referral: { enabled: true, advocatePoints: 300, friendDiscount: { kind: 'percentage', value: 10 }, completeOn: 'first_order', smsEnabled: false, emailEnabled: true, maxReferralsPerIpPerWeek: 10 },
  });
  await db.db.insert(customers).values([
    { merchantId, id: advocate, shopifyCustomerId: '1', email: 'adv@example.com' },
    { merchantId, id: friend, shopifyCustomerId: '2', email: 'friend@example.com' },
  ]);
  await db.db.insert(rewards).values({ merchantId, id: rewardId, kind: 'fixed_amount', name: '$5', pointsCost: 100, valueMinor: 500, currency: 'USD' });
  await post(deps, { merchantId, customerId: advocate, type: 'admin_adjust', points: 100, reason: 'seed', source: 'admin', idempotencyKey: 'seed', actor: 'test' });
  await post(deps, { merchantId, customerId: advocate, type: 'redemption', points: -100, reason: 'Redeemed $5', source: 'redemption', idempotencyKey: 'r1', actor: 'test' });
  await db.db.insert(rewardRedemptions).values({ merchantId, id: newId('redemption'), customerId: advocate, rewardId, pointsSpent: 100, valueMinor: 500, currency: 'USD', discountCode: 'HT-USED-CODE-0001-0001', status: 'issued', idempotencyKey: 'k1' });
  await db.db.insert(referralLinks).values({ merchantId, id: newId('referralLink'), advocateCustomerId: advocate, referralCode: 'HOOKSCODE123' });
});
afterAll(() => db?.close());

const balance = async (id: string) => Number((await db.rows<{ b: number }>(sql`select points_balance as b from customers where id = ${id}`))[0].b);

describe('order hooks', () => {
  it('markRedemptionsUsed marks our codes (any case) used, once', async () => {
    const first = await db.db.transaction((tx) => markRedemptionsUsed(tx, deps, { merchantId, orderId: '5001', discountCodes: ['ht-used-code-0001-0001', 'SOMEONE-ELSES'], customerId: advocate }));
    expect(first.map((r) => [r.status, r.usedOrderId])).toEqual([['used', '5001']]);
    const again = await db.db.transaction((tx) => markRedemptionsUsed(tx, deps, { merchantId, orderId: '5001', discountCodes: ['HT-USED-CODE-0001-0001'] }));
    expect(again).toEqual([]);
    const other = await db.db.transaction((tx) => markRedemptionsUsed(tx, deps, { merchantId: newId('merchant'), orderId: '1', discountCodes: ['HT-USED-CODE-0001-0001'] }));
    expect(other).toEqual([]);
  });

  it('a full refund keeps the points under `keep`, returns them under `restore_points`', async () => {
    expect(await db.db.transaction((tx) => applyFullRefundToRedemptions(tx, deps, { merchantId, orderId: '5001' }))).toEqual([]);
    expect(await balance(advocate)).toBe(0);
    await db.db.insert(rewardSettings).values({ merchantId, usedRewardOnFullRefund: 'restore_points' });
    const entries = await db.db.transaction((tx) => applyFullRefundToRedemptions(tx, deps, { merchantId, orderId: '5001' }));
    expect(entries.map((e) => [e.type, e.points])).toEqual([['redemption_void', 100]]);
    expect(await balance(advocate)).toBe(100);
    expect(await db.db.transaction((tx) => applyFullRefundToRedemptions(tx, deps, { merchantId, orderId: '5001' }))).toEqual([]);
  });

  it('completeReferralForOrder completes on the first paid order and pays the advocate once', async () => {
    const input = { merchantId, customerId: friend, orderId: '6001', referralCode: 'hookscode123', email: 'friend@example.com', shippingAddress: { address1: '9 Far Lane', city: 'Away', zip: '99999', country_code: 'US' }, landingIp: '192.0.2.1' };
    const done = await db.db.transaction((tx) => completeReferralForOrder(tx, deps, input));
    expect(done.outcome).toBe('completed');
    expect(done.entries.map((e) => [e.customerId, e.type, e.points])).toEqual([[advocate, 'referral', 300]]);
    const again = await db.db.transaction((tx) => completeReferralForOrder(tx, deps, { ...input, orderId: '6002' }));
    expect(again.outcome).toBe('none');
    expect(await balance(advocate)).toBe(400);
  });

  it('without attribution it only remembers the customer’s (hashed) details', async () => {
    const r = await db.db.transaction((tx) => completeReferralForOrder(tx, deps, { merchantId, customerId: advocate, orderId: '7001', email: 'adv@example.com', phone: '+1 555 010 0000' }));
    expect(r.outcome).toBe('none');
    const prints = await db.rows<{ kind: string; value_hash: string }>(sql`select kind, value_hash from customer_fingerprints where customer_id = ${advocate} order by kind`);
    expect(prints.map((p) => p.kind)).toEqual(['email', 'phone']);
    expect(prints.every((p) => /^[0-9a-f]{64}$/.test(p.value_hash))).toBe(true);
  });

  it('counts an advocate’s details recorded earlier in the same transaction (one inbox batch) against a self-referral', async () => {
    const friend2 = newId('customer');
    await db.db.insert(customers).values({ merchantId, id: friend2, shopifyCustomerId: '3', email: 'second@example.com' });
    const home = { address1: '1 Shared Street', city: 'Sameville', zip: '12345', country_code: 'US' };
    const result = await db.db.transaction(async (tx) => {
      await completeReferralForOrder(tx, deps, { merchantId, customerId: advocate, orderId: '7101', email: 'adv@example.com', shippingAddress: home });
      return completeReferralForOrder(tx, deps, { merchantId, customerId: friend2, orderId: '7102', referralCode: 'HOOKSCODE123', email: 'second@example.com', shippingAddress: home, landingIp: '192.0.2.9' });
    });
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toMatch(/address/i);
    const prints = await db.rows<{ kind: string }>(sql`select kind from customer_fingerprints where customer_id = ${advocate} order by kind`);
    expect(prints.map((p) => p.kind)).toEqual(['address', 'email', 'phone']);
  });
});
