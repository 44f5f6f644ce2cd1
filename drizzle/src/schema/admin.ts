import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, merchantId, tstz, updatedAt } from './columns';
import { merchants } from './merchant';

export const ADMIN_ROLES = ['owner', 'support', 'viewer'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];

/** Platform operators. Not tenant-owned: they act across merchants, every action audited. */
export const adminUsers = pgTable('admin_users', {
  id: text('id').primaryKey(),
  username: text('username').notNull(),
  email: text('email').notNull(),
  /** argon2id PHC string. */
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<AdminRole>().notNull(),
  disabledAt: tstz('disabled_at'),
  lastLoginAt: tstz('last_login_at'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
}, (t) => [
  uniqueIndex('admin_users_username_key').on(sql`lower(${t.username})`),
  uniqueIndex('admin_users_email_key').on(sql`lower(${t.email})`),
  check('admin_users_role_valid', sql`${t.role} in ('owner','support','viewer')`),
]);

/** Admin sessions: the bearer token is random; only its sha256 is stored. */
export const adminSessions = pgTable('admin_sessions', {
  id: text('id').primaryKey(),
  adminUserId: text('admin_user_id').notNull().references(() => adminUsers.id),
  tokenHash: text('token_hash').notNull(),
  expiresAt: tstz('expires_at').notNull(),
  revokedAt: tstz('revoked_at'),
  lastSeenAt: tstz('last_seen_at'),
  ip: text('ip'),
  userAgent: text('user_agent'),
  createdAt: createdAt(),
}, (t) => [
  uniqueIndex('admin_sessions_token_hash_key').on(t.tokenHash),
  index('idx_admin_sessions_user').on(t.adminUserId),
]);

export const API_KEY_SCOPES = ['read_customers', 'write_points', 'read_analytics', 'write_reviews'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/**
 * Developer API keys. The secret is shown once; only its sha256 is kept. The key string embeds
 * the merchant and key id, so lookups stay on the merchant-led primary key.
 */
export const apiKeys = pgTable('api_keys', {
  merchantId: merchantId().references(() => merchants.id),
  id: text('id').notNull(),
  name: text('name').notNull(),
  secretHash: text('secret_hash').notNull(),
  /** The first characters of the key, shown in listings so a merchant can tell keys apart. */
  displayPrefix: text('display_prefix').notNull(),
  scopes: jsonb('scopes').$type<ApiKeyScope[]>().notNull(),
  lastUsedAt: tstz('last_used_at'),
  revokedAt: tstz('revoked_at'),
  createdAt: createdAt(),
}, (t) => [primaryKey({ columns: [t.merchantId, t.id] })]);

/** Every admin action and every sensitive merchant action, kept for investigation. */
export const auditLogs = pgTable('audit_logs', {
  id: text('id').primaryKey(),
  /** `admin:<id>`, `merchant:<shop>`, `developer:<key id>`, `system`. */
  actor: text('actor').notNull(),
  adminUserId: text('admin_user_id').references(() => adminUsers.id),
  merchantId: text('merchant_id'),
  action: text('action').notNull(),
  targetType: text('target_type'),
  targetId: text('target_id'),
  details: jsonb('details').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  ip: text('ip'),
  createdAt: createdAt(),
}, (t) => [
  index('idx_audit_logs_created').on(t.createdAt),
  index('idx_audit_logs_admin').on(t.adminUserId, t.createdAt),
  index('idx_audit_logs_merchant').on(t.merchantId, t.createdAt),
]);

/** Calls made to the public API and webhook adapter, per merchant. */
export const apiLogs = pgTable('api_logs', {
  merchantId: merchantId(),
  id: text('id').notNull(),
  route: text('route').notNull(),
  method: text('method').notNull(),
  statusCode: integer('status_code').notNull(),
  principal: text('principal').notNull(),
  operationName: text('operation_name'),
  durationMs: integer('duration_ms').notNull(),
  createdAt: createdAt(),
}, (t) => [
  primaryKey({ columns: [t.merchantId, t.id] }),
  index('idx_api_logs_created').on(t.merchantId, t.createdAt),
]);
