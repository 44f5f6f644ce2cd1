import { sql } from 'drizzle-orm';
import { char, integer, text, timestamp } from 'drizzle-orm/pg-core';

/** Shared column builders so every table spells tenancy, time and money the same way. */
export const merchantId = () => text('merchant_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
/** Money is integer minor units plus an ISO 4217 code; never a float. */
export const minor = (name: string) => integer(name);
export const currency = (name = 'currency') => char(name, { length: 3 });
export const nowSql = sql`now()`;
export const idText = () => text('id').notNull();
