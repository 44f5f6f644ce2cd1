import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminUser } from '@herethere/admin';
import { signInternalCredential, INTERNAL_HEADER } from '@herethere/runtime';
import { signWidgetToken } from '@herethere/gateway/auth/widget-token';
import { orderPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, signAppProxyQuery, startStack, webhookHeaders, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
const SHOP = 'auth-shop.myshopify.com';
const RENAME = 'mutation { shopUpdate(input: { name: "Renamed" }) { shop { name } userErrors { code } } }';

async function shopName(): Promise<string> {
  const { body } = await gql<{ shop: { name: string } }>(stack.url, await merchantToken(stack.config, SHOP), '{ shop { name } }');
  return body.data!.shop.name;
}

/** A token shaped like App Bridge's, with one thing wrong. */
function sessionToken(opts: { secret?: string; aud?: string; exp?: number; dest?: string }) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ dest: opts.dest ?? `https://${SHOP}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(`https://${SHOP}/admin`)
    .setAudience(opts.aud ?? stack.config.shopify.apiKey)
    .setSubject('1')
    .setIssuedAt(now - 120)
    .setExpirationTime(opts.exp ?? now + 60)
    .sign(new TextEncoder().encode(opts.secret ?? stack.config.shopify.apiSecret));
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
});
afterAll(() => stack?.stop());

describe('merchant session tokens', () => {
  it('accepts a valid App Bridge session token', async () => {
    const { status, body } = await gql(stack.url, await sessionToken({}), '{ shop { shopDomain } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ shop: { shopDomain: SHOP } });
  });

  it.each([
    ['a bad signature', { secret: 'not-the-app-secret-not-the-app-secret' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 600 }],
    ['the wrong audience', { aud: 'another-apps-api-key' }],
    ['a shop that is not installed', { dest: 'https://stranger.myshopify.com' }],
  ])('refuses %s with 401 and writes nothing', async (_label, opts) => {
    const { status, body } = await gql(stack.url, await sessionToken(opts), RENAME);
    expect(status).toBe(401);
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await shopName()).toBe('auth-shop');
  });

  it('answers the storefront widget across origins: a preflight, and a refusal it can read; cookies are never honoured', async () => {
    const origin = 'https://www.custom-storefront.example';
    const pre = await fetch(`${stack.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { origin, 'content-type': 'application/json', authorization: 'Bearer not-a-token' }, body: JSON.stringify({ query: RENAME }) });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
    expect(await shopName()).toBe('auth-shop');
  });

  it('refuses a malformed Authorization header instead of treating it as anonymous', async () => {
    const res = await fetch(`${stack.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Basic abc' }, body: JSON.stringify({ query: RENAME }) });
    expect(res.status).toBe(401);
    expect(await shopName()).toBe('auth-shop');
  });
});

describe('app proxy session', () => {
  const params = (extra: Record<string, string> = {}) => ({ shop: SHOP, path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: '555', ...extra });

  it('issues a customer token for the customer Shopify signed for', async () => {
    const query = signAppProxyQuery(stack.config.shopify.apiSecret, params());
    const res = await fetch(`${stack.url}/proxy/session?${query}`);
    expect(res.status).toBe(200);
    const session = (await res.json()) as { kind: string; token: string; customerId: string };
    expect(session.kind).toBe('customer');
    const { body } = await gql<{ me: { id: string; shopifyCustomerId: string } }>(stack.url, session.token, '{ me { id shopifyCustomerId } }');
    expect(body.data!.me).toEqual({ id: session.customerId, shopifyCustomerId: '555' });
  });

  it('issues a visitor token when nobody is logged in; a visitor cannot read customer data', async () => {
    const query = signAppProxyQuery(stack.config.shopify.apiSecret, params({ logged_in_customer_id: '' }));
    const session = (await (await fetch(`${stack.url}/proxy/session?${query}`)).json()) as { kind: string; token: string };
    expect(session.kind).toBe('visitor');
    const { body } = await gql(stack.url, session.token, '{ me { id } }');
    expect(body.errors?.[0].message).toMatch(/not allowed/i);
  });

  it('refuses a bad signature (or a customer id changed after signing) with 401 and creates no customer', async () => {
    const before = await count(stack, 'customers');
    const signed = signAppProxyQuery(stack.config.shopify.apiSecret, params({ logged_in_customer_id: '777' }));
    signed.set('logged_in_customer_id', '778');
    const tampered = await fetch(`${stack.url}/proxy/session?${signed}`);
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { error: string }).error).toBe('invalid_signature');
    const wrongKey = await fetch(`${stack.url}/proxy/session?${signAppProxyQuery('wrong-secret', params({ logged_in_customer_id: '779' }))}`);
    expect(wrongKey.status).toBe(401);
    const stale = await fetch(`${stack.url}/proxy/session?${signAppProxyQuery(stack.config.shopify.apiSecret, params({ logged_in_customer_id: '780', timestamp: String(Math.floor(Date.now() / 1000) - 3600) }))}`);
    expect(stale.status).toBe(401);
    const unsigned = await fetch(`${stack.url}/proxy/session?shop=${SHOP}&logged_in_customer_id=781`);
    expect(unsigned.status).toBe(401);
    expect(await count(stack, 'customers')).toBe(before);
  });

  it('refuses an expired or forged widget token with 401', async () => {
    const { token: good, customerId } = await customerToken(stack, SHOP, merchantId, '900');
    expect((await gql(stack.url, good, '{ me { id } }')).status).toBe(200);
    const expired = await signWidgetToken(stack.config.widgetTokenSecret, { kind: 'customer', merchantId, shop: SHOP, customerId, shopifyCustomerId: '900' }, -10);
    expect((await gql(stack.url, expired.token, '{ me { id } }')).status).toBe(401);
    const forged = await signWidgetToken('a-different-secret-a-different-secret', { kind: 'customer', merchantId, shop: SHOP, customerId, shopifyCustomerId: '900' }, 300);
    expect((await gql(stack.url, forged.token, '{ me { id } }')).status).toBe(401);
  });
});

