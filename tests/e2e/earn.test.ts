import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { customers, pointsTransactions } from '@herethere/db';
import { invalidateCustomer } from '@herethere/loyalty';
import { runCommand } from '@herethere/gateway/cli/commands';
import { count, customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

const SHOP = 'earn-shop.myshopify.com';
const OTHER = 'earn-other.myshopify.com';

const EARN = `mutation($input: PointsEarnInput!) { pointsEarn(input: $input) {
  transaction { id type points balanceAfter reason source orderId pending } customer { id pointsBalance totalPointsEarned } userErrors { field message code } } }`;
const REVIEW = `mutation($input: ReviewBonusAwardInput!) { reviewBonusAward(input: $input) {
  transaction { id type points reason } customer { id pointsBalance } userErrors { field message code } } }`;
const BIRTHDAY = `mutation($input: CustomerBirthdaySetInput!) { customerBirthdaySet(input: $input) { customer { id birthday } userErrors { field message code } } }`;

type Txn = { id: string; type: string; points: number; balanceAfter: number; reason: string; source: string; orderId: string | null; pending: boolean };
type UserErr = { field: string[]; message: string; code: string };
type EarnResult = { pointsEarn: { transaction: Txn | null; customer: { id: string; pointsBalance: number; totalPointsEarned: number } | null; userErrors: UserErr[] } };
type ReviewResult = { reviewBonusAward: { transaction: Txn | null; customer: { pointsBalance: number } | null; userErrors: UserErr[] } };
type BirthdayResult = { customerBirthdaySet: { customer: { id: string; birthday: string | null } | null; userErrors: UserErr[] } };

let stack: Stack;
let merchantId: string;
let otherId: string;
let token: string;

async function developerKey(scopes: string[], as = token): Promise<string> {
  const res = await gql<{ apiKeyCreate: { secret: string } }>(stack.url, as, 'mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret } }', { input: { name: scopes.join(' '), scopes } });
  return res.body.data!.apiKeyCreate.secret;
}

const ledgerOf = (customerId: string) => stack.deps.db.db.select().from(pointsTransactions).where(eq(pointsTransactions.customerId, customerId));
const customerRow = async (customerId: string) => (await stack.deps.db.db.select().from(customers).where(eq(customers.id, customerId)))[0];
const earn = (input: Record<string, unknown>, as = token) => gql<EarnResult>(stack.url, as, EARN, { input });
const review = (input: Record<string, unknown>, as = token) => gql<ReviewResult>(stack.url, as, REVIEW, { input });
const setSettings = (input: Record<string, unknown>) =>
  gql(stack.url, token, 'mutation($input: ProgramSettingsUpdateInput!) { programSettingsUpdate(input: $input) { userErrors { message } } }', { input });

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  otherId = await install(stack, OTHER);
  token = await merchantToken(stack.config, SHOP);
});
afterAll(() => stack?.stop());

