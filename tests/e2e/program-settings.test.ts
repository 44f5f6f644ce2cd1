import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { programSettings } from '@herethere/db';
import { customerToken, gql, install, merchantToken, startStack, type Stack } from '../support/stack';

const SHOP = 'settings-shop.myshopify.com';
const OTHER = 'settings-other.myshopify.com';

const FIELDS = `enabled pointsCurrencySingular pointsCurrencyPlural updatedAt
  earning { pointsPerCurrencyUnit base rounding signupPoints reviewPoints birthdayPoints approvalDays }
  expiry { kind months reminderDays }`;
const UPDATE = `mutation($input: ProgramSettingsUpdateInput!) { programSettingsUpdate(input: $input) { programSettings { ${FIELDS} } userErrors { field message code } } }`;

type Settings = Record<string, unknown> & { earning: Record<string, unknown>; expiry: Record<string, unknown> };
type UpdateResult = { programSettingsUpdate: { programSettings: Settings | null; userErrors: { field: string[]; message: string; code: string }[] } };

let stack: Stack;
let merchantId: string;
let otherId: string;
let token: string;

const stored = async (id = merchantId) => {
  const [row] = await stack.deps.db.db.select().from(programSettings).where(eq(programSettings.merchantId, id));
  return row;
};
const update = (input: Record<string, unknown>, as = token) => gql<UpdateResult>(stack.url, as, UPDATE, { input });

async function developerKey(scopes: string[]): Promise<string> {
  const res = await gql<{ apiKeyCreate: { secret: string } }>(stack.url, token, 'mutation($input: ApiKeyCreateInput!) { apiKeyCreate(input: $input) { secret } }', {
    input: { name: `key ${scopes.join(' ')}`, scopes },
  });
  return res.body.data!.apiKeyCreate.secret;
}

beforeAll(async () => {
  stack = await startStack();
  merchantId = await install(stack, SHOP);
  otherId = await install(stack, OTHER);
  token = await merchantToken(stack.config, SHOP);
});
afterAll(() => stack?.stop());

