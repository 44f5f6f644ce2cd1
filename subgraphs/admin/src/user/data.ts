import { and, asc, count, eq, gt, inArray, isNull, ne, sql } from 'drizzle-orm';
import { adminUsers, newId, type AdminRole, type Db, type DbOrTx } from '@herethere/db';
import { userError, UserErrorCode, type Context, type UserError } from '@herethere/runtime';
import type { Actor } from '../actor';
import { writeAudit } from '../audit/data';
import { uniqueViolation } from '../db-errors';
import { hashPassword } from '../password';
import { revokeAllSessions } from '../session/data';
import { adminUserInputProblems, normalizeAdminUserInput, type AdminUserInput } from './validation';

export type AdminUserRow = typeof adminUsers.$inferSelect;

export type Result<T> = { ok: true; value: T } | { ok: false; errors: UserError[] };
const fail = (code: UserErrorCode, message: string, field?: string): { ok: false; errors: UserError[] } => ({
  ok: false,
  errors: [userError(code, message, field ? ['input', field] : undefined)],
});

/** Batches admin user lookups by id within one request. */
export const adminUserById = (ctx: Context) =>
  ctx.loader<string, AdminUserRow | null>('admin.adminUserById', async (ids) => {
    const rows = await ctx.db.db.select().from(adminUsers).where(inArray(adminUsers.id, [...ids]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  });

/** Which of username / email another admin user already holds (case-insensitively), if any. */
async function takenField(on: DbOrTx, username: string | null, email: string | null, exceptId?: string): Promise<'username' | 'email' | null> {
  const others = exceptId ? ne(adminUsers.id, exceptId) : undefined;
  if (username) {
    const [hit] = await on.select({ id: adminUsers.id }).from(adminUsers).where(and(sql`lower(${adminUsers.username}) = lower(${username})`, others)).limit(1);
    if (hit) return 'username';
  }
  if (email) {
    const [hit] = await on.select({ id: adminUsers.id }).from(adminUsers).where(and(sql`lower(${adminUsers.email}) = lower(${email})`, others)).limit(1);
    if (hit) return 'email';
  }
  return null;
}

/** Maps a unique-index violation on admin_users to the input field it concerns. */
function takenFromError(err: unknown): 'username' | 'email' | null {
  const constraint = uniqueViolation(err);
  if (constraint === null) return null;
  return constraint.includes('email') ? 'email' : 'username';
}

const takenMessage = (field: 'username' | 'email') => `An admin user with that ${field} already exists`;

/**
 * Validates, hashes and inserts an admin user with its audit row in one transaction. Shared by the
 * GraphQL mutation (which turns the result into userErrors) and the CLI (which throws).
 */
export async function insertAdminUser(db: Db, raw: AdminUserInput, by: Actor): Promise<Result<AdminUserRow>> {
  const input = normalizeAdminUserInput(raw);
  const problems = adminUserInputProblems(input);
  if (problems.length) return { ok: false, errors: problems.map((p) => userError(UserErrorCode.INVALID, p.message, ['input', p.field])) };
  const taken = await takenField(db, input.username, input.email);
  if (taken) return fail(UserErrorCode.TAKEN, takenMessage(taken), taken);
  // Hash outside the transaction: argon2 is deliberately slow and must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const id = newId('adminUser');
  try {
    const row = await db.transaction(async (tx) => {
      const [created] = await tx.insert(adminUsers).values({ id, username: input.username, email: input.email, passwordHash, role: input.role as AdminRole }).returning();
      await writeAudit(tx, { ...by, action: 'admin_user.create', targetType: 'admin_user', targetId: id, details: { username: input.username, email: input.email, role: input.role } });
      return created;
    });
    return { ok: true, value: row };
  } catch (err) {
    // Two creations raced past the check above; the unique index decided.
    const field = takenFromError(err);
    if (field) return fail(UserErrorCode.TAKEN, takenMessage(field), field);
    throw err;
  }
}

/**
 * Creates an admin user outside GraphQL (CLI, seeding). Throws an Error naming every problem
 * with the input; audited as `system`.
 */
export async function createAdminUser(db: Db, input: AdminUserInput): Promise<AdminUserRow> {
  const result = await insertAdminUser(db, input, { actor: 'system', adminUserId: null });
  if (!result.ok) throw new Error(`Cannot create admin user: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.value;
}

export async function listAdminUsers(ctx: Context, limit: number, afterId?: string): Promise<AdminUserRow[]> {
  return ctx.db.db.select().from(adminUsers).where(afterId ? gt(adminUsers.id, afterId) : undefined).orderBy(asc(adminUsers.id)).limit(limit + 1);
}

export async function countAdminUsers(ctx: Context): Promise<number> {
  const [row] = await ctx.db.db.select({ n: count() }).from(adminUsers);
  return Number(row?.n ?? 0);
}

const isActiveOwner = (u: Pick<AdminUserRow, 'role' | 'disabledAt'>) => u.role === 'owner' && !u.disabledAt;

/**
 * The platform must always keep one active owner, or nobody could manage admins again. The other
 * active owners are locked so two owners cannot demote each other at the same moment.
 */
async function isLastActiveOwner(tx: DbOrTx, userId: string): Promise<boolean> {
  const owners = await tx
    .select({ id: adminUsers.id })
    .from(adminUsers)
    .where(and(eq(adminUsers.role, 'owner'), isNull(adminUsers.disabledAt)))
    .for('update');
  return !owners.some((o) => o.id !== userId);
}

export interface AdminUserPatch {
  email?: string | null;
  role?: AdminRole | null;
  disabled?: boolean | null;
}

/** Changes email, role or disabled; disabling revokes every session of the user. */
export async function updateAdminUser(db: Db, by: Actor, id: string, patch: AdminUserPatch): Promise<Result<AdminUserRow>> {
  const email = patch.email?.trim();
  try {
    return await db.transaction(async (tx): Promise<Result<AdminUserRow>> => {
      const [current] = await tx.select().from(adminUsers).where(eq(adminUsers.id, id)).for('update');
      if (!current) return fail(UserErrorCode.NOT_FOUND, 'No admin user with that id', 'id');

      const set: Partial<typeof adminUsers.$inferInsert> = {};
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (email !== undefined && email !== current.email) {
        set.email = email;
        changes.email = { from: current.email, to: email };
      }
      if (patch.role != null && patch.role !== current.role) {
        set.role = patch.role;
        changes.role = { from: current.role, to: patch.role };
      }
      if (patch.disabled != null && patch.disabled !== Boolean(current.disabledAt)) {
        set.disabledAt = patch.disabled ? new Date() : null;
        changes.disabled = { from: !patch.disabled, to: patch.disabled };
      }
      if (Object.keys(set).length === 0) return { ok: true, value: current };

      const next = { role: set.role ?? current.role, disabledAt: 'disabledAt' in set ? (set.disabledAt ?? null) : current.disabledAt };
      if (isActiveOwner(current) && !isActiveOwner(next) && (await isLastActiveOwner(tx, id))) {
        return fail(UserErrorCode.CONFLICT, 'This is the last active owner: make another admin an owner first', changes.role ? 'role' : 'disabled');
      }
      if (set.email && (await takenField(tx, null, set.email, id))) return fail(UserErrorCode.TAKEN, takenMessage('email'), 'email');

      const [row] = await tx.update(adminUsers).set({ ...set, updatedAt: new Date() }).where(eq(adminUsers.id, id)).returning();
      const revokedSessions = set.disabledAt ? await revokeAllSessions(tx, id) : 0;
      await writeAudit(tx, { ...by, action: 'admin_user.update', targetType: 'admin_user', targetId: id, details: { username: current.username, changes, revokedSessions } });
      return { ok: true, value: row };
    });
  } catch (err) {
    if (takenFromError(err)) return fail(UserErrorCode.TAKEN, takenMessage('email'), 'email');
    throw err;
  }
}

/**
 * Soft delete: the row stays (audit rows point at it) but the account is disabled and every
 * session revoked. Repeating it is harmless.
 */
export async function deleteAdminUser(db: Db, by: Actor, id: string): Promise<Result<AdminUserRow>> {
  return db.transaction(async (tx): Promise<Result<AdminUserRow>> => {
    const [current] = await tx.select().from(adminUsers).where(eq(adminUsers.id, id)).for('update');
    if (!current) return fail(UserErrorCode.NOT_FOUND, 'No admin user with that id', 'id');
    if (isActiveOwner(current) && (await isLastActiveOwner(tx, id))) return fail(UserErrorCode.CONFLICT, 'This is the last active owner and cannot be deleted', 'id');
    const now = new Date();
    const [row] = await tx.update(adminUsers).set({ disabledAt: current.disabledAt ?? now, updatedAt: now }).where(eq(adminUsers.id, id)).returning();
    const revokedSessions = await revokeAllSessions(tx, id);
    await writeAudit(tx, { ...by, action: 'admin_user.delete', targetType: 'admin_user', targetId: id, details: { username: current.username, revokedSessions } });
    return { ok: true, value: row };
  });
}
