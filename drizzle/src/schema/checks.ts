import { sql, type SQL } from 'drizzle-orm';

/** `'a','b','c'` for a CHECK constraint over a closed set of text values (values are code constants, never input). */
export const inList = (values: readonly string[]): SQL => sql.raw(values.map((v) => `'${v.replace(/'/g, "''")}'`).join(','));
