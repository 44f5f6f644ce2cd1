import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm';
import { adminSessions, adminUsers, newId, type Db, type DbOrTx } from '@herethere/db';
import { ADMIN_TOKEN_PREFIX, describePrincipal, randomToken, sha256, userError, UserErrorCode, type Context, type UserError } from '@herethere/runtime';
import type { Actor, AdminPrincipal } from '../actor';
import { writeAudit } from '../audit/data';
import { dummyPasswordHash, hashPassword, needsRehash, PASSWORD_MAX_LENGTH, verifyPassword } from '../password';
import type { AdminUserRow } from '../user/data';

export type AdminSessionRow = typeof adminSessions.$inferSelect;

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** last_seen_at is a hint, not a log: write it at most once a minute per session. */
const LAST_SEEN_RESOLUTION_MS = 60_000;

export interface SessionMeta {
  ip?: string | null;
  userAgent?: string | null;
}

interface NewSession {
  token: string;
  session: AdminSessionRow;
}

/** The bearer token is `hta_` + 32 random bytes; only its sha256 is stored. */
async function insertSession(tx: DbOrTx, adminUserId: string, meta: SessionMeta = {}, now = new Date()): Promise<NewSession> {
  const token = `${ADMIN_TOKEN_PREFIX}${randomToken(32)}`;
  const [session] = await tx
    .insert(adminSessions)
    .values({
      id: newId('adminSession'),
      adminUserId,
      tokenHash: sha256(token),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      ip: meta.ip?.slice(0, 64) ?? null,
      userAgent: meta.userAgent?.slice(0, 512) ?? null,
    })
    .returning();
  return { token, session };
}

/**
 * Opens a session for an existing, enabled admin user without a password (the CLI's
 * `admin:login`, seeding, tests). Audited as `admin.session_create` by `system` unless told.
 */
export async function createAdminSession(
  db: Db,
  adminUserId: string,
  meta: SessionMeta & { actor?: string } = {},
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(adminUsers).where(eq(adminUsers.id, adminUserId));
    if (!user) throw new Error(`No admin user with id ${adminUserId}`);
    if (user.disabledAt) throw new Error(`Admin user ${user.username} is disabled`);
    const { token, session } = await insertSession(tx, adminUserId, meta);
    await writeAudit(tx, { actor: meta.actor ?? 'system', adminUserId, action: 'admin.session_create', targetType: 'admin_session', targetId: session.id, ip: meta.ip });
    return { token, sessionId: session.id, expiresAt: session.expiresAt };
  });
}

const INVALID_CREDENTIALS = 'Invalid username or password';

export type LoginResult = { ok: true; token: string; session: AdminSessionRow; user: AdminUserRow } | { ok: false; errors: UserError[] };

/**
 * Username + password login. Unknown users are verified against a dummy hash so a miss takes as
 * long as a wrong password, and both get the same message. Only a caller who knows the password
 * learns that the account is disabled. Every attempt is audited; a failed one writes no session.
 */
export async function login(ctx: Context, username: string, password: string, meta: SessionMeta = {}): Promise<LoginResult> {
  const attempted = username.trim().slice(0, 100);
  const failed = async (reason: string, adminUserId: string | null, error: UserError): Promise<LoginResult> => {
    await writeAudit(ctx.db.db, { actor: describePrincipal(ctx.principal), adminUserId, action: 'admin.login_failed', targetType: 'admin_user', targetId: adminUserId, details: { username: attempted, reason }, ip: meta.ip });
    return { ok: false, errors: [error] };
  };
  const invalid = userError(UserErrorCode.INVALID, INVALID_CREDENTIALS);

  // No stored password can be this long, and hashing it would be wasted work.
  if (attempted.length === 0 || password.length === 0 || [...password].length > PASSWORD_MAX_LENGTH) return failed('malformed', null, invalid);

  // Awaited on every path, so the first unknown-user attempt is not the one that pays for making it.
  const dummy = await dummyPasswordHash();
  const [user] = await ctx.db.db.select().from(adminUsers).where(sql`lower(${adminUsers.username}) = lower(${attempted})`).limit(1);
  const matches = await verifyPassword(user?.passwordHash ?? dummy, password);
  if (!user) return failed('unknown_user', null, invalid);
  if (!matches) return failed('wrong_password', user.id, invalid);
  if (user.disabledAt) return failed('disabled', user.id, userError(UserErrorCode.DISABLED, 'This admin account is disabled'));

  // Hashes made with older parameters are upgraded while we hold the plaintext.
  const rehashed = needsRehash(user.passwordHash) ? await hashPassword(password).catch(() => null) : null;
  return ctx.db.db.transaction(async (tx) => {
    const now = new Date();
    const { token, session } = await insertSession(tx, user.id, meta, now);
    const [updated] = await tx
      .update(adminUsers)
      .set({ lastLoginAt: now, ...(rehashed ? { passwordHash: rehashed, updatedAt: now } : {}) })
      .where(eq(adminUsers.id, user.id))
      .returning();
    await writeAudit(tx, { actor: `admin:${user.id}`, adminUserId: user.id, action: 'admin.login', targetType: 'admin_session', targetId: session.id, details: { username: user.username, rehashed: Boolean(rehashed) }, ip: meta.ip });
    return { ok: true as const, token, session, user: updated };
  });
}

