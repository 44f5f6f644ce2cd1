import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let shopA: string;
let shopB: string;

beforeAll(async () => {
  stack = await startStack();
  shopA = await install(stack, 'alpha-shop.myshopify.com');
  shopB = await install(stack, 'bravo-shop.myshopify.com');
});
afterAll(() => stack?.stop());

describe('one request, fields from several subgraphs', () => {
  it('resolves Merchant from merchant-config, loyalty, analytics and admin in one query', async () => {
    const { customerId } = await customerToken(stack, 'alpha-shop.myshopify.com', shopA, '42');
    const token = await merchantToken(stack.config, 'alpha-shop.myshopify.com');
    const adjust = await gql(stack.url, token, `mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { transaction { points balanceAfter } userErrors { code message } } }`, {
      input: { customerId, points: 150, reason: 'Welcome gift', idempotencyKey: 'welcome-42' },
    });
    expect(adjust.body.errors).toBeUndefined();
    const { status, body } = await gql<{ shop: Record<string, unknown> }>(
      stack.url,
      token,
      `{ shop { id shopDomain currency plan { id } metrics { members pointsIssued } customers(first: 5) { nodes { id pointsBalance rfm { segment } } } } }`,
    );
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.shop).toMatchObject({
      id: shopA,
      shopDomain: 'alpha-shop.myshopify.com', // merchant-config
      plan: { id: 'free' }, // admin
      metrics: { members: 1, pointsIssued: 150 }, // analytics
      customers: { nodes: [{ id: customerId, pointsBalance: 150, rfm: null }] }, // loyalty + analytics
    });
  });

  it('resolves Customer fields from loyalty and analytics for the signed-in customer', async () => {
    const { token, customerId } = await customerToken(stack, 'alpha-shop.myshopify.com', shopA, '43');
    const { body } = await gql<{ me: { id: string; pointsBalance: number; rfm: null } }>(stack.url, token, '{ me { id pointsBalance rfm { recency } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data!.me).toEqual({ id: customerId, pointsBalance: 0, rfm: null });
  });
});

describe('tenancy', () => {
  it('merchant A asking for merchant B’s customer by id gets not found, not the customer', async () => {
    const { customerId: bCustomer } = await customerToken(stack, 'bravo-shop.myshopify.com', shopB, '7');
    const tokenA = await merchantToken(stack.config, 'alpha-shop.myshopify.com');
    const { body } = await gql<{ customer: unknown }>(stack.url, tokenA, 'query($id: ID!) { customer(id: $id) { id email pointsBalance } }', { id: bCustomer });
    expect(body.errors).toBeUndefined();
    expect(body.data!.customer).toBeNull();
    const tokenB = await merchantToken(stack.config, 'bravo-shop.myshopify.com');
    const own = await gql<{ customer: { id: string } }>(stack.url, tokenB, 'query($id: ID!) { customer(id: $id) { id } }', { id: bCustomer });
    expect(own.body.data!.customer.id).toBe(bCustomer);
  });

  it('merchant A cannot adjust merchant B’s customer; nothing is written', async () => {
    const { customerId: bCustomer } = await customerToken(stack, 'bravo-shop.myshopify.com', shopB, '8');
    const tokenA = await merchantToken(stack.config, 'alpha-shop.myshopify.com');
    const { body } = await gql<{ pointsAdjust: { userErrors: { code: string }[] } }>(
      stack.url, tokenA,
      'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { transaction { id } userErrors { code } } }',
      { input: { customerId: bCustomer, points: 1000, reason: 'steal', idempotencyKey: 'x1' } },
    );
    expect(body.data!.pointsAdjust.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    const tokenB = await merchantToken(stack.config, 'bravo-shop.myshopify.com');
    const after = await gql<{ customer: { pointsBalance: number } }>(stack.url, tokenB, 'query($id: ID!) { customer(id: $id) { pointsBalance } }', { id: bCustomer });
    expect(after.body.data!.customer.pointsBalance).toBe(0);
  });

  it('a customer token cannot read the shop’s customer list', async () => {
    const { token } = await customerToken(stack, 'alpha-shop.myshopify.com', shopA, '44');
    const { body } = await gql(stack.url, token, '{ customers(first: 5) { nodes { id } } }');
    expect(body.errors?.[0].message).toMatch(/not allowed/i);
    expect(body.data ?? null).toBeNull();
  });
});

describe('limits', () => {
  it('refuses an operation nested beyond the depth limit, before any subgraph is called', async () => {
    const token = await merchantToken(stack.config, 'alpha-shop.myshopify.com');
    const nest = (n: number): string => (n === 0 ? 'name' : `ofType { ${nest(n - 1)} }`);
    const ok = await gql(stack.url, token, `{ __schema { types { fields { type { ${nest(6)} } } } } }`);
    expect(ok.body.errors).toBeUndefined();
    const deep = await gql(stack.url, token, `{ __schema { types { fields { type { ${nest(12)} } } } } }`);
    expect(deep.status).toBe(400);
    expect(deep.body.errors?.[0].message).toMatch(/Query depth \d+ exceeds the limit of 12/);
  });
});