describe('admin sessions', () => {
  const LOGIN = 'mutation($input: AdminSessionCreateInput!) { adminSessionCreate(input: $input) { token adminUser { username } userErrors { code message } } }';

  beforeAll(async () => {
    await createAdminUser(stack.deps.db.db, { username: 'ops', email: 'ops@example.com', password: 'correct horse battery', role: 'owner' });
  });

  it('a wrong password gets a userError and no session is written', async () => {
    const before = await count(stack, 'admin_sessions');
    const { body } = await gql<{ adminSessionCreate: { token: string | null; userErrors: { code: string; message: string }[] } }>(stack.url, undefined, LOGIN, { input: { username: 'ops', password: 'wrong password here' } });
    expect(body.data!.adminSessionCreate.token).toBeNull();
    expect(body.data!.adminSessionCreate.userErrors[0]).toMatchObject({ code: 'INVALID', message: 'Invalid username or password' });
    expect(await count(stack, 'admin_sessions')).toBe(before);
  });

  it('a revoked session is refused with 401 and its request writes nothing', async () => {
    const { body } = await gql<{ adminSessionCreate: { token: string } }>(stack.url, undefined, LOGIN, { input: { username: 'ops', password: 'correct horse battery' } });
    const token = body.data!.adminSessionCreate.token;
    expect(token).toMatch(/^hta_/);
    const me = await gql<{ adminMe: { username: string } }>(stack.url, token, '{ adminMe { username } adminSessions { id } }');
    expect(me.body.data!.adminMe.username).toBe('ops');
    const sessionId = (me.body.data as unknown as { adminSessions: { id: string }[] }).adminSessions[0].id;
    const revoke = await gql(stack.url, token, 'mutation($input: AdminSessionRevokeInput!) { adminSessionRevoke(input: $input) { userErrors { code } } }', { input: { id: sessionId } });
    expect(revoke.body.errors).toBeUndefined();
    const users = await count(stack, 'admin_users');
    const after = await gql(stack.url, token, 'mutation { adminUserCreate(input: { username: "mallory", email: "m@example.com", password: "long enough password", role: SUPPORT }) { userErrors { code } } }');
    expect(after.status).toBe(401);
    expect(await count(stack, 'admin_users')).toBe(users);
  });
});

