import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, drained, orderPayload } from '../support/shopify';
import { count, customerToken, gql, install, merchantToken, signAppProxyQuery, startStack, type Stack } from '../support/stack';

let stack: Stack;
let merchantId: string;
let mtoken: string;
const SHOP = 'refer-shop.myshopify.com';
const OTHER_SHOP = 'refer-other.myshopify.com';
const rows = <T = Record<string, unknown>>(q: ReturnType<typeof sql>) => stack.deps.db.rows<T>(q);

let nextId = 60_000;
let nextIp = 1;
const freshIp = () => `198.51.100.${nextIp++}`;

interface Person {
  token: string;
  customerId: string;
  shopifyId: number;
  email: string;
}

/** A signed-in customer with profile details. */
async function person(opts: { email?: string; phone?: string | null; shop?: string; mid?: string } = {}): Promise<Person> {
  const shopifyId = nextId++;
  const { token, customerId } = await customerToken(stack, opts.shop ?? SHOP, opts.mid ?? merchantId, String(shopifyId));
  const email = opts.email ?? `p${shopifyId}@example.com`;
  await rows(sql`update customers set email = ${email}, first_name = 'Pat', phone = ${opts.phone ?? null} where id = ${customerId}`);
  return { token, customerId, shopifyId, email };
}

async function linkFor(p: Person): Promise<{ code: string; url: string }> {
  const { body } = await gql<{ referralLinkCreate: { referralLink: { code: string; url: string } } }>(stack.url, p.token, 'mutation { referralLinkCreate(input: {}) { referralLink { code url } userErrors { code message } } }');
  expect(body.errors).toBeUndefined();
  return body.data!.referralLinkCreate.referralLink;
}

/** Follows a share link through the app proxy the way Shopify forwards it. */
async function land(code: string, ip: string, cookie?: string) {
  const query = signAppProxyQuery(stack.config.shopify.apiSecret, { shop: SHOP, path_prefix: '/apps/loyalty', timestamp: String(Math.floor(Date.now() / 1000)), logged_in_customer_id: '' });
  const res = await fetch(`${stack.url}/proxy/r/${code}?${query}`, { redirect: 'manual', headers: { 'x-forwarded-for': ip, ...(cookie ? { cookie } : {}) } });
  const location = res.headers.get('location') ?? '';
  const setCookie = res.headers.get('set-cookie') ?? '';
  const ht = /ht_ref=([^&]+)/.exec(decodeURIComponent(new URL(location).searchParams.get('redirect') ?? location))?.[1] ?? null;
  return { status: res.status, location, setCookie, attribution: ht ? decodeURIComponent(ht) : null, cookie: /ht_ref=([^;]+)/.exec(setCookie)?.[0] };
}

/** A paid order for `buyer`, delivered as Shopify's orders/paid webhook and processed. */
async function paidOrder(buyer: { shopifyId: number; email?: string }, extra: { attribution?: string | null; address?: Record<string, string>; ip?: string; phone?: string; discountCodes?: string[] } = {}) {
  const id = nextId++;
  const payload = orderPayload({
    id, customerId: buyer.shopifyId, email: buyer.email, lines: [{ price: '50.00' }], discountCodes: extra.discountCodes,
    noteAttributes: extra.attribution ? [{ name: 'herethere_referral', value: extra.attribution }] : [],
  }) as Record<string, unknown> & { customer: Record<string, unknown> };
  payload.shipping_address = extra.address ?? { address1: `${id} Unique Road`, city: 'Elsewhere', zip: String(10000 + (id % 80000)), country_code: 'US' };
  payload.browser_ip = extra.ip ?? freshIp();
  if (extra.phone) payload.customer.phone = extra.phone;
  const r = await deliver(stack, SHOP, 'orders/paid', payload);
  expect(r.status).toBe(200);
  await drained(stack);
  return String(id);
}

const referralsOf = (advocateId: string) =>
  rows<{ id: string; status: string; rejected_reason: string | null; friend_customer_id: string | null; decision: { outcome: string; checks: { name: string; passed: boolean; detail?: string }[] } | null; landing_ip: string | null; friend_discount_code: string | null; completed_via: string | null }>(
    sql`select id, status, rejected_reason, friend_customer_id, decision, landing_ip, friend_discount_code, completed_via from referrals where advocate_customer_id = ${advocateId} order by id`,
  );
