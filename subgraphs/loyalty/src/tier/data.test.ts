import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { hasPrefix, newId, newIdSql, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import { tierValues, type TierContext } from './data';
import { qualificationWindow, type TierDef } from './rules';

/** The value queries against a real database, at the window's edges. */
let h: DbHandle;
const merchantId = newId('merchant');
const [a, b] = [newId('customer'), newId('customer')];
const TZ = 'Pacific/Auckland';
const at = new Date('2026-03-10T00:00:00Z'); // 10 March, 13:00 NZDT
const ctxOf = (kind: TierDef['kind'], window: TierDef['window']): TierContext => ({
  merchantId, timeZone: TZ, currency: 'USD',
  tiers: [{ id: 't', name: 'T', position: 0, threshold: 1, kind, window, multiplierBp: 10_000, retentionDays: null, entryPoints: null, entryRewardId: null, perks: [] }],
});

beforeAll(async () => {
  h = await openTestDb();
  await h.rows(sql`insert into plans (id, name, base_price_minor) values ('p', 'P', 0)`);
  await h.rows(sql`insert into merchants (id, shop_domain, name, plan_id, timezone) values (${merchantId}, 'edges.myshopify.com', 'Edges', 'p', ${TZ})`);
  await h.rows(sql`insert into customers (merchant_id, id) values (${merchantId}, ${a}), (${merchantId}, ${b})`);
  const start = qualificationWindow('rolling_12_months', at, TZ).start!;
  const year = qualificationWindow('calendar_year', at, TZ).start!;
  const o = (id: string, customer: string, total: number, refunded: number, status: string, when: Date) =>
    sql`(${merchantId}, ${id}, ${customer}, 'USD', ${total}, ${total}, ${refunded}, ${status}, ${when.toISOString()}::timestamptz)`;
  await h.rows(sql`insert into orders (merchant_id, id, customer_id, currency, total_minor, earning_base_minor, refunded_minor, status, processed_at) values
    ${o('at-start', a, 1000, 0, 'paid', start)},
    ${o('just-before', a, 2000, 0, 'paid', new Date(start.getTime() - 1))},
    ${o('refunded-part', a, 4000, 1500, 'partially_refunded', new Date(start.getTime() + 86_400_000))},
    ${o('cancelled', a, 8000, 0, 'cancelled', new Date(start.getTime() + 86_400_000))},
    ${o('refunded-all', a, 300, 300, 'refunded', new Date(start.getTime() + 86_400_000))},
    ${o('new-year', b, 500, 0, 'paid', year)},
    ${o('old-year', b, 700, 0, 'paid', new Date(year.getTime() - 1))}`);
  const entry = (type: string, points: number, seq: number, when: Date) =>
    sql`(${merchantId}, ${newId('transaction')}, ${b}, ${type}, ${points}, 0, 'x', 'test', ${`k${seq}`}, 'test', ${seq}, '', ${`h${seq}`}, ${when.toISOString()}::timestamptz)`;
  await h.rows(sql`insert into points_transactions (merchant_id, id, customer_id, type, points, balance_after, reason, source, idempotency_key, actor, seq, prev_hash, hash, created_at) values
    ${entry('purchase', 100, 1, year)}, ${entry('tier_bonus', 500, 2, year)}, ${entry('redemption', -50, 3, year)},
    ${entry('refund_clawback', -30, 4, year)}, ${entry('purchase', 999, 5, new Date(year.getTime() - 1))}`);
});
afterAll(() => h?.close());

describe('tier values at the window edges', () => {
  it('rolling 12 months: the first instant counts, the one before does not; refunds net, cancellations out', async () => {
    const ctx = ctxOf('money_spent', 'rolling_12_months');
    const v = await tierValues({ db: h }, h.db, ctx, qualificationWindow('rolling_12_months', at, TZ), [a, b]);
    expect(v.get(a)).toBe(1000 + 2500);
    const lifetime = await tierValues({ db: h }, h.db, ctx, qualificationWindow('lifetime', at, TZ), [a]);
    expect(lifetime.get(a)).toBe(1000 + 2000 + 2500);
  });

  it('calendar year starts at local midnight on 1 January (11:00 UTC the day before, in Auckland)', async () => {
    const window = qualificationWindow('calendar_year', at, TZ);
    expect(window.start!.toISOString()).toBe('2025-12-31T11:00:00.000Z');
    const v = await tierValues({ db: h }, h.db, ctxOf('money_spent', 'calendar_year'), window, [b]);
    expect(v.get(b)).toBe(500);
  });

  it('order count leaves out cancelled and fully refunded orders; the order being credited can be left out', async () => {
    const ctx = ctxOf('order_count', 'lifetime');
    const w = qualificationWindow('lifetime', at, TZ);
    expect((await tierValues({ db: h }, h.db, ctx, w, [a])).get(a)).toBe(3);
    expect((await tierValues({ db: h }, h.db, ctx, w, [a], { excludeOrderId: 'at-start' })).get(a)).toBe(2);
  });

  it('points earned: net of clawbacks, without entry rewards or spending, inside the window', async () => {
    const v = await tierValues({ db: h }, h.db, ctxOf('points_earned', 'calendar_year'), qualificationWindow('calendar_year', at, TZ), [a, b]);
    expect(v.get(b)).toBe(100 - 30);
    expect(v.get(a)).toBe(0);
  });
});

describe('ids minted in SQL', () => {
  it('have the same prefixed, sortable format as newId, and differ row by row', async () => {
    const rows = await h.rows<{ id: string }>(sql`select ${newIdSql('tierGrant', 1_800_000_000_000)} as id from generate_series(1, 500)`);
    expect(new Set(rows.map((r) => r.id)).size).toBe(500);
    for (const r of rows) expect(hasPrefix(r.id, 'tierGrant')).toBe(true);
    expect(rows[0].id.slice(0, 14)).toBe(newId('tierGrant', 1_800_000_000_000).slice(0, 14));
  });
});
