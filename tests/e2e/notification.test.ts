import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, notificationOutbox } from '@herethere/db';
import { enqueueNotification, processOutboxBatch } from '@herethere/loyalty';
import { credentialsFor } from '@herethere/loyalty/notification/senders';
import { testConfig } from '@herethere/runtime';
import { startFakeKlaviyo, type FakeKlaviyo } from '../fakes/klaviyo';
import { startFakeTwilio, TWILIO_INVALID_NUMBER, type FakeTwilio } from '../fakes/twilio';
import { deliver, drained, orderPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

let stack: Stack;
let klaviyo: FakeKlaviyo;
let twilio: FakeTwilio;
let merchantId: string;
let devMerchantId: string;
let mtoken: string;
const SHOP = 'notify-shop.myshopify.com';
const DEV_SHOP = 'notify-dev.myshopify.com';
const KLAVIYO_KEY = 'pk_test_notify_0123456789';
const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);

type OutboxState = { id: string; status: string; attempts: number; last_error: string | null; provider: string | null; next_attempt_at: string };
const outboxRow = async (id: string) => (await rows<OutboxState>(sql`select id, status, attempts, last_error, provider, next_attempt_at from notification_outbox where id = ${id}`))[0];
const outboxFor = (customerId: string, kind: string) => rows<OutboxState>(sql`select id, status, attempts, last_error, provider, next_attempt_at from notification_outbox where customer_id = ${customerId} and kind = ${kind}`);