const referralPoints = async (customerId: string) =>
  (await rows<{ points: number }>(sql`select points from points_transactions where customer_id = ${customerId} and type = 'referral'`)).map((r) => Number(r.points));

async function updateSettings(input: Record<string, unknown>) {
  const { body } = await gql<{ referralSettingsUpdate: { referralSettings: Record<string, unknown> | null; userErrors: { code: string; message: string }[] } }>(stack.url, mtoken,
    'mutation($input: ReferralSettingsUpdateInput!) { referralSettingsUpdate(input: $input) { referralSettings { enabled advocatePoints friendDiscount { kind value } completeOn smsEnabled emailEnabled maxReferralsPerIpPerWeek } userErrors { code message field } } }', { input });
  return body.data!.referralSettingsUpdate;
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  await install(stack, OTHER_SHOP);
  mtoken = await merchantToken(stack.config, SHOP);
});
afterAll(() => stack?.stop());

describe('referral links', () => {
  it('one unguessable link per customer, created once; visible on Customer.referralLink', async () => {
    const ada = await person();
    const a = await linkFor(ada);
    const b = await linkFor(ada);
    expect(a).toEqual(b);
    expect(a.code).toMatch(/^[0-9A-Z]{12}$/);
    expect(a.url).toBe(`https://${SHOP}/apps/loyalty/r/${a.code}`);
    const { body } = await gql<{ me: { referralLink: { code: string; url: string; clicks: number } } }>(stack.url, ada.token, '{ me { referralLink { code url clicks } } }');
    expect(body.data!.me.referralLink).toEqual({ ...a, clicks: 0 });
    expect(await rows(sql`select 1 from referral_links where advocate_customer_id = ${ada.customerId}`)).toHaveLength(1);
    const other = await person();
    expect((await linkFor(other)).code).not.toBe(a.code);
  });

  it('merchants create a link for their own customers only', async () => {
    const c = await person();
    const ok = await gql<{ referralLinkCreate: { referralLink: { code: string } | null; userErrors: { code: string }[] } }>(stack.url, mtoken, 'mutation($input: ReferralLinkCreateInput!) { referralLinkCreate(input: $input) { referralLink { code } userErrors { code } } }', { input: { customerId: c.customerId } });
    expect(ok.body.data!.referralLinkCreate.referralLink!.code).toMatch(/^[0-9A-Z]{12}$/);
    const other = await gql<{ referralLinkCreate: { referralLink: null; userErrors: { code: string }[] } }>(stack.url, await merchantToken(stack.config, OTHER_SHOP), 'mutation($input: ReferralLinkCreateInput!) { referralLinkCreate(input: $input) { referralLink { code } userErrors { code } } }', { input: { customerId: c.customerId } });
    expect(other.body.data!.referralLinkCreate.userErrors[0].code).toBe('NOT_FOUND');
  });

  it('a paused program refuses new links and writes nothing', async () => {
    const c = await person();
    await updateSettings({ enabled: false });
    try {
      const before = await count(stack, 'referral_links');
      const { body } = await gql<{ referralLinkCreate: { referralLink: null; userErrors: { code: string }[] } }>(stack.url, c.token, 'mutation { referralLinkCreate(input: {}) { referralLink { code } userErrors { code } } }');
      expect(body.data!.referralLinkCreate.userErrors[0].code).toBe('DISABLED');
      expect(await count(stack, 'referral_links')).toBe(before);
    } finally {
      await updateSettings({ enabled: true });
    }
  });
});