describe('reading program settings', () => {
  it('gives the merchant the defaults, with upper-case enums, on the query and on Merchant', async () => {
    const { body } = await gql<{ programSettings: Settings; shop: { programSettings: Settings } }>(stack.url, token, `{ programSettings { ${FIELDS} } shop { programSettings { ${FIELDS} } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data!.programSettings).toMatchObject({
      enabled: true,
      pointsCurrencySingular: 'Point',
      pointsCurrencyPlural: 'Points',
      earning: { pointsPerCurrencyUnit: 1, base: 'SUBTOTAL_AFTER_DISCOUNTS', rounding: 'FLOOR', signupPoints: 200, reviewPoints: 100, birthdayPoints: 200, approvalDays: 0 },
      expiry: { kind: 'NONE', months: null, reminderDays: null },
    });
    expect(body.data!.shop.programSettings).toEqual(body.data!.programSettings);
  });

  it('lets a developer key read but not change them', async () => {
    const key = await developerKey(['READ_CUSTOMERS']);
    const read = await gql<{ programSettings: Settings }>(stack.url, key, '{ programSettings { earning { signupPoints } } }');
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data!.programSettings.earning.signupPoints).toBe(200);
    const before = await stored();
    const write = await update({ earning: { signupPoints: 1 } }, key);
    expect(write.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });

  it('refuses a customer', async () => {
    const { token: customer } = await customerToken(stack, SHOP, merchantId, '501');
    const { body } = await gql(stack.url, customer, '{ programSettings { enabled } }');
    expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const before = await stored();
    expect((await update({ enabled: false }, customer)).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(await stored()).toEqual(before);
  });
});

describe('programSettingsUpdate', () => {
  it('changes only the fields given and returns the new settings', async () => {
    const before = await stored();
    const { body } = await update({
      pointsCurrencySingular: ' Star ',
      pointsCurrencyPlural: 'Stars',
      earning: { pointsPerCurrencyUnit: 2.5, rounding: 'ROUND', approvalDays: 14 },
      expiry: { kind: 'ROLLING', months: 12, reminderDays: 30 },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.programSettingsUpdate.userErrors).toEqual([]);
    expect(body.data!.programSettingsUpdate.programSettings).toMatchObject({
      pointsCurrencySingular: 'Star',
      pointsCurrencyPlural: 'Stars',
      earning: { pointsPerCurrencyUnit: 2.5, base: 'SUBTOTAL_AFTER_DISCOUNTS', rounding: 'ROUND', signupPoints: 200, reviewPoints: 100, birthdayPoints: 200, approvalDays: 14 },
      expiry: { kind: 'ROLLING', months: 12, reminderDays: 30 },
    });
    const after = await stored();
    expect(after.earning).toEqual({ ...before.earning, pointsPerCurrencyUnit: 2.5, rounding: 'round', approvalDays: 14 });
    expect(after.expiry).toEqual({ kind: 'rolling', months: 12, reminderDays: 30 });
    expect(after.referral).toEqual(before.referral);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    // The other shop is untouched.
    expect((await stored(otherId)).earning.pointsPerCurrencyUnit).toBe(1);

    const off = await update({ expiry: { kind: 'NONE' }, enabled: false });
    expect(off.body.data!.programSettingsUpdate.programSettings).toMatchObject({ enabled: false, expiry: { kind: 'NONE', months: null, reminderDays: null } });
    expect((await stored()).expiry).toEqual({ kind: 'none' });
    await update({ enabled: true });
  });

  const BAD: [string, Record<string, unknown>, string[], RegExp][] = [
    ['a negative rate', { earning: { pointsPerCurrencyUnit: -1 } }, ['input', 'earning', 'pointsPerCurrencyUnit'], /between 0 and 10000/],
    ['a rate with three decimals', { earning: { pointsPerCurrencyUnit: 1.255 } }, ['input', 'earning', 'pointsPerCurrencyUnit'], /at most two decimals/],
    ['a huge rate', { earning: { pointsPerCurrencyUnit: 10_000.01 } }, ['input', 'earning', 'pointsPerCurrencyUnit'], /between 0 and 10000/],
    ['negative signup points', { earning: { signupPoints: -1 } }, ['input', 'earning', 'signupPoints'], /signupPoints must be a whole number from 0 to 1,000,000/],
    ['too many review points', { earning: { reviewPoints: 1_000_001 } }, ['input', 'earning', 'reviewPoints'], /reviewPoints must be/],
    ['negative birthday points', { earning: { birthdayPoints: -200 } }, ['input', 'earning', 'birthdayPoints'], /birthdayPoints must be/],
    ['366 approval days', { earning: { approvalDays: 366 } }, ['input', 'earning', 'approvalDays'], /approvalDays must be a whole number of days from 0 to 365/],
    ['negative approval days', { earning: { approvalDays: -1 } }, ['input', 'earning', 'approvalDays'], /approvalDays/],
    ['expiry without months', { expiry: { kind: 'INACTIVITY' } }, ['input', 'expiry', 'months'], /months is required when kind is INACTIVITY/],
    ['0 months', { expiry: { kind: 'ROLLING', months: 0 } }, ['input', 'expiry', 'months'], /from 1 to 120/],
    ['121 months', { expiry: { kind: 'ROLLING', months: 121 } }, ['input', 'expiry', 'months'], /from 1 to 120/],
    ['91 reminder days', { expiry: { kind: 'ROLLING', months: 12, reminderDays: 91 } }, ['input', 'expiry', 'reminderDays'], /from 0 to 90/],
    ['a reminder longer than the period', { expiry: { kind: 'INACTIVITY', months: 1, reminderDays: 45 } }, ['input', 'expiry', 'reminderDays'], /shorter than the expiry period/],
    ['months with NONE', { expiry: { kind: 'NONE', months: 6 } }, ['input', 'expiry', 'months'], /left out when kind is NONE/],
    ['an empty name', { pointsCurrencySingular: '  ' }, ['input', 'pointsCurrencySingular'], /1 to 40 printable characters/],
    ['a 41-character name', { pointsCurrencyPlural: 'x'.repeat(41) }, ['input', 'pointsCurrencyPlural'], /1 to 40/],
  ];

  for (const [name, input, field, message] of BAD) {
    it(`refuses ${name} with a clear error and writes nothing`, async () => {
      const before = await stored();
      const { body } = await update(input);
      expect(body.errors).toBeUndefined();
      const { programSettings: returned, userErrors } = body.data!.programSettingsUpdate;
      expect(returned).toBeNull();
      expect(userErrors).toHaveLength(1);
      expect(userErrors[0]).toMatchObject({ field, code: 'INVALID' });
      expect(userErrors[0].message).toMatch(message);
      expect(await stored()).toEqual(before);
    });
  }

  it('writes nothing when one field is bad and the others are fine, and names every bad field', async () => {
    const before = await stored();
    const { body } = await update({
      enabled: false,
      pointsCurrencyPlural: 'Gems',
      earning: { signupPoints: 999, approvalDays: 400, birthdayPoints: -1 },
      expiry: { kind: 'INACTIVITY', months: 500 },
    });
    expect(body.data!.programSettingsUpdate.userErrors.map((e) => e.field.join('.'))).toEqual(['input.earning.birthdayPoints', 'input.earning.approvalDays', 'input.expiry.months']);
    expect(await stored()).toEqual(before);
  });

  it('refuses wrongly typed input at the schema, writing nothing', async () => {
    const before = await stored();
    for (const input of [{ earning: { signupPoints: 'lots' } }, { earning: { base: 'GROSS' } }, { expiry: { months: 3 } }, { earning: { approvalDays: 1.5 } }]) {
      const { body } = await update(input);
      expect(body.errors?.[0].message, JSON.stringify(input)).toBeTruthy();
      expect(body.data ?? null).toBeNull();
    }
    expect(await stored()).toEqual(before);
  });

  it('keeps both of two concurrent partial updates', async () => {
    const results = await Promise.all([
      update({ earning: { signupPoints: 321 } }),
      update({ earning: { reviewPoints: 123 } }),
      update({ earning: { birthdayPoints: 77 } }),
      update({ pointsCurrencySingular: 'Gem', pointsCurrencyPlural: 'Gems' }),
    ]);
    for (const r of results) expect(r.body.data!.programSettingsUpdate.userErrors).toEqual([]);
    const after = await stored();
    expect(after.earning).toMatchObject({ signupPoints: 321, reviewPoints: 123, birthdayPoints: 77 });
    expect(after).toMatchObject({ pointsCurrencySingular: 'Gem', pointsCurrencyPlural: 'Gems' });
  });
});