describe('pointsEarn', () => {
  it('credits a custom action as the merchant; a retry with the same key returns the same transaction', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1001');
    const input = { customerId, points: 50, reason: 'Followed us on Instagram', idempotencyKey: 'follow-1001' };
    const first = await earn(input);
    expect(first.body.errors).toBeUndefined();
    const r = first.body.data!.pointsEarn;
    expect(r.userErrors).toEqual([]);
    expect(r.transaction).toMatchObject({ type: 'custom', points: 50, balanceAfter: 50, reason: 'Followed us on Instagram', source: 'admin', pending: false });
    expect(r.customer).toMatchObject({ id: customerId, pointsBalance: 50, totalPointsEarned: 50 });

    const retry = await earn(input);
    expect(retry.body.data!.pointsEarn.transaction!.id).toBe(r.transaction!.id);
    expect(retry.body.data!.pointsEarn.customer!.pointsBalance).toBe(50);
    const entries = await ledgerOf(customerId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ idempotencyKey: 'earn:follow-1001', actor: expect.stringMatching(new RegExp(`^merchant:${SHOP}`)) });
  });

  it('credits once when the same request arrives many times at the same moment', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1002');
    const input = { customerId, points: 25, reason: 'Completed profile', idempotencyKey: 'profile-1002' };
    const results = await Promise.all(Array.from({ length: 8 }, () => earn(input)));
    const ids = new Set(results.map((res) => res.body.data!.pointsEarn.transaction?.id));
    expect(ids.size).toBe(1);
    expect(await ledgerOf(customerId)).toHaveLength(1);
    expect((await customerRow(customerId)).pointsBalance).toBe(25);
  });

  it('refuses a reused key with a different amount or customer, writing nothing', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1001');
    const { customerId: other } = await customerToken(stack, SHOP, merchantId, '1003');
    const before = await count(stack, 'points_transactions');
    for (const input of [
      { customerId, points: 51, reason: 'Followed us on Instagram', idempotencyKey: 'follow-1001' },
      { customerId: other, points: 50, reason: 'Followed us on Instagram', idempotencyKey: 'follow-1001' },
    ]) {
      const { body } = await earn(input);
      expect(body.data!.pointsEarn.transaction).toBeNull();
      expect(body.data!.pointsEarn.userErrors).toEqual([{ field: ['input', 'idempotencyKey'], code: 'CONFLICT', message: expect.stringMatching(/already used/) }]);
    }
    expect(await count(stack, 'points_transactions')).toBe(before);
    expect((await customerRow(other)).pointsBalance).toBe(0);
  });

  const BAD: [string, Record<string, unknown>, string, RegExp][] = [
    ['zero points', { points: 0 }, 'points', /from 1 to 1,000,000/],
    ['negative points', { points: -10 }, 'points', /from 1 to 1,000,000/],
    ['too many points', { points: 1_000_001 }, 'points', /from 1 to 1,000,000/],
    ['an empty reason', { reason: '   ' }, 'reason', /reason must be 1 to 200/],
    ['a long reason', { reason: 'r'.repeat(201) }, 'reason', /reason must be 1 to 200/],
    ['a control character in the reason', { reason: 'bad\u0007reason' }, 'reason', /printable/],
    ['an empty key', { idempotencyKey: '' }, 'idempotencyKey', /1 to 100 visible characters/],
    ['a key with spaces', { idempotencyKey: 'two words' }, 'idempotencyKey', /without spaces/],
    ['a 101-character key', { idempotencyKey: 'k'.repeat(101) }, 'idempotencyKey', /1 to 100/],
  ];
  for (const [name, patch, field, message] of BAD) {
    it(`refuses ${name} with a clear error and writes nothing`, async () => {
      const { customerId } = await customerToken(stack, SHOP, merchantId, '1004');
      const before = await count(stack, 'points_transactions');
      const { body } = await earn({ customerId, points: 10, reason: 'Custom action', idempotencyKey: `bad-${name.replace(/\W/g, '')}`, ...patch });
      expect(body.errors).toBeUndefined();
      expect(body.data!.pointsEarn.transaction).toBeNull();
      expect(body.data!.pointsEarn.userErrors).toEqual([{ field: ['input', field], code: 'INVALID', message: expect.stringMatching(message) }]);
      expect(await count(stack, 'points_transactions')).toBe(before);
      expect((await customerRow(customerId)).pointsBalance).toBe(0);
    });
  }

  it('refuses a non-integer amount at the schema', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1004');
    const before = await count(stack, 'points_transactions');
    const { body } = await earn({ customerId, points: 1.5, reason: 'x', idempotencyKey: 'float' });
    expect(body.errors?.[0].message).toMatch(/Int/);
    expect(await count(stack, 'points_transactions')).toBe(before);
  });

  it('answers not found for an unknown customer and for another shop’s customer, writing nothing', async () => {
    const { customerId: foreign } = await customerToken(stack, OTHER, otherId, '2001');
    const before = await count(stack, 'points_transactions');
    for (const customerId of ['cus_doesnotexist', foreign]) {
      const { body } = await earn({ customerId, points: 10, reason: 'Custom action', idempotencyKey: `nf-${customerId}` });
      expect(body.data!.pointsEarn.userErrors).toEqual([{ field: ['input', 'customerId'], code: 'NOT_FOUND', message: 'No customer with that id in this shop' }]);
    }
    expect(await count(stack, 'points_transactions')).toBe(before);
    expect((await customerRow(foreign)).pointsBalance).toBe(0);
  });

  it('is refused while the program is turned off', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1005');
    await setSettings({ enabled: false });
    try {
      const before = await count(stack, 'points_transactions');
      const { body } = await earn({ customerId, points: 10, reason: 'Custom action', idempotencyKey: 'while-off' });
      expect(body.data!.pointsEarn.userErrors).toEqual([{ field: ['input'], code: 'DISABLED', message: expect.stringMatching(/turned off/) }]);
      expect(await count(stack, 'points_transactions')).toBe(before);
    } finally {
      await setSettings({ enabled: true });
    }
  });

  it('works for a developer key with write_points, and only with it', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '1006');
    const writer = await developerKey(['WRITE_POINTS']);
    const ok = await earn({ customerId, points: 40, reason: 'Joined the community', idempotencyKey: 'community-1006' }, writer);
    expect(ok.body.data!.pointsEarn.transaction).toMatchObject({ type: 'custom', points: 40, source: 'api' });
    const [entry] = await ledgerOf(customerId);
    expect(entry.actor).toMatch(/^developer:key_/);

    const before = await count(stack, 'points_transactions');
    const reader = await developerKey(['READ_CUSTOMERS']);
    const refused = await earn({ customerId, points: 40, reason: 'Joined', idempotencyKey: 'reader' }, reader);
    expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const { token: customer } = await customerToken(stack, SHOP, merchantId, '1006');
    expect((await earn({ customerId, points: 40, reason: 'Me', idempotencyKey: 'self' }, customer)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await earn({ customerId, points: 40, reason: 'Anon', idempotencyKey: 'anon' }, '')).body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect(await count(stack, 'points_transactions')).toBe(before);
  });
});