describe('landing through the app proxy', () => {
  it('records the attribution and click, sets the cookie, and sends the friend to the shop with their welcome code', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    const ip = freshIp();
    const first = await land(code, ip);
    expect(first.status).toBe(302);
    expect(first.location).toMatch(new RegExp(`^https://${SHOP.replace(/\./g, '\\.')}/discount/REF-`));
    expect(first.setCookie).toMatch(/ht_ref=ref_[0-9a-z]{26}; Max-Age=2592000; Path=\/;.*HttpOnly/);
    expect(first.attribution).toMatch(new RegExp(`^${code}:ref_[0-9a-z]{26}$`));
    const [ref] = await referralsOf(ada.customerId);
    expect(ref).toMatchObject({ status: 'pending', landing_ip: ip, friend_customer_id: null });
    expect(first.location).toContain(`/discount/${ref.friend_discount_code}?`);
    // The welcome code was recorded by the embedded-mode provider: single use, for anyone.
    const [dev] = await rows<{ input: { basicCodeDiscount: { usageLimit: number; customerSelection: unknown; customerGets: { value: unknown } } } }>(sql`select input from dev_discount_codes where code = ${ref.friend_discount_code}`);
    expect(dev.input.basicCodeDiscount).toMatchObject({ usageLimit: 1, customerSelection: { all: true }, customerGets: { value: { percentage: 0.1 } } });
    // Coming back with the cookie keeps the same attribution.
    const again = await land(code, ip, first.cookie);
    expect(again.attribution).toBe(first.attribution);
    expect(await referralsOf(ada.customerId)).toHaveLength(1);
    const [link] = await rows<{ clicks: number }>(sql`select clicks from referral_links where advocate_customer_id = ${ada.customerId}`);
    expect(Number(link.clicks)).toBe(2);
  });

  it('an unknown code lands in the shop without attribution; a forged signature is refused; nothing is written', async () => {
    const before = await count(stack, 'referrals');
    const unknown = await land('ZZZZZZZZZZZZ', freshIp());
    expect(unknown.status).toBe(302);
    expect(unknown.location).toBe(`https://${SHOP}/`);
    expect(unknown.setCookie).toBe('');
    const forged = await fetch(`${stack.url}/proxy/r/ABCDABCDABCD?${signAppProxyQuery('not-the-secret', { shop: SHOP, timestamp: String(Math.floor(Date.now() / 1000)) })}`, { redirect: 'manual' });
    expect(forged.status).toBe(401);
    expect(await count(stack, 'referrals')).toBe(before);
  });
});

