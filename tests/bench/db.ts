import { sql } from 'drizzle-orm';
import type { DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';

/** A fresh, migrated PostgreSQL database for one bench, with its URL for the service processes. */
export async function benchDatabase(serverUrl: string, max = 10): Promise<{ db: DbHandle; url: string }> {
  const db = await openTestDb({ serverUrl, max });
  const [row] = await db.rows<{ name: string }>(sql`select current_database() as name`);
  const url = new URL(serverUrl);
  url.pathname = `/${row.name}`;
  return { db, url: url.toString() };
}