describe('reviewBonusAward', () => {
  it('awards the program’s review points once per review id', async () => {
    await setSettings({ earning: { reviewPoints: 150 } });
    const { customerId } = await customerToken(stack, SHOP, merchantId, '3001');
    const first = await review({ customerId, reviewId: 'rev-123' });
    expect(first.body.data!.reviewBonusAward).toMatchObject({ transaction: { type: 'review', points: 150, reason: 'Wrote a product review' }, customer: { pointsBalance: 150 }, userErrors: [] });
    const again = await review({ customerId, reviewId: 'rev-123' });
    expect(again.body.data!.reviewBonusAward.transaction!.id).toBe(first.body.data!.reviewBonusAward.transaction!.id);
    expect(again.body.data!.reviewBonusAward.customer!.pointsBalance).toBe(150);
    const second = await review({ customerId, reviewId: 'rev-124' });
    expect(second.body.data!.reviewBonusAward.customer!.pointsBalance).toBe(300);
    const entries = await ledgerOf(customerId);
    expect(entries.map((e) => e.idempotencyKey).sort()).toEqual(['review:rev-123', 'review:rev-124']);
    expect(entries[0].metadata).toHaveProperty('reviewId');
  });

  it('works for a developer key with write_reviews, not with write_points', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '3002');
    const reviews = await developerKey(['WRITE_REVIEWS']);
    const ok = await review({ customerId, reviewId: 'judge-me-77' }, reviews);
    expect(ok.body.data!.reviewBonusAward.transaction).toMatchObject({ type: 'review', points: 150 });
    const before = await count(stack, 'points_transactions');
    const points = await developerKey(['WRITE_POINTS']);
    expect((await review({ customerId, reviewId: 'judge-me-78' }, points)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await count(stack, 'points_transactions')).toBe(before);
  });

  it('refuses the same review for another customer, a bad id, an unknown customer and a shop without review points; nothing written', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '3003');
    const before = await count(stack, 'points_transactions');
    const conflict = await review({ customerId, reviewId: 'rev-123' });
    expect(conflict.body.data!.reviewBonusAward.userErrors).toEqual([{ field: ['input', 'reviewId'], code: 'CONFLICT', message: 'This review was already rewarded to another customer' }]);
    for (const reviewId of ['', 'has space', 'x'.repeat(101)]) {
      const bad = await review({ customerId, reviewId });
      expect(bad.body.data!.reviewBonusAward.userErrors).toEqual([{ field: ['input', 'reviewId'], code: 'INVALID', message: expect.stringMatching(/reviewId must be 1 to 100 visible characters/) }]);
    }
    const missing = await review({ customerId: 'cus_nope', reviewId: 'rev-999' });
    expect(missing.body.data!.reviewBonusAward.userErrors[0].code).toBe('NOT_FOUND');
    await setSettings({ earning: { reviewPoints: 0 } });
    try {
      const off = await review({ customerId, reviewId: 'rev-500' });
      expect(off.body.data!.reviewBonusAward.userErrors).toEqual([{ field: ['input'], code: 'DISABLED', message: expect.stringMatching(/no points for reviews/) }]);
    } finally {
      await setSettings({ earning: { reviewPoints: 150 } });
    }
    expect(await count(stack, 'points_transactions')).toBe(before);
    expect((await customerRow(customerId)).pointsBalance).toBe(0);
  });
});