describe('completion on the friend’s first paid order', () => {
  it('completes, pays the advocate once, tells them, and stores the decision', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    const landing = await land(code, freshIp());
    const friend = await person();
    await paidOrder(friend, { attribution: landing.attribution });
    const [ref] = await referralsOf(ada.customerId);
    expect(ref).toMatchObject({ status: 'completed', friend_customer_id: friend.customerId, completed_via: 'order' });
    expect(ref.decision!.outcome).toBe('approve');
    expect(ref.decision!.checks.map((c) => c.name)).toEqual(['self_referral_customer', 'self_referral_email', 'self_referral_phone', 'self_referral_address', 'ip_rate', 'existing_customer', 'already_referred']);
    expect(ref.decision!.checks.every((c) => c.passed)).toBe(true);
    expect(await referralPoints(ada.customerId)).toEqual([500]);
    const [note] = await rows<{ kind: string }>(sql`select kind from notification_outbox where customer_id = ${ada.customerId} and kind = 'referral_completed'`);
    expect(note.kind).toBe('referral_completed');
    // A second order (or the code reused) pays nothing more.
    await paidOrder(friend, { attribution: landing.attribution });
    await paidOrder(friend, { attribution: code });
    expect(await referralPoints(ada.customerId)).toEqual([500]);
    expect((await referralsOf(ada.customerId)).map((r) => r.status)).toEqual(['completed']);
  });

  it('the advocate sees the reward at once, even with their balance cached from before', async () => {
    const ada = await person();
    const balance = async () => (await gql<{ me: { pointsBalance: number } }>(stack.url, ada.token, '{ me { pointsBalance } }')).body.data!.me.pointsBalance;
    const before = await balance();
    const { code } = await linkFor(ada);
    const landing = await land(code, freshIp());
    await paidOrder(await person(), { attribution: landing.attribution });
    expect(await balance()).toBe(before + 500);
  });

  it('the friend’s welcome code on the order is attribution enough', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    await land(code, freshIp());
    const [pending] = await referralsOf(ada.customerId);
    const friend = await person();
    await paidOrder(friend, { discountCodes: [pending.friend_discount_code!.toLowerCase()] });
    expect((await referralsOf(ada.customerId))[0].status).toBe('completed');
  });

  const rejected = async (advocate: Person, check: string, detail: RegExp) => {
    const refs = await referralsOf(advocate.customerId);
    const r = refs[refs.length - 1];
    expect(r.status).toBe('rejected');
    const failed = r.decision!.checks.find((c) => !c.passed)!;
    expect(failed.name).toBe(check);
    expect(failed.detail).toMatch(detail);
    expect(r.rejected_reason).toBe(failed.detail);
    expect(await referralPoints(advocate.customerId)).toEqual([]);
    return r;
  };

  it('self-referral by the same customer is rejected with its explanation', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    await paidOrder(ada, { attribution: code });
    await rejected(ada, 'self_referral_customer', /used their own referral link/);
  });

  it('self-referral through an email alias (+tag, Gmail dots) is rejected', async () => {
    const ada = await person({ email: 'ada.lovelace+shop@gmail.com' });
    const { code } = await linkFor(ada);
    const alias = await person({ email: 'AdaLovelace@googlemail.com' });
    await paidOrder(alias, { attribution: code });
    await rejected(ada, 'self_referral_email', /\+aliases and Gmail dots ignored/);
  });

  it('self-referral by phone number is rejected', async () => {
    const ada = await person({ phone: '+1 (555) 010-4477' });
    const { code } = await linkFor(ada);
    const twin = { shopifyId: nextId++, email: `twin${nextId}@example.com` };
    await paidOrder(twin, { attribution: code, phone: '+15550104477' });
    await rejected(ada, 'self_referral_phone', /phone number is the advocate’s/);
  });

  it('self-referral to the advocate’s shipping address is rejected', async () => {
    const ada = await person();
    const home = { address1: '12 Elm Street', city: 'Shelbyville', zip: '55-555', country_code: 'US' };
    await paidOrder(ada, { address: home });
    const { code } = await linkFor(ada);
    const friend = await person();
    await paidOrder(friend, { attribution: code, address: { address1: '12 elm st.', city: 'SHELBYVILLE', zip: '55555', country_code: 'us' } });
    await rejected(ada, 'self_referral_address', /address the advocate has used/);
  });

  it('a friend who was already a customer is rejected', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    const regular = await person();
    await paidOrder(regular);
    await paidOrder(regular, { attribution: code });
    await rejected(ada, 'existing_customer', /already a customer: 1 earlier paid order/);
  });

  it('more than N referrals from one IP in a week are rejected (N tunable)', async () => {
    expect((await updateSettings({ maxReferralsPerIpPerWeek: 2 })).userErrors).toEqual([]);
    try {
      const ada = await person();
      const { code } = await linkFor(ada);
      const ip = freshIp();
      const landings = [await land(code, ip), await land(code, ip), await land(code, ip)];
      // Over the limit at landing: no welcome code is created for the third.
      expect(landings[2].location).not.toContain('/discount/');
      for (const l of landings) await paidOrder(await person(), { attribution: l.attribution });
      const refs = await referralsOf(ada.customerId);
      expect(refs.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(refs[0].rejected_reason).toMatch(/2 other referrals came from IP 198\.51\.100\.\d+ in the past 7 days \(limit 2\)/);
    } finally {
      await updateSettings({ maxReferralsPerIpPerWeek: 10 });
    }
  });

  it('a friend can be referred only once: a second advocate’s code is rejected', async () => {
    const ada = await person();
    const bob = await person();
    const friend = await person();
    await paidOrder(friend, { attribution: (await linkFor(ada)).code });
    expect((await referralsOf(ada.customerId))[0].status).toBe('completed');
    // The friend's next order carries another advocate's code.
    await paidOrder(friend, { attribution: (await linkFor(bob)).code });
    await rejected(bob, 'existing_customer', /already a customer/);
    expect((await referralsOf(bob.customerId))[0].decision!.checks.find((c) => c.name === 'already_referred')!.passed).toBe(false);
  });
});