/** Waits for the background sender to bring a row to one of `statuses`. */
async function settle(id: string, statuses = ['sent', 'dead'], ms = 15_000): Promise<OutboxState> {
  const until = Date.now() + ms;
  for (;;) {
    const row = await outboxRow(id);
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > until) throw new Error(`outbox row ${id} still ${row?.status}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

let nextId = 40_000;
async function shopper(opts: { email?: string | null; phone?: string | null; language?: string; shop?: string; mid?: string } = {}) {
  const shopifyId = String(nextId++);
  const { token, customerId } = await customerToken(stack, opts.shop ?? SHOP, opts.mid ?? merchantId, shopifyId);
  await rows(sql`update customers set email = ${opts.email === undefined ? `n${shopifyId}@example.com` : opts.email}, phone = ${opts.phone ?? null}, first_name = 'Noor', language = ${opts.language ?? null} where id = ${customerId}`);
  return { token, customerId, shopifyId };
}

/** Writes one outbox row the way every producer does: inside a transaction. */
async function enqueue(input: { customerId: string; kind?: 'reward_issued' | 'referral_invite' | 'points_earned'; channel: 'email' | 'sms' | 'klaviyo_event'; payload?: Record<string, unknown>; mid?: string }): Promise<string> {
  const dedupeKey = `test:${randomUUID()}`;
  const mid = input.mid ?? merchantId;
  await stack.deps.db.db.transaction((tx) => enqueueNotification(tx, { merchantId: mid, customerId: input.customerId, kind: input.kind ?? 'reward_issued', channel: input.channel, payload: input.payload ?? { reward: { name: 'Tote bag', code: 'HT-TEST' } }, dedupeKey }));
  const [row] = await rows<{ id: string }>(sql`select id from notification_outbox where merchant_id = ${mid} and dedupe_key = ${dedupeKey}`);
  return row.id;
}

const UPSERT = 'mutation($input: NotificationTemplateUpsertInput!) { notificationTemplateUpsert(input: $input) { template { id type channel language subject body variables } userErrors { field message code } } }';
type Upsert = { notificationTemplateUpsert: { template: { id: string; variables: string[] } | null; userErrors: { message: string; code: string }[] } };

beforeAll(async () => {
  klaviyo = await startFakeKlaviyo();
  twilio = await startFakeTwilio();
  klaviyo.acceptKey(KLAVIYO_KEY);
  const base = testConfig();
  stack = await startStack({ notify: { ...base.notify, klaviyoApiUrl: klaviyo.url, twilioApiUrl: twilio.url, timeoutMs: 5000, maxAttempts: 3, retryBaseMs: 20, retryMaxMs: 200 } });
  merchantId = await install(stack, SHOP);
  devMerchantId = await install(stack, DEV_SHOP);
  mtoken = await merchantToken(stack.config, SHOP);
  await rows(sql`update merchants set languages = '["en","fr"]'::jsonb where id = ${merchantId}`);
  // The shop connects its own provider accounts.
  const k = await gql<Connect<'klaviyoIntegrationConnect'>>(stack.url, mtoken, KLAVIYO_CONNECT, { input: { privateApiKey: KLAVIYO_KEY } });
  expect(k.body.data!.klaviyoIntegrationConnect.userErrors).toEqual([]);
  const t = await gql<Connect<'twilioIntegrationConnect'>>(stack.url, mtoken, TWILIO_CONNECT, { input: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: twilio.from } });
  expect(t.body.data!.twilioIntegrationConnect.userErrors).toEqual([]);
});

const INTEGRATION = 'integration { provider connected status keyHint accountSid from } userErrors { code field message }';
const KLAVIYO_CONNECT = `mutation($input: KlaviyoIntegrationConnectInput!) { klaviyoIntegrationConnect(input: $input) { ${INTEGRATION} } }`;
const TWILIO_CONNECT = `mutation($input: TwilioIntegrationConnectInput!) { twilioIntegrationConnect(input: $input) { ${INTEGRATION} } }`;
type Integration = { provider: string; connected: boolean; keyHint: string; accountSid: string | null; from: string | null };
type Connect<K extends string> = Record<K, { integration: Integration | null; userErrors: { code: string; field: string[]; message: string }[] }>;

describe('messaging accounts', () => {
  it('a shop’s connected accounts show only the secret’s last characters; secrets are sealed at rest and kept out of the audit log', async () => {
    const { body } = await gql<{ messagingIntegrations: Integration[] }>(stack.url, mtoken, '{ messagingIntegrations { provider connected keyHint accountSid from } }');
    expect(body.data!.messagingIntegrations.sort((a, b) => a.provider.localeCompare(b.provider))).toEqual([
      { provider: 'KLAVIYO', connected: true, keyHint: KLAVIYO_KEY.slice(-4), accountSid: null, from: null },
      { provider: 'TWILIO', connected: true, keyHint: twilio.authToken.slice(-4), accountSid: twilio.accountSid, from: twilio.from },
    ]);
    const stored = await rows<{ api_key_sealed: string; settings: unknown }>(sql`select api_key_sealed, settings from integrations where merchant_id = ${merchantId}`);
    expect(JSON.stringify(stored)).not.toContain(KLAVIYO_KEY);
    expect(JSON.stringify(stored)).not.toContain(twilio.authToken);
    const audit = await rows<{ action: string; details: unknown }>(sql`select action, details from audit_logs where merchant_id = ${merchantId} and action like 'integration.%' order by action`);
    expect(audit.map((a) => a.action)).toEqual(['integration.klaviyo.connect', 'integration.twilio.connect']);
    expect(JSON.stringify(audit)).not.toContain(KLAVIYO_KEY);
    expect(JSON.stringify(audit)).not.toContain(twilio.authToken);
  });

  it('refuses a public or malformed Klaviyo key and a malformed Twilio SID, token or number, naming each; nothing is written', async () => {
    const dev = await merchantToken(stack.config, DEV_SHOP);
    const before = await rows<{ n: number }>(sql`select (select count(*) from integrations) + (select count(*) from audit_logs) as n`);
    for (const privateApiKey of ['AbC123', 'pk_short', 'sk_0123456789abcdef0123', 'pk_has spaces in it 0123']) {
      const { body } = await gql<Connect<'klaviyoIntegrationConnect'>>(stack.url, dev, KLAVIYO_CONNECT, { input: { privateApiKey } });
      expect(body.data!.klaviyoIntegrationConnect).toMatchObject({ integration: null, userErrors: [{ code: 'INVALID', field: ['input', 'privateApiKey'] }] });
    }
    const { body } = await gql<Connect<'twilioIntegrationConnect'>>(stack.url, dev, TWILIO_CONNECT, { input: { accountSid: 'AB123', authToken: 'secret', from: '555-0100' } });
    expect(body.data!.twilioIntegrationConnect.userErrors.map((e) => e.field.join('.'))).toEqual(['input.accountSid', 'input.authToken', 'input.from']);
    expect(body.data!.twilioIntegrationConnect.userErrors[2].message).toContain('E.164');
    const after = await rows<{ n: number }>(sql`select (select count(*) from integrations) + (select count(*) from audit_logs) as n`);
    expect(Number(after[0].n)).toBe(Number(before[0].n));
  });

  it('shows a refused key on the account after the first send says so, and clears it once a replacement works', async () => {
    const shop = 'notify-badkey.myshopify.com';
    const mid = await install(stack, shop);
    const token = await merchantToken(stack.config, shop);
    const status = async () => (await gql<{ messagingIntegrations: { status: string; lastError: string | null }[] }>(stack.url, token, '{ messagingIntegrations { status lastError } }')).body.data!.messagingIntegrations;
    await gql(stack.url, token, KLAVIYO_CONNECT, { input: { privateApiKey: 'pk_revoked_in_klaviyo_0123456789' } });
    expect(await status()).toEqual([{ status: 'UNKNOWN', lastError: null }]);
    const { customerId } = await shopper({ shop, mid });
    expect(await settle(await enqueue({ customerId, channel: 'email', mid }))).toMatchObject({ status: 'dead', provider: 'klaviyo' });
    const [refused] = await status();
    expect(refused.status).toBe('ERROR');
    expect(refused.lastError).toContain('401');
    await gql(stack.url, token, KLAVIYO_CONNECT, { input: { privateApiKey: KLAVIYO_KEY } });
    expect(await settle(await enqueue({ customerId, channel: 'email', mid }))).toMatchObject({ status: 'sent', provider: 'klaviyo' });
    expect(await status()).toEqual([{ status: 'OK', lastError: null }]);
  });

  it('a disconnected account forgets its secret and sends nothing more; customers and developer keys cannot touch accounts', async () => {
    const shop = 'notify-disconnect.myshopify.com';
    const mid = await install(stack, shop);
    const token = await merchantToken(stack.config, shop);
    await gql(stack.url, token, KLAVIYO_CONNECT, { input: { privateApiKey: 'pk_disconnect_me_0123456789' } });
    expect((await credentialsFor(stack.deps, mid)).klaviyo).toEqual({ apiKey: 'pk_disconnect_me_0123456789' });
    const DISCONNECT = `mutation($input: MessagingIntegrationDisconnectInput!) { messagingIntegrationDisconnect(input: $input) { ${INTEGRATION} } }`;
    const { body } = await gql<Connect<'messagingIntegrationDisconnect'>>(stack.url, token, DISCONNECT, { input: { provider: 'KLAVIYO' } });
    expect(body.data!.messagingIntegrationDisconnect.integration).toMatchObject({ provider: 'KLAVIYO', connected: false, status: 'DISABLED', keyHint: '' });
    expect((await credentialsFor(stack.deps, mid)).klaviyo).toBeUndefined();
    const again = await gql<Connect<'messagingIntegrationDisconnect'>>(stack.url, token, DISCONNECT, { input: { provider: 'TWILIO' } });
    expect(again.body.data!.messagingIntegrationDisconnect.userErrors).toMatchObject([{ code: 'NOT_FOUND', field: ['input', 'provider'] }]);
    const { token: shopper } = await customerToken(stack, shop, mid, '99001');
    const denied = await gql(stack.url, shopper, KLAVIYO_CONNECT, { input: { privateApiKey: 'pk_customer_attempt_0123456789' } });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await credentialsFor(stack.deps, mid)).klaviyo).toBeUndefined();
  });
});
afterAll(async () => {
  await stack?.stop();
  await klaviyo?.close();
  await twilio?.close();
});

describe('templates', () => {
  it('merchants save wording per type, channel and language; mistakes are refused and nothing is written', async () => {
    const before = await count(stack, 'email_templates');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'en', subject: 'Hi', body: 'Your code {{reward.cod}}' }, /unknown variable \{\{reward\.cod\}\}/],
      [{ type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'de', subject: 'Hallo', body: 'Code {{reward.code}}' }, /language must be one of the shop’s languages \(en, fr\)/],
      [{ type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'en', body: 'No subject' }, /needs a subject/],
      [{ type: 'REWARD_ISSUED', channel: 'SMS', language: 'en', subject: 'Nope', body: 'x' }, /has no subject/],
      [{ type: 'REWARD_ISSUED', channel: 'SMS', language: 'en', body: 'Broken {{ reward.code' }, /not a \{\{variable\}\} placeholder/],
    ];
    for (const [input, message] of cases) {
      const { body } = await gql<Upsert>(stack.url, mtoken, UPSERT, { input });
      expect(body.data!.notificationTemplateUpsert.template).toBeNull();
      expect(body.data!.notificationTemplateUpsert.userErrors.map((e) => e.message).join(' | ')).toMatch(message);
    }
    expect(await count(stack, 'email_templates')).toBe(before);

    const fr = await gql<Upsert>(stack.url, mtoken, UPSERT, { input: { type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'fr', subject: 'Votre récompense {{reward.name}}', body: 'Bonjour {{customer.firstName}}, votre code : {{reward.code}} (solde {{points.balance}})' } });
    expect(fr.body.data!.notificationTemplateUpsert.userErrors).toEqual([]);
    expect(fr.body.data!.notificationTemplateUpsert.template!.variables).toContain('reward.code');
    // Saving again replaces the wording rather than adding a second template.
    await gql<Upsert>(stack.url, mtoken, UPSERT, { input: { type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'fr', subject: 'Votre récompense : {{reward.name}}', body: 'Bonjour {{customer.firstName}}, votre code : {{reward.code}} (solde {{points.balance}})' } });
    await gql<Upsert>(stack.url, mtoken, UPSERT, { input: { type: 'REFERRAL', channel: 'SMS', language: 'en', body: '{{advocate.firstName}} invites you: {{referral.url}}' } });
    const { body } = await gql<{ notificationTemplates: { type: string; channel: string; language: string; subject: string | null }[] }>(stack.url, mtoken, '{ notificationTemplates { type channel language subject } }');
    expect(body.data!.notificationTemplates).toEqual([
      { type: 'REFERRAL', channel: 'SMS', language: 'en', subject: null },
      { type: 'REWARD_ISSUED', channel: 'EMAIL', language: 'fr', subject: 'Votre récompense : {{reward.name}}' },
    ]);
    const other = await gql<{ notificationTemplates: unknown[] }>(stack.url, await merchantToken(stack.config, DEV_SHOP), '{ notificationTemplates { type } }');
    expect(other.body.data!.notificationTemplates).toEqual([]);
  });
});

describe('delivery', () => {
  it('a redeemed reward reaches Klaviyo as an event in the customer’s language, with the balance as a profile property', async () => {
    const { token, customerId, shopifyId } = await shopper({ language: 'fr' });
    await gql(stack.url, mtoken, 'mutation($input: PointsAdjustInput!) { pointsAdjust(input: $input) { userErrors { code } } }', { input: { customerId, points: 800, reason: 'Welcome', idempotencyKey: randomUUID() } });
    const create = await gql<{ rewardCreate: { reward: { id: string } } }>(stack.url, mtoken, 'mutation { rewardCreate(input: { kind: FREE_SHIPPING, name: "Livraison offerte", pointsCost: 300 }) { reward { id } } }');
    const redeemed = await gql<{ rewardRedeem: { redemption: { code: string } } }>(stack.url, token, 'mutation($input: RewardRedeemInput!) { rewardRedeem(input: $input) { redemption { code } userErrors { message } } }', { input: { rewardId: create.body.data!.rewardCreate.reward.id, idempotencyKey: randomUUID() } });
    const code = redeemed.body.data!.rewardRedeem.redemption.code;
    const [row] = await outboxFor(customerId, 'reward_issued');
    const sent = await settle(row.id);
    expect(sent).toMatchObject({ status: 'sent', provider: 'klaviyo', attempts: 1 });
    const event = klaviyo.events.find((e) => e.uniqueId === row.id)!;
    expect(event.metric).toBe('Loyalty Reward Issued');
    expect(event.apiKey).toBe(KLAVIYO_KEY);
    expect(event.revision).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(event.profile).toMatchObject({ email: `n${shopifyId}@example.com`, external_id: shopifyId, properties: { loyalty_points_balance: 500 } });
    expect(event.properties).toMatchObject({ subject: 'Votre récompense : Livraison offerte', body: `Bonjour Noor, votre code : ${code} (solde 500)`, channel: 'email' });
    const [logged] = await rows<{ status: string; provider: string; outbox_id: string }>(sql`select status, provider, outbox_id from email_events where outbox_id = ${row.id}`);
    expect(logged).toEqual({ status: 'sent', provider: 'klaviyo', outbox_id: row.id });
  });

  it('points earned on an order go to Klaviyo in the same transaction as the points', async () => {
    const { customerId, shopifyId } = await shopper();
    await deliver(stack, SHOP, 'orders/paid', orderPayload({ id: 777_001, customerId: Number(shopifyId), email: `n${shopifyId}@example.com`, lines: [{ price: '42.00' }] }));
    await drained(stack);
    const earned = await outboxFor(customerId, 'points_earned');
    expect(earned.length).toBeGreaterThan(0);
    for (const r of earned) await settle(r.id);
    const purchase = klaviyo.events.filter((e) => e.metric === 'Loyalty Points Earned' && e.profile.external_id === shopifyId);
    expect(purchase.map((e) => (e.properties.points as { earned: number }).earned)).toContain(42);
  });

  it('an SMS invitation goes through Twilio with the shop’s wording', async () => {
    await gql(stack.url, mtoken, 'mutation { referralSettingsUpdate(input: { smsEnabled: true }) { userErrors { code } } }');
    const { token, customerId } = await shopper();
    const { body } = await gql<{ referralShare: { queued: boolean; referralLink: { url: string } } }>(stack.url, token, 'mutation { referralShare(input: { channel: SMS, to: "+15551230101" }) { queued referralLink { url } userErrors { message } } }');
    expect(body.data!.referralShare.queued).toBe(true);
    const [row] = await outboxFor(customerId, 'referral_invite');
    expect(await settle(row.id)).toMatchObject({ status: 'sent', provider: 'twilio' });
    const msg = twilio.messages.find((m) => m.to === '+15551230101')!;
    expect(msg).toMatchObject({ from: twilio.from, body: `Noor invites you: ${body.data!.referralShare.referralLink.url}` });
    const [logged] = await rows<{ provider_message_id: string; recipient_phone: string }>(sql`select provider_message_id, recipient_phone from email_events where outbox_id = ${row.id}`);
    expect(logged).toEqual({ provider_message_id: msg.sid, recipient_phone: '+15551230101' });
  });

  it('a shop without provider accounts gets the recording provider (embedded mode)', async () => {
    const { customerId } = await shopper({ shop: DEV_SHOP, mid: devMerchantId });
    const before = klaviyo.received.length;
    const id = await enqueue({ customerId, channel: 'email', mid: devMerchantId });
    expect(await settle(id)).toMatchObject({ status: 'sent', provider: 'dev' });
    const [logged] = await rows<{ status: string; provider: string }>(sql`select status, provider from email_events where outbox_id = ${id}`);
    expect(logged).toEqual({ status: 'recorded', provider: 'dev' });
    expect(klaviyo.received.length).toBe(before);
  });
});

describe('failures and retries', () => {
  it('Twilio “invalid phone number” (21211) is a dead letter at once, visible to the merchant, with nothing sent', async () => {
    const { customerId } = await shopper({ phone: TWILIO_INVALID_NUMBER });
    const before = twilio.messages.length;
    const id = await enqueue({ customerId, channel: 'sms' });
    const dead = await settle(id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 1, provider: 'twilio' });
    expect(dead.last_error).toMatch(/twilio refused the message \(400\): 21211 Invalid 'To' Phone Number/);
    expect(twilio.messages.length).toBe(before);
    const { body } = await gql<{ notificationDeadLetters: { nodes: { id: string; status: string; lastError: string; customer: { id: string } }[] } }>(stack.url, mtoken, '{ notificationDeadLetters(first: 50) { nodes { id status lastError attempts customer { id } } } }');
    const listed = body.data!.notificationDeadLetters.nodes.find((n) => n.id === id)!;
    expect(listed).toMatchObject({ status: 'DEAD', customer: { id: customerId } });
    expect(listed.lastError).toMatch(/21211/);
    const [logged] = await rows<{ status: string }>(sql`select status from email_events where outbox_id = ${id}`);
    expect(logged.status).toBe('failed');
  });

  it('429 with Retry-After: waits at least that long, then sends once', async () => {
    const { customerId } = await shopper();
    klaviyo.failNext({ kind: 'http429', retryAfterSeconds: 2 });
    const id = await enqueue({ customerId, channel: 'klaviyo_event', kind: 'points_earned', payload: { points: { earned: 5 } } });
    const sent = await settle(id);
    expect(sent).toMatchObject({ status: 'sent', attempts: 2 });
    const attempts = klaviyo.received.filter((r) => r.uniqueId === id);
    expect(attempts.map((r) => r.status)).toEqual([429, 202]);
    expect(klaviyo.events.filter((e) => e.uniqueId === id)).toHaveLength(1);
    const [first] = await rows<{ sent_at: string; created_at: string }>(sql`select sent_at, created_at from notification_outbox where id = ${id}`);
    expect(new Date(first.sent_at).getTime() - new Date(first.created_at).getTime()).toBeGreaterThanOrEqual(2000);
  });

  it('5xx on every attempt: dead after N attempts; the merchant retries it and it goes out once', async () => {
    const { customerId } = await shopper();
    klaviyo.failNext({ kind: 'server_error', status: 503 }, 3);
    const id = await enqueue({ customerId, channel: 'email' });
    const dead = await settle(id);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3 });
    expect(dead.last_error).toMatch(/klaviyo answered 503.*gave up after 3 attempts/);
    const RETRY = 'mutation($input: NotificationRetryInput!) { notificationRetry(input: $input) { notification { id status attempts } userErrors { code message } } }';
    const again = await gql<{ notificationRetry: { notification: { status: string; attempts: number } } }>(stack.url, mtoken, RETRY, { input: { id } });
    expect(again.body.data!.notificationRetry.notification).toMatchObject({ status: 'PENDING', attempts: 0 });
    expect(await settle(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(klaviyo.events.filter((e) => e.uniqueId === id)).toHaveLength(1);
    // Retrying a sent message, an unknown one or another shop's is refused.
    const sent = await gql<{ notificationRetry: { userErrors: { code: string }[] } }>(stack.url, mtoken, RETRY, { input: { id } });
    expect(sent.body.data!.notificationRetry.userErrors[0].code).toBe('CONFLICT');
    const unknown = await gql<{ notificationRetry: { userErrors: { code: string }[] } }>(stack.url, mtoken, RETRY, { input: { id: 'obx_00000000000000000000000000' } });
    expect(unknown.body.data!.notificationRetry.userErrors[0].code).toBe('NOT_FOUND');
    const foreign = await gql<{ notificationRetry: { userErrors: { code: string }[] } }>(stack.url, await merchantToken(stack.config, DEV_SHOP), RETRY, { input: { id } });
    expect(foreign.body.data!.notificationRetry.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('a message for a customer without an email is a dead letter that says why', async () => {
    const { customerId } = await shopper({ email: null });
    const id = await enqueue({ customerId, channel: 'email' });
    expect(await settle(id)).toMatchObject({ status: 'dead', last_error: 'no email address for the recipient' });
  });

  it('never sends one row twice, with several workers polling at once', async () => {
    const { customerId } = await shopper();
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await enqueue({ customerId, channel: 'klaviyo_event', kind: 'points_earned', payload: { points: { earned: i + 1 } } }));
    // Four extra workers race the stack's own sender.
    await Promise.all(Array.from({ length: 4 }, async () => {
      for (let i = 0; i < 20; i++) await processOutboxBatch(stack.deps, { batchSize: 5 });
    }));
    for (const id of ids) expect(await settle(id)).toMatchObject({ status: 'sent', last_error: null });
    const requests = klaviyo.received.filter((r) => r.uniqueId && ids.includes(r.uniqueId));
    expect(requests).toHaveLength(30);
    expect(new Set(requests.map((r) => r.uniqueId)).size).toBe(30);
  });

  it('a row whose worker died mid-send (lock expired) is picked up again and sent once', async () => {
    const { customerId } = await shopper();
    const id = newId('outbox');
    await stack.deps.db.db.insert(notificationOutbox).values({
      merchantId, id, customerId, kind: 'points_earned', channel: 'klaviyo_event', payload: { points: { earned: 1 } }, dedupeKey: `test:${id}`,
      status: 'sending', attempts: 1, lockedUntil: new Date(Date.now() - 1000),
    });
    const sent = await settle(id);
    expect(sent.status).toBe('sent');
    expect(klaviyo.received.filter((r) => r.uniqueId === id)).toHaveLength(1);
  });
});
