import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDb, type DbHandle } from './client';
import { migrate } from './migrate';

/**
 * A freshly migrated, empty database for one test file.
 *
 * With TEST_DATABASE_URL set (a PostgreSQL server), a uniquely named database is created on
 * that server, migrated, and dropped again by `close()`. Otherwise an in-memory PGlite.
 */
export async function openTestDb(opts: { serverUrl?: string; max?: number } = {}): Promise<DbHandle> {
  const serverUrl = opts.serverUrl ?? process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    const handle = await openDb({});
    try {
      await migrate(handle);
    } catch (err) {
      await handle.close();
      throw err;
    }
    return handle;
  }

  const name = `herethere_t_${randomBytes(8).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const dropDatabase = async () => {
    const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    } finally {
      await dropper.end({ timeout: 5 });
    }
  };

  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  let handle: DbHandle | undefined;
  try {
    handle = await openDb({ url: url.toString(), max: opts.max ?? 5 });
    await migrate(handle);
  } catch (err) {
    await handle?.close().catch(() => {});
    await dropDatabase();
    throw err;
  }
  const opened = handle;
  const closeConnection = opened.close;
  return {
    ...opened,
    close: async () => {
      try {
        await closeConnection();
      } finally {
        await dropDatabase();
      }
    },
  };
}