/** Sessions of one admin, newest first; by default only the usable ones. */
export async function listSessions(ctx: Context, adminUserId: string, includeInactive: boolean): Promise<AdminSessionRow[]> {
  const active = includeInactive ? undefined : and(isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, new Date()));
  return ctx.db.db.select().from(adminSessions).where(and(eq(adminSessions.adminUserId, adminUserId), active)).orderBy(desc(adminSessions.id)).limit(100);
}

export type RevokeResult = { ok: true; session: AdminSessionRow } | { ok: false; errors: UserError[] };

/**
 * Revokes one session: an admin may revoke their own, an owner anyone's. A session the caller may
 * not touch is reported as not found, so ids cannot be probed. Revoking twice changes nothing.
 */
export async function revokeSession(ctx: Context, by: Actor, caller: AdminPrincipal, id: string): Promise<RevokeResult> {
  return ctx.db.db.transaction(async (tx): Promise<RevokeResult> => {
    const [current] = await tx.select().from(adminSessions).where(eq(adminSessions.id, id)).for('update');
    if (!current || (current.adminUserId !== caller.adminUserId && caller.role !== 'owner')) {
      return { ok: false, errors: [userError(UserErrorCode.NOT_FOUND, 'No session with that id', ['input', 'id'])] };
    }
    if (current.revokedAt) return { ok: true, session: current };
    const [session] = await tx.update(adminSessions).set({ revokedAt: new Date() }).where(eq(adminSessions.id, id)).returning();
    await writeAudit(tx, { ...by, action: 'admin_session.revoke', targetType: 'admin_session', targetId: id, details: { sessionAdminUserId: current.adminUserId } });
    return { ok: true, session };
  });
}

/** Revokes every live session of a user (disable, delete); returns how many. */
export async function revokeAllSessions(tx: DbOrTx, adminUserId: string): Promise<number> {
  const rows = await tx
    .update(adminSessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(adminSessions.adminUserId, adminUserId), isNull(adminSessions.revokedAt)))
    .returning({ id: adminSessions.id });
  return rows.length;
}

/**
 * The gateway's check of an `Authorization: Bearer hta_…` token: the admin principal when the
 * session is unrevoked, unexpired and its user enabled, otherwise null. Role and username come
 * from the database on every call, so a demotion or disable takes effect at once.
 */
export async function authenticateAdminToken(db: Db, token: string, now = new Date()): Promise<AdminPrincipal | null> {
  if (!token.startsWith(ADMIN_TOKEN_PREFIX) || token.length > 200) return null;
  const [row] = await db
    .select({ session: adminSessions, user: adminUsers })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.adminUserId))
    .where(eq(adminSessions.tokenHash, sha256(token)))
    .limit(1);
  if (!row || row.session.revokedAt || row.session.expiresAt <= now || row.user.disabledAt) return null;
  if (!row.session.lastSeenAt || now.getTime() - row.session.lastSeenAt.getTime() > LAST_SEEN_RESOLUTION_MS) {
    await db.update(adminSessions).set({ lastSeenAt: now }).where(eq(adminSessions.id, row.session.id));
  }
  return { kind: 'admin', adminUserId: row.user.id, username: row.user.username, role: row.user.role, sessionId: row.session.id };
}
