import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, drained, orderPayload } from '../support/shopify';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
const SHOP = 'cache-shop.myshopify.com';

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
});
afterAll(() => stack?.stop());

describe('cached balances', () => {
  it('never serve a balance older than the reader’s own committed change, under concurrent readers', async () => {
    const { token, customerId } = await customerToken(stack, SHOP, merchantId, '77');
    const mtoken = await merchantToken(stack.config, SHOP);
    let expected = 0;
    const stop = { now: false };
    // Background readers keep filling the cache with whatever they read.
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop.now) await gql(stack.url, token, '{ me { pointsBalance } }');
    });
    for (let i = 1; i <= 15; i++) {
      const res = await gql<{ pointsAdjust: { customer: { pointsBalance: number } } }>(stack.url, mtoken,
        'mutation($i: PointsAdjustInput!) { pointsAdjust(input: $i) { customer { pointsBalance } } }', { i: { customerId, points: i, reason: 'Top-up', idempotencyKey: `cache-${i}` } });
      expected += i;
      expect(res.body.data!.pointsAdjust.customer.pointsBalance).toBe(expected);
      const me = await gql<{ me: { pointsBalance: number } }>(stack.url, token, '{ me { pointsBalance } }');
      expect(me.body.data!.me.pointsBalance).toBe(expected);
    }
    stop.now = true;
    await Promise.all(readers);
  });

  it('after each paid order is processed, a reader sees its points and its order count, under concurrent readers', async () => {
    const { token } = await customerToken(stack, SHOP, merchantId, '78');
    const stop = { now: false };
    const readers = Array.from({ length: 4 }, async () => {
      while (!stop.now) await gql(stack.url, token, '{ me { pointsBalance ordersCount } }');
    });
    for (let i = 1; i <= 8; i++) {
      await deliver(stack, SHOP, 'orders/paid', orderPayload({ id: 780_000 + i, customerId: 78, lines: [{ price: '10.00' }] }));
      await drained(stack);
      const me = await gql<{ me: { pointsBalance: number; ordersCount: number } }>(stack.url, token, '{ me { pointsBalance ordersCount } }');
      expect(me.body.data!.me).toEqual({ pointsBalance: 10 * i, ordersCount: i });
    }
    stop.now = true;
    await Promise.all(readers);
  });
});