describe('customerBirthdaySet', () => {
  const setBirthday = (as: string, birthday: string) => gql<BirthdayResult>(stack.url, as, BIRTHDAY, { input: { birthday } });

  it('lets the customer set it once a year', async () => {
    const { token: customer, customerId } = await customerToken(stack, SHOP, merchantId, '4001');
    const ok = await setBirthday(customer, '1990-07-04');
    expect(ok.body.data!.customerBirthdaySet).toEqual({ customer: { id: customerId, birthday: '1990-07-04' }, userErrors: [] });
    const me = await gql<{ me: { birthday: string } }>(stack.url, customer, '{ me { birthday } }');
    expect(me.body.data!.me.birthday).toBe('1990-07-04');
    const setAt = (await customerRow(customerId)).birthdaySetAt;
    expect(setAt).toBeInstanceOf(Date);

    // The same date again changes nothing and is not an error.
    expect((await setBirthday(customer, '1990-07-04')).body.data!.customerBirthdaySet.userErrors).toEqual([]);
    const again = await setBirthday(customer, '1991-01-01');
    expect(again.body.data!.customerBirthdaySet.customer).toBeNull();
    expect(again.body.data!.customerBirthdaySet.userErrors).toEqual([{ field: ['input', 'birthday'], code: 'LIMIT_REACHED', message: expect.stringMatching(/once a year; you can change it again from \d{4}-\d{2}-\d{2}/) }]);
    const row = await customerRow(customerId);
    expect(row.birthday).toBe('1990-07-04');
    expect(row.birthdaySetAt).toEqual(setAt);

    // A year later it may change again.
    const yearAgo = new Date(Date.now() - 366 * 86_400_000);
    await stack.deps.db.db.update(customers).set({ birthdaySetAt: yearAgo }).where(and(eq(customers.merchantId, merchantId), eq(customers.id, customerId)));
    await invalidateCustomer(stack.deps, merchantId, customerId); // the row is cached; this test wrote behind its back
    const changed = await setBirthday(customer, '1991-01-01');
    expect(changed.body.data!.customerBirthdaySet.customer?.birthday, JSON.stringify(changed.body)).toBe('1991-01-01');
  });

  it('only one of two concurrent changes wins', async () => {
    const { token: customer, customerId } = await customerToken(stack, SHOP, merchantId, '4002');
    const results = await Promise.all(['1980-01-01', '1981-02-02', '1982-03-03', '1983-04-04'].map((d) => setBirthday(customer, d)));
    const winners = results.filter((r) => r.body.data!.customerBirthdaySet.userErrors.length === 0);
    expect(winners).toHaveLength(1);
    expect((await customerRow(customerId)).birthday).toBe(winners[0].body.data!.customerBirthdaySet.customer!.birthday);
  });

  it('refuses impossible, future, too-young and too-old dates, writing nothing', async () => {
    const { token: customer, customerId } = await customerToken(stack, SHOP, merchantId, '4003');
    const nextYear = new Date().getUTCFullYear() + 1;
    const cases: [string, RegExp][] = [
      ['1990-02-30', /real date written YYYY-MM-DD/],
      ['1990-13-01', /real date/],
      ['07/04/1990', /real date/],
      ['1990-7-4', /real date/],
      ['', /real date/],
      [`${nextYear}-01-01`, /cannot be in the future/],
      [`${new Date().getUTCFullYear() - 5}-01-01`, /at least 13/],
      ['1850-01-01', /within the last 120 years/],
    ];
    for (const [birthday, message] of cases) {
      const { body } = await setBirthday(customer, birthday);
      expect(body.data!.customerBirthdaySet.customer, birthday).toBeNull();
      expect(body.data!.customerBirthdaySet.userErrors).toEqual([{ field: ['input', 'birthday'], code: 'INVALID', message: expect.stringMatching(message) }]);
    }
    const row = await customerRow(customerId);
    expect(row.birthday).toBeNull();
    expect(row.birthdaySetAt).toBeNull();
  });

  it('is for the customer only', async () => {
    const { body } = await setBirthday(token, '1990-01-01');
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('the merchant sees the birthday of its own customers only', async () => {
    const { customerId } = await customerToken(stack, SHOP, merchantId, '4001');
    const own = await gql<{ customer: { birthday: string } }>(stack.url, token, 'query($id: ID!) { customer(id: $id) { birthday } }', { id: customerId });
    expect(own.body.data!.customer.birthday).toBe('1991-01-01');
    const other = await gql<{ customer: null }>(stack.url, await merchantToken(stack.config, OTHER), 'query($id: ID!) { customer(id: $id) { birthday } }', { id: customerId });
    expect(other.body.data!.customer).toBeNull();
  });
});

describe('pnpm loyalty ledger verify', () => {
  it('reports every chain verified, per shop or for all shops, and exit code 1 when something was altered', async () => {
    const all = await runCommand(stack.deps, ['ledger', 'verify']);
    expect(all.code, all.out).toBe(0);
    expect(all.out).toMatch(/^\d+ customers, \d+ entries: every chain and balance verified$/);
    const one = await runCommand(stack.deps, ['ledger', 'verify', SHOP]);
    expect(one.code).toBe(0);
    expect((await runCommand(stack.deps, ['ledger', 'verify', 'nope.myshopify.com'])).out).toMatch(/not installed/);
    expect((await runCommand(stack.deps, ['ledger', 'check'])).code).toBe(2);

    const { customerId } = await customerToken(stack, SHOP, merchantId, '1001');
    await stack.deps.db.db.update(customers).set({ pointsBalance: 5_000 }).where(and(eq(customers.merchantId, merchantId), eq(customers.id, customerId)));
    try {
      const bad = await runCommand(stack.deps, ['ledger', 'verify', SHOP]);
      expect(bad.code).toBe(1);
      expect(bad.out).toContain(`${merchantId} ${customerId}: points_balance 5000 but the entries sum to 50`);
      expect((await runCommand(stack.deps, ['ledger', 'verify', OTHER])).code).toBe(0);
    } finally {
      await stack.deps.db.db.update(customers).set({ pointsBalance: 50 }).where(and(eq(customers.merchantId, merchantId), eq(customers.id, customerId)));
    }
    expect((await runCommand(stack.deps, ['ledger', 'verify'])).code).toBe(0);
  });
});