describe('the merchant’s view', () => {
  it('lists referrals with decisions and approves a rejected one exactly once', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    await paidOrder(ada, { attribution: code });
    const [ref] = await referralsOf(ada.customerId);
    const LIST = '{ referrals(first: 50, status: REJECTED) { nodes { id status code rejectedReason advocate { id } decision { outcome checks { name passed detail } } } } }';
    const { body } = await gql<{ referrals: { nodes: { id: string; status: string; code: string; rejectedReason: string; advocate: { id: string }; decision: { outcome: string } }[] } }>(stack.url, mtoken, LIST);
    const listed = body.data!.referrals.nodes.find((n) => n.id === ref.id)!;
    expect(listed).toMatchObject({ status: 'REJECTED', code, advocate: { id: ada.customerId }, decision: { outcome: 'reject' } });
    expect(listed.rejectedReason).toMatch(/own referral link/);

    const APPROVE = 'mutation($input: ReferralApproveInput!) { referralApprove(input: $input) { referral { id status completedVia approvedBy } userErrors { code message } } }';
    const other = await gql<{ referralApprove: { userErrors: { code: string }[] } }>(stack.url, await merchantToken(stack.config, OTHER_SHOP), APPROVE, { input: { id: ref.id } });
    expect(other.body.data!.referralApprove.userErrors[0].code).toBe('NOT_FOUND');
    const ok = await gql<{ referralApprove: { referral: { status: string; completedVia: string; approvedBy: string } } }>(stack.url, mtoken, APPROVE, { input: { id: ref.id } });
    expect(ok.body.data!.referralApprove.referral).toMatchObject({ status: 'COMPLETED', completedVia: 'merchant' });
    expect(ok.body.data!.referralApprove.referral.approvedBy).toMatch(new RegExp(`^merchant:${SHOP.replace(/\./g, '\\.')}`));
    expect(await referralPoints(ada.customerId)).toEqual([500]);
    const twice = await gql<{ referralApprove: { userErrors: { code: string; message: string }[] } }>(stack.url, mtoken, APPROVE, { input: { id: ref.id } });
    expect(twice.body.data!.referralApprove.userErrors[0]).toMatchObject({ code: 'CONFLICT' });
    expect(await referralPoints(ada.customerId)).toEqual([500]);
    // The stored decision still explains why it was held.
    expect((await referralsOf(ada.customerId))[0].decision!.outcome).toBe('reject');
  });

  it('customers cannot list or approve referrals', async () => {
    const c = await person();
    const { body } = await gql(stack.url, c.token, '{ referrals(first: 5) { nodes { id } } }');
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('validates referral settings and writes nothing when they are wrong', async () => {
    const bad = await updateSettings({ friendDiscount: { kind: 'PERCENTAGE', value: 150 }, maxReferralsPerIpPerWeek: 0 });
    expect(bad.referralSettings).toBeNull();
    expect(bad.userErrors.map((e) => e.message)).toEqual(['A percentage friend discount must be 1 to 100 (whole percent)', 'maxReferralsPerIpPerWeek must be a whole number from 1 to 10,000']);
    const { body } = await gql<{ referralSettings: { friendDiscount: { value: number }; maxReferralsPerIpPerWeek: number } }>(stack.url, mtoken, '{ referralSettings { friendDiscount { value } maxReferralsPerIpPerWeek } }');
    expect(body.data!.referralSettings).toEqual({ friendDiscount: { value: 10 }, maxReferralsPerIpPerWeek: 10 });
  });
});

describe('completion on sign-up (merchant setting)', () => {
  it('a friend signing in with the attribution completes the referral at once', async () => {
    expect((await updateSettings({ completeOn: 'SIGNUP', advocatePoints: 250 })).referralSettings!.completeOn).toBe('SIGNUP');
    try {
      const ada = await person();
      const { code } = await linkFor(ada);
      const landing = await land(code, freshIp());
      const friend = await person();
      const { body } = await gql<{ referralAttribute: { status: string; userErrors: unknown[] } }>(stack.url, friend.token, 'mutation($input: ReferralAttributeInput!) { referralAttribute(input: $input) { status userErrors { code message } } }', { input: { attribution: landing.attribution } });
      expect(body.data!.referralAttribute).toEqual({ status: 'COMPLETED', userErrors: [] });
      expect(await referralPoints(ada.customerId)).toEqual([250]);
      expect((await referralsOf(ada.customerId))[0].completed_via).toBe('signup');
    } finally {
      await updateSettings({ completeOn: 'FIRST_ORDER', advocatePoints: 500 });
    }
  });

  it('using one’s own code, or an unknown one, is refused and writes nothing', async () => {
    const ada = await person();
    const { code } = await linkFor(ada);
    const before = await count(stack, 'referrals');
    const ATTR = 'mutation($input: ReferralAttributeInput!) { referralAttribute(input: $input) { status userErrors { code message } } }';
    const own = await gql<{ referralAttribute: { status: null; userErrors: { code: string; message: string }[] } }>(stack.url, ada.token, ATTR, { input: { attribution: code } });
    expect(own.body.data!.referralAttribute.userErrors).toEqual([{ code: 'INVALID', message: 'You cannot use your own referral link' }]);
    const unknown = await gql<{ referralAttribute: { userErrors: { code: string }[] } }>(stack.url, ada.token, ATTR, { input: { attribution: 'NOPENOPENOPE' } });
    expect(unknown.body.data!.referralAttribute.userErrors[0].code).toBe('NOT_FOUND');
    expect(await count(stack, 'referrals')).toBe(before);
  });
});

describe('referralShare', () => {
  const SHARE = 'mutation($input: ReferralShareInput!) { referralShare(input: $input) { queued referralLink { code url } userErrors { code message field } } }';
  type Share = { referralShare: { queued: boolean; referralLink: { code: string; url: string } | null; userErrors: { code: string; message: string }[] } };

  it('queues an invitation in the outbox with the link', async () => {
    const ada = await person();
    const { body } = await gql<Share>(stack.url, ada.token, SHARE, { input: { channel: 'EMAIL', to: 'friend@example.org' } });
    expect(body.data!.referralShare.queued).toBe(true);
    const [row] = await rows<{ kind: string; channel: string; payload: { to: { email: string }; referral: { url: string } } }>(sql`select kind, channel, payload from notification_outbox where customer_id = ${ada.customerId} and kind = 'referral_invite'`);
    expect(row).toMatchObject({ kind: 'referral_invite', channel: 'email', payload: { to: { email: 'friend@example.org' }, referral: { url: body.data!.referralShare.referralLink!.url } } });
  });

  it('refuses bad addresses, oneself, and a disabled channel, writing nothing', async () => {
    const ada = await person({ email: 'ada+x@example.com', phone: '+15550109999' });
    const before = await count(stack, 'notification_outbox');
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ channel: 'EMAIL', to: 'not-an-email' }, 'INVALID', /must be an email address/],
      [{ channel: 'EMAIL', to: 'ADA@example.com' }, 'INVALID', /cannot refer yourself/],
      [{ channel: 'SMS', to: '+15551230000' }, 'DISABLED', /does not send referral text messages/],
    ];
    for (const [input, code, message] of cases) {
      const { body } = await gql<Share>(stack.url, ada.token, SHARE, { input });
      expect(body.data!.referralShare.queued).toBe(false);
      expect(body.data!.referralShare.userErrors[0].code).toBe(code);
      expect(body.data!.referralShare.userErrors[0].message).toMatch(message);
    }
    await updateSettings({ smsEnabled: true });
    try {
      const bad = await gql<Share>(stack.url, ada.token, SHARE, { input: { channel: 'SMS', to: '555-1234' } });
      expect(bad.body.data!.referralShare.userErrors[0].message).toMatch(/international format/);
      const self = await gql<Share>(stack.url, ada.token, SHARE, { input: { channel: 'SMS', to: '+1 555 010 9999'.replace(/ /g, '') } });
      expect(self.body.data!.referralShare.userErrors[0].message).toMatch(/cannot refer yourself/);
      expect(await count(stack, 'notification_outbox')).toBe(before);
      const ok = await gql<Share>(stack.url, ada.token, SHARE, { input: { channel: 'SMS', to: '+15551230000' } });
      expect(ok.body.data!.referralShare.queued).toBe(true);
    } finally {
      await updateSettings({ smsEnabled: false });
    }
  });

  it('a visitor cannot share', async () => {
    const { body } = await gql(stack.url, undefined, SHARE, { input: { channel: 'EMAIL', to: 'x@example.com' } });
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
