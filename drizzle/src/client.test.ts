import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { plans } from './schema/index';
import { openTestDb } from './testing';
import { beforeCommit, queuedRows, queueRows, txRoot, txView, type DbHandle } from './client';

const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

describe('database client', () => {
  let h: DbHandle;
  beforeAll(async () => {
    // One connection, so the statements checked below are the ones this connection prepared.
    h = await openTestDb({ max: 1 });
    await h.db.insert(plans).values({ id: 'plan_client_test', name: 'Client test', basePriceMinor: 0, currency: 'EUR' });
  });
  afterAll(() => h.close());

  const byId = (id: string) => h.db.select({ currency: plans.currency }).from(plans).where(eq(plans.id, id));

  it('answers builder and raw queries with parameters, in and out of transactions, nested included', async () => {
    expect(await byId('plan_client_test')).toEqual([{ currency: 'EUR' }]);
    expect(await byId('plan_none')).toEqual([]);
    const inside = await h.db.transaction(async (tx) => {
      const outer = await tx.select({ currency: plans.currency }).from(plans).where(eq(plans.id, 'plan_client_test'));
      const nested = await tx.transaction((inner) => h.rows<{ n: number }>(sql`select ${41}::int + 1 as n`, inner));
      return { outer, nested };
    });
    expect(inside).toEqual({ outer: [{ currency: 'EUR' }], nested: [{ n: 42 }] });
  });

  it('runs deferred work once per key just before commit, for views of the transaction too, and drops it on rollback', async () => {
    await h.rows(sql`create table deferred_rows (n int not null)`);
    const count = async () => Number((await h.rows<{ n: number }>(sql`select count(*)::int as n from deferred_rows`))[0].n);
    const seen = await h.db.transaction(async (tx) => {
      const flush = async (t: typeof tx) => void (await h.rows(sql`insert into deferred_rows (n) values (1)`, t));
      beforeCommit(tx, 'rows', flush);
      beforeCommit(txView(tx), 'rows', flush);
      // Deferred work may defer more of its own.
      beforeCommit(tx, 'more', async (t) => beforeCommit(t, 'last', flush));
      return h.rows<{ n: number }>(sql`select count(*)::int as n from deferred_rows`, tx);
    });
    expect(Number(seen[0].n)).toBe(0);
    expect(await count()).toBe(2);
    await expect(h.db.transaction(async (tx) => {
      beforeCommit(tx, 'rows', async (t) => void (await h.rows(sql`insert into deferred_rows (n) values (2)`, t)));
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await count()).toBe(2);
    expect(txRoot(txView(txView(h.db as never)))).toBe(h.db);
  });

  it('queues rows from every view of a transaction and writes them with one call before commit, readable until then', async () => {
    await h.rows(sql`create table queued_rows (n int not null)`);
    const writes: number[][] = [];
    const write = async (t: Parameters<typeof queueRows>[0], rows: { n: number }[]) => {
      writes.push(rows.map((r) => r.n));
      await h.rows(sql`insert into queued_rows (n) select (v->>'n')::int from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) v`, t);
    };
    const seen = await h.db.transaction(async (tx) => {
      queueRows(tx, 'queued_rows', [], write);
      queueRows(tx, 'queued_rows', [{ n: 1 }], write);
      queueRows(txView(tx), 'queued_rows', [{ n: 2 }, { n: 3 }], write);
      return queuedRows<{ n: number }>(txView(tx), 'queued_rows').map((r) => r.n);
    });
    expect(seen).toEqual([1, 2, 3]);
    expect(writes).toEqual([[1, 2, 3]]);
    expect((await h.rows<{ n: number }>(sql`select n from queued_rows order by n`)).map((r) => Number(r.n))).toEqual([1, 2, 3]);
  });

  it('takes a Date in raw SQL as its instant, every time the statement runs', async () => {
    const at = new Date('2026-11-27T05:00:00.000Z');
    for (let i = 0; i < 3; i++) {
      const [row] = await h.rows<{ later: boolean; iso: string }>(sql`select ${at}::timestamptz < ${new Date(at.getTime() + 1)}::timestamptz as later,
        to_char(${at}::timestamptz at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') as iso`);
      expect(row).toEqual({ later: true, iso: '2026-11-27T05:00:00' });
    }
  });

  it.runIf(onPostgres)('prepares statements on PostgreSQL, so a repeat is one round trip without a new parse', async () => {
    for (let i = 0; i < 3; i++) await byId('plan_client_test');
    await h.db.transaction((tx) => tx.select({ currency: plans.currency }).from(plans).where(eq(plans.id, 'plan_client_test')));
    const prepared = await h.rows<{ statement: string }>(sql`select statement from pg_prepared_statements where statement like ${'%from "plans"%'}`);
    // The same text in and out of the transaction is one statement, prepared once.
    expect(prepared).toHaveLength(1);
    expect(prepared[0].statement).toContain('where "plans"."id" = $1');
  });

  it.runIf(onPostgres)('a prepared statement still answers after its table changes shape', async () => {
    await h.rows(sql`create table client_shape (a int)`);
    await h.rows(sql`insert into client_shape values (1)`);
    expect(await h.rows(sql`select * from client_shape where a = ${1}`)).toEqual([{ a: 1 }]);
    await h.rows(sql`alter table client_shape add column b int`);
    expect(await h.rows(sql`select * from client_shape where a = ${1}`)).toEqual([{ a: 1, b: null }]);
  });
});
