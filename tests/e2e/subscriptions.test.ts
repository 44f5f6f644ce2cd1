import { Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { pipe, subscribe } from 'wonka';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
const SHOP = 'live-shop.myshopify.com';
const BALANCE = 'subscription { pointsBalanceChanged { customerId balance delta entryType reason } }';

interface Event { customerId: string; balance: number; delta: number; entryType: string; reason: string }

/** A urql client whose subscriptions go over graphql-ws to the gateway, as the widget's does. */
function liveClient(token: string | undefined): { client: Client; ws: WsClient; closed: Promise<number> } {
  let closedWith: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => (closedWith = resolve));
  const ws = createWsClient({
    url: `${stack.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    on: { closed: (e) => closedWith((e as { code: number }).code) },
  });
  const client = new Client({
    url: `${stack.url}/graphql`,
    preferGetMethod: false,
    exchanges: [
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink) }),
        }),
      }),
    ],
  });
  return { client, ws, closed };
}

function collect(client: Client, into: Event[]) {
  return pipe(client.subscription<{ pointsBalanceChanged: Event }>(BALANCE, {}), subscribe((r) => {
    if (r.data) into.push(r.data.pointsBalanceChanged);
  }));
}

async function adjust(customerId: string, points: number, key: string) {
  const token = await merchantToken(stack.config, SHOP);
  const res = await gql(stack.url, token, 'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { userErrors { code } } }', { input: { customerId, points, reason: 'Goodwill', idempotencyKey: key } });
  expect(res.body.errors).toBeUndefined();
}

const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
};

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
});
afterAll(() => stack?.stop());

describe('live balance over graphql-ws', () => {
  it('a customer receives their own balance events and never another customer’s', async () => {
    const ada = await customerToken(stack, SHOP, merchantId, '1');
    const bob = await customerToken(stack, SHOP, merchantId, '2');
    const adaEvents: Event[] = [];
    const bobEvents: Event[] = [];
    const a = liveClient(ada.token);
    const b = liveClient(bob.token);
    const subA = collect(a.client, adaEvents);
    const subB = collect(b.client, bobEvents);
    await new Promise((r) => setTimeout(r, 300)); // let both subscriptions register

    await adjust(ada.customerId, 100, 'a1');
    await adjust(bob.customerId, 7, 'b1');
    await adjust(ada.customerId, 25, 'a2');
    await waitFor(() => adaEvents.length >= 2 && bobEvents.length >= 1);

    expect(adaEvents).toEqual([
      { customerId: ada.customerId, balance: 100, delta: 100, entryType: 'admin_adjust', reason: 'Goodwill' },
      { customerId: ada.customerId, balance: 125, delta: 25, entryType: 'admin_adjust', reason: 'Goodwill' },
    ]);
    expect(bobEvents).toEqual([{ customerId: bob.customerId, balance: 7, delta: 7, entryType: 'admin_adjust', reason: 'Goodwill' }]);
    subA.unsubscribe();
    subB.unsubscribe();
    await a.ws.dispose();
    await b.ws.dispose();
  });

  it('a customer cannot follow another customer by passing their id', async () => {
    const ada = await customerToken(stack, SHOP, merchantId, '3');
    const bob = await customerToken(stack, SHOP, merchantId, '4');
    const { client, ws } = liveClient(ada.token);
    const result = await new Promise<{ error?: { message: string } }>((resolve) => {
      pipe(client.subscription('subscription($id: ID) { pointsBalanceChanged(customerId: $id) { balance } }', { id: bob.customerId }), subscribe((r) => resolve(r)));
    });
    expect(result.error?.message).toMatch(/only follow their own balance/);
    await ws.dispose();
  });

  it.each([
    ['no token', undefined],
    ['a garbage token', 'not-a-token'],
    ['a token signed with the wrong key', 'eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJoZXJldGhlcmUtd2lkZ2V0In0.c2lnbmF0dXJl'],
  ])('refuses a connection with %s at connection_init', async (_label, token) => {
    const { ws, closed } = liveClient(token);
    expect(await closed).toBe(4403);
    await ws.dispose();
  });
});
