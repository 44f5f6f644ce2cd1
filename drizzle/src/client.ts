import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema/index';

export type Schema = typeof schema;
/** The one database type every module uses, whichever driver sits underneath. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export interface DbHandle {
  db: Db;
  driver: 'pglite' | 'postgres';
  /** Rows of a raw query, the same shape on both drivers (postgres.js returns an array, PGlite `{ rows }`). */
  rows<T = Record<string, unknown>>(query: SQL, on?: DbOrTx): Promise<T[]>;
  close(): Promise<void>;
}

function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

const ROOT = Symbol('transaction');

/**
 * A view of a transaction for one of several tasks running in it side by side (their statements
 * pipelined on its connection): the same transaction, so everything commits or rolls back
 * together, but an object of its own, so what is kept per transaction object (the ledger's list of
 * what was posted) stays per task. `txRoot` gives back the transaction, for what is shared.
 */
export function txView(tx: Tx): Tx {
  const view = Object.create(tx) as Tx & { [ROOT]?: Tx };
  view[ROOT] = txRoot(tx);
  return view;
}

/** The transaction a view was made from (or the object itself when it is not a view). */
export const txRoot = <T extends object>(tx: T): T => (tx as T & { [ROOT]?: T })[ROOT] ?? tx;

const pendingFlushes = new WeakMap<object, Map<string, (tx: Tx) => Promise<void>>>();

/**
 * Defers work to just before `tx` commits, once per key however often it is asked for, so rows that
 * each step of a transaction would insert one statement at a time (a leaderboard delta per ledger
 * entry, for every order of an inbox batch) go in with one. Transactions opened with
 * `DbHandle.db.transaction` run these; a rollback discards them.
 */
export function beforeCommit(tx: Tx, key: string, flush: (tx: Tx) => Promise<void>): void {
  const root = txRoot(tx);
  let pending = pendingFlushes.get(root);
  if (!pending) pendingFlushes.set(root, (pending = new Map()));
  if (!pending.has(key)) pending.set(key, flush);
}

const queues = new WeakMap<object, Map<string, unknown[]>>();

/**
 * Rows for one table that many steps of a transaction produce (a leaderboard delta per ledger
 * entry, fingerprints per order): kept under `key` for the transaction and handed to `write` once,
 * just before it commits, so they go in with one statement. `queuedRows` reads them meanwhile.
 */
export function queueRows<T>(tx: Tx, key: string, rows: T[], write: (tx: Tx, rows: T[]) => Promise<void>): void {
  if (!rows.length) return;
  const root = txRoot(tx);
  let byKey = queues.get(root);
  if (!byKey) queues.set(root, (byKey = new Map()));
  let queued = byKey.get(key) as T[] | undefined;
  if (!queued) {
    byKey.set(key, (queued = []));
    const all = queued;
    beforeCommit(tx, key, async (t) => {
      byKey.delete(key);
      await write(t, all);
    });
  }
  queued.push(...rows);
}

/** The rows queued under `key` in this transaction and not yet written. */
export const queuedRows = <T>(tx: Tx, key: string): readonly T[] => (queues.get(txRoot(tx))?.get(key) as T[] | undefined) ?? [];

/** `db.transaction` that runs the transaction's `beforeCommit` work at the end of its callback. */
function flushingBeforeCommit(db: Db): Db {
  const transaction = db.transaction.bind(db);
  db.transaction = ((run, config) => transaction(async (tx) => {
    const result = await run(tx);
    // A flush may defer more work (rows of its own); keep going until nothing is left.
    for (let pending = pendingFlushes.get(tx); pending?.size; pending = pendingFlushes.get(tx)) {
      pendingFlushes.delete(tx);
      for (const flush of pending.values()) await flush(tx);
    }
    return result;
  }, config)) as Db['transaction'];
  return db;
}

/** Rows of a raw query on a database or transaction, for code that has no DbHandle (same as `DbHandle.rows`). */
export const queryRows = async <T = Record<string, unknown>>(on: DbOrTx, query: SQL): Promise<T[]> => rowsOf<T>(await on.execute(query));

export interface OpenDbOptions {
  /** postgres:// URL for production; otherwise PGlite at `dataDir` (or in memory when undefined). */
  url?: string;
  dataDir?: string;
  max?: number;
}

type PgClient = postgres.Sql;
type PgTxClient = postgres.TransactionSql;

/**
 * drizzle runs its query-builder statements with `prepare: false`, and postgres.js then sends every
 * statement with parameters twice over: Parse+Describe to learn the parameter types, wait for the
 * answer, then Bind+Execute. Preparing (postgres.js caches named statements per connection by
 * text and types) makes a repeat one round trip and spares PostgreSQL parsing it again, which
 * halves the round trips of a webhook or a redemption. Connections are recycled after their
 * lifetime (postgres.js `max_lifetime`), which bounds the statements each one keeps.
 */
/**
 * A Date in raw SQL (`sql\`… < ${date}\``) goes as its ISO text, which PostgreSQL reads as the
 * parameter's type; postgres.js cannot send a Date once drizzle has taken over its date types.
 */
const instant = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

function preparing<T extends PgClient | PgTxClient>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (query: string, params?: unknown[], options?: Record<string, unknown>) =>
          target.unsafe(query, params?.map(instant) as never[], { ...options, prepare: true });
      }
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const run = args.pop() as (tx: PgTxClient) => unknown;
          const method = Reflect.get(target, prop, receiver) as (...a: unknown[]) => Promise<unknown>;
          return method(...args, (tx: PgTxClient) => run(preparing(tx)));
        };
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

export async function openDb(options: OpenDbOptions): Promise<DbHandle> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.max ?? 10,
      onnotice: () => {},
    });
    const db = flushingBeforeCommit(drizzlePostgres(preparing(client), { schema }) as unknown as Db);
    return {
      db,
      driver: 'postgres',
      rows: <T>(query: SQL, on: DbOrTx = db) => queryRows<T>(on, query),
      close: () => client.end({ timeout: 5 }),
    };
  }
  const client = options.dataDir ? new PGlite(options.dataDir) : new PGlite();
  await client.waitReady;
  const db = flushingBeforeCommit(drizzlePglite(client, { schema }) as unknown as Db);
  return {
    db,
    driver: 'pglite',
    rows: <T>(query: SQL, on: DbOrTx = db) => queryRows<T>(on, query),
    close: () => client.close(),
  };
}

export { sql };