describe('developer API keys', () => {
  it('a key works until it is revoked, then gets 401 and writes nothing', async () => {
    const mtoken = await merchantToken(stack.config, SHOP);
    const created = await gql<{ apiKeyCreate: { apiKey: { id: string }; secret: string } }>(stack.url, mtoken, 'mutation { apiKeyCreate(input: { name: "Reviews app", scopes: [READ_CUSTOMERS, WRITE_POINTS] }) { apiKey { id } secret userErrors { code } } }');
    const { apiKey, secret } = created.body.data!.apiKeyCreate;
    expect(secret).toMatch(/^htk_/);
    const listed = await gql<{ apiKeys: { id: string; displayPrefix: string }[] }>(stack.url, mtoken, '{ apiKeys { id displayPrefix } }');
    expect(JSON.stringify(listed.body)).not.toContain(secret.split('.')[2]);

    expect((await gql(stack.url, secret, '{ customers(first: 1) { nodes { id } } }')).body.errors).toBeUndefined();
    // A key is not the merchant: it cannot change settings.
    expect((await gql(stack.url, secret, RENAME)).body.errors?.[0].message).toMatch(/not allowed/i);

    await gql(stack.url, mtoken, 'mutation($input: ApiKeyRevokeInput!) { apiKeyRevoke(input: $input) { apiKey { revokedAt } } }', { input: { id: apiKey.id } });
    const refused = await gql(stack.url, secret, RENAME);
    expect(refused.status).toBe(401);
    expect(await shopName()).toBe('auth-shop');
    const tampered = secret.slice(0, -4) + 'AAAA';
    expect((await gql(stack.url, tampered, '{ shop { id } }')).status).toBe(401);
  });
});

describe('subgraphs are private', () => {
  it('refuses a direct call without, or with a forged, internal credential; nothing is written', async () => {
    const loyaltyUrl = stack.running.subgraphUrls.loyalty!;
    const { customerId } = await customerToken(stack, SHOP, merchantId, '321');
    const mutation = { query: 'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { transaction { id } } }', variables: { input: { customerId, points: 999, reason: 'direct', idempotencyKey: 'direct-1' } } };
    const bare = await fetch(loyaltyUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(mutation) });
    expect(bare.status).toBe(401);
    const forged = await signInternalCredential('not-the-internal-secret-not-the-internal-secret', 'loyalty', { kind: 'merchant', merchantId, shop: SHOP });
    const withForged = await fetch(loyaltyUrl, { method: 'POST', headers: { 'content-type': 'application/json', [INTERNAL_HEADER]: forged }, body: JSON.stringify(mutation) });
    expect(withForged.status).toBe(401);
    const otherAudience = await signInternalCredential(stack.config.internalSecret, 'analytics', { kind: 'merchant', merchantId, shop: SHOP });
    const wrongAud = await fetch(loyaltyUrl, { method: 'POST', headers: { 'content-type': 'application/json', [INTERNAL_HEADER]: otherAudience }, body: JSON.stringify(mutation) });
    expect(wrongAud.status).toBe(401);
    expect(await count(stack, 'points_transactions')).toBe(0);
    expect((await fetch(loyaltyUrl.replace('/graphql', '/health'))).status).toBe(200);
  });
});

describe('Shopify webhooks', () => {
  const body = JSON.stringify(orderPayload({ id: 1, customerId: 11, lines: [{ price: '10.00' }] }));

  it('refuses a bad HMAC with 401 and writes nothing to the inbox', async () => {
    const headers = webhookHeaders('wrong-secret', SHOP, 'orders/paid', body);
    const res = await fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers, body });
    expect(res.status).toBe(401);
    const tampered = webhookHeaders(stack.config.shopify.apiSecret, SHOP, 'orders/paid', body);
    const res2 = await fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers: tampered, body: body.replace('10.00', '99.00') });
    expect(res2.status).toBe(401);
    expect(await count(stack, 'webhook_inbox')).toBe(0);
  });

  it('accepts a signed delivery into the inbox once, dropping the duplicate', async () => {
    const headers = webhookHeaders(stack.config.shopify.apiSecret, SHOP, 'orders/paid', body, 'delivery-1');
    const first = await fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers, body });
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ status: 'accepted' });
    const again = await fetch(`${stack.url}/webhooks/shopify`, { method: 'POST', headers, body });
    expect(await again.json()).toEqual({ status: 'duplicate' });
    expect(await count(stack, 'webhook_inbox')).toBe(1);
  });
});
