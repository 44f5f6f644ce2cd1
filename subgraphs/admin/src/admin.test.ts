import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { count, eq, sql } from 'drizzle-orm';
import { graphql, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { adminSessions, adminUsers, auditLogs, merchants, newId, plans, type DbHandle } from '@herethere/db';
import { openTestDb } from '@herethere/db/testing';
import {
  buildFederatedSchema,
  createContext,
  createLogger,
  createMemoryCache,
  createMemoryPubSub,
  sha256,
  testConfig,
  type Deps,
  type Principal,
} from '@herethere/runtime';
import { adminSubgraph, authenticateAdminToken, createAdminSession, createAdminUser, hashPassword, verifyPassword } from './index';

const OWNER_PASSWORD = 'correct horse battery staple';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('admin subgraph', () => {
  let h: DbHandle;
  let deps: Deps;
  let schema: GraphQLSchema;
  let owner: Json;
  let viewer: Json;

  const adminPrincipal = (user: Json, sessionId = 'ses_test'): Principal => ({ kind: 'admin', adminUserId: user.id, username: user.username, role: user.role, sessionId });
  const anonymous: Principal = { kind: 'anonymous' };

  async function run(principal: Principal, source: string, variableValues?: Record<string, unknown>): Promise<ExecutionResult<Json>> {
    return (await graphql({ schema, source, variableValues, contextValue: createContext(deps, principal, 'test') })) as ExecutionResult<Json>;
  }
  /** Runs and insists there were no GraphQL errors. */
  async function ok(principal: Principal, source: string, variableValues?: Record<string, unknown>): Promise<Json> {
    const res = await run(principal, source, variableValues);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }
  const rowCount = async (table: typeof adminUsers | typeof adminSessions | typeof auditLogs) => Number((await h.db.select({ n: count() }).from(table))[0].n);
  const auditActions = async () => (await h.db.select({ action: auditLogs.action }).from(auditLogs)).map((r) => r.action);
  const counts = async () => ({ users: await rowCount(adminUsers), sessions: await rowCount(adminSessions), audits: await rowCount(auditLogs) });

  const LOGIN = `mutation($input: AdminSessionCreateInput!) {
    adminSessionCreate(input: $input) { token expiresAt session { id active } adminUser { id username role disabled lastLoginAt } userErrors { field message code } }
  }`;
  const CREATE = `mutation($input: AdminUserCreateInput!) {
    adminUserCreate(input: $input) { adminUser { id username email role disabled } userErrors { field message code } }
  }`;
  const UPDATE = `mutation($input: AdminUserUpdateInput!) {
    adminUserUpdate(input: $input) { adminUser { id email role disabled } userErrors { field message code } }
  }`;

  beforeAll(async () => {
    h = await openTestDb();
    deps = { config: testConfig(), db: h, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
    schema = await buildFederatedSchema(adminSubgraph);
  });
  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    await h.db.execute(sql`truncate audit_logs, admin_sessions, admin_users cascade`);
    owner = await createAdminUser(h.db, { username: 'root', email: 'root@example.com', password: OWNER_PASSWORD, role: 'owner' });
    viewer = await createAdminUser(h.db, { username: 'watcher', email: 'watcher@example.com', password: 'viewer password 1', role: 'viewer' });
  });

  describe('passwords', () => {
    it('hashes with argon2id and the explicit parameters', async () => {
      const hash = await hashPassword('twelve chars!');
      expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      expect(await verifyPassword(hash, 'twelve chars!')).toBe(true);
      expect(await verifyPassword(hash, 'twelve chars?')).toBe(false);
      expect(await verifyPassword('not a hash', 'twelve chars!')).toBe(false);
    });

    it('refuses passwords outside 12 to 256 characters', async () => {
      await expect(hashPassword('short')).rejects.toThrow(/at least 12/);
      await expect(hashPassword('x'.repeat(257))).rejects.toThrow(/at most 256/);
    });

    it('stores only the hash', async () => {
      const [row] = await h.db.select().from(adminUsers).where(eq(adminUsers.id, owner.id));
      expect(row.passwordHash).not.toContain(OWNER_PASSWORD);
      expect(row.passwordHash.startsWith('$argon2id$')).toBe(true);
    });
  });

  describe('createAdminUser (CLI)', () => {
    it('throws a clear error on bad input and writes nothing', async () => {
      const before = await counts();
      await expect(createAdminUser(h.db, { username: 'a', email: 'nope', password: 'short', role: 'god' })).rejects.toThrow(/username must be.*email must be.*password must be at least 12.*role must be one of/);
      await expect(createAdminUser(h.db, { username: 'ROOT', email: 'other@example.com', password: OWNER_PASSWORD, role: 'viewer' })).rejects.toThrow(/username already exists/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('sign-in', () => {
    it('returns a token whose sha256 is the stored session hash', async () => {
      const data = await ok(anonymous, LOGIN, { input: { username: 'root', password: OWNER_PASSWORD } });
      const p = data.adminSessionCreate;
      expect(p.userErrors).toEqual([]);
      expect(p.token).toMatch(/^hta_[A-Za-z0-9_-]{43}$/);
      expect(p.adminUser).toMatchObject({ id: owner.id, username: 'root', role: 'OWNER', disabled: false });
      expect(p.adminUser.lastLoginAt).not.toBeNull();
      const [row] = await h.db.select().from(adminSessions).where(eq(adminSessions.tokenHash, sha256(p.token)));
      expect(row).toBeDefined();
      expect(row.id).toBe(p.session.id);
      expect(row.tokenHash).not.toBe(p.token);
      const ttl = row.expiresAt.getTime() - row.createdAt.getTime();
      expect(Math.abs(ttl - 12 * 3600_000)).toBeLessThan(60_000);
      expect(new Date(p.expiresAt).getTime()).toBe(row.expiresAt.getTime());
      expect(await auditActions()).toContain('admin.login');

      // The gateway's check turns the token back into the admin principal.
      expect(await authenticateAdminToken(h.db, p.token)).toMatchObject({ kind: 'admin', adminUserId: owner.id, role: 'owner', sessionId: row.id });
      expect(await authenticateAdminToken(h.db, `${p.token}x`)).toBeNull();
    });

    it('accepts the username in any case', async () => {
      const data = await ok(anonymous, LOGIN, { input: { username: 'ROOT', password: OWNER_PASSWORD } });
      expect(data.adminSessionCreate.userErrors).toEqual([]);
    });

    it('gives the same INVALID error for a wrong password and an unknown user, and writes no session', async () => {
      const wrong = await ok(anonymous, LOGIN, { input: { username: 'root', password: 'wrong password here' } });
      const unknown = await ok(anonymous, LOGIN, { input: { username: 'nobody', password: OWNER_PASSWORD } });
      for (const p of [wrong.adminSessionCreate, unknown.adminSessionCreate]) {
        expect(p.token).toBeNull();
        expect(p.adminUser).toBeNull();
        expect(p.userErrors).toEqual([{ field: null, message: 'Invalid username or password', code: 'INVALID' }]);
      }
      expect(await rowCount(adminSessions)).toBe(0);

      const failed = await h.db.select().from(auditLogs).where(eq(auditLogs.action, 'admin.login_failed'));
      expect(failed).toHaveLength(2);
      expect(failed.map((f) => f.details.username).sort()).toEqual(['nobody', 'root']);
      for (const f of failed) expect(JSON.stringify(f.details)).not.toMatch(/password here|battery/);
    });

    it('refuses a disabled user even with the right password', async () => {
      await h.db.update(adminUsers).set({ disabledAt: new Date() }).where(eq(adminUsers.id, viewer.id));
      const data = await ok(anonymous, LOGIN, { input: { username: 'watcher', password: 'viewer password 1' } });
      expect(data.adminSessionCreate.token).toBeNull();
      expect(data.adminSessionCreate.userErrors[0].code).toBe('DISABLED');
      expect(await rowCount(adminSessions)).toBe(0);
    });

    it('createAdminSession opens a session without a password, for the CLI', async () => {
      const s = await createAdminSession(h.db, owner.id, { ip: '127.0.0.1', userAgent: 'cli' });
      expect(s.token.startsWith('hta_')).toBe(true);
      const [row] = await h.db.select().from(adminSessions).where(eq(adminSessions.id, s.sessionId));
      expect(row.tokenHash).toBe(sha256(s.token));
      expect(row.expiresAt.getTime()).toBe(s.expiresAt.getTime());
      await h.db.update(adminUsers).set({ disabledAt: new Date() }).where(eq(adminUsers.id, viewer.id));
      await expect(createAdminSession(h.db, viewer.id)).rejects.toThrow(/disabled/);
      await expect(createAdminSession(h.db, 'adm_missing')).rejects.toThrow(/No admin user/);
    });
  });

  describe('sessions', () => {
    it('lists the current admin’s sessions and revokes one', async () => {
      const a = await createAdminSession(h.db, viewer.id);
      const b = await createAdminSession(h.db, viewer.id);
      await createAdminSession(h.db, owner.id);
      const me = adminPrincipal(viewer, a.sessionId);

      const list = await ok(me, '{ adminSessions { id current active adminUser { username } } }');
      expect(list.adminSessions.map((s: Json) => s.id).sort()).toEqual([a.sessionId, b.sessionId].sort());
      expect(list.adminSessions.find((s: Json) => s.id === a.sessionId).current).toBe(true);

      const auditsBefore = await rowCount(auditLogs);
      const res = await ok(me, 'mutation($id: ID!) { adminSessionRevoke(input: { id: $id }) { session { id revokedAt active } userErrors { code } } }', { id: b.sessionId });
      expect(res.adminSessionRevoke.userErrors).toEqual([]);
      expect(res.adminSessionRevoke.session.active).toBe(false);
      const [row] = await h.db.select().from(adminSessions).where(eq(adminSessions.id, b.sessionId));
      expect(row.revokedAt).toBeInstanceOf(Date);
      expect(await rowCount(auditLogs)).toBe(auditsBefore + 1);
      expect(await auditActions()).toContain('admin_session.revoke');
      expect(await authenticateAdminToken(h.db, b.token)).toBeNull();

      const after = await ok(me, '{ adminSessions { id } }');
      expect(after.adminSessions.map((s: Json) => s.id)).toEqual([a.sessionId]);
    });

    it('a non-owner cannot revoke someone else’s session; an owner can', async () => {
      const theirs = await createAdminSession(h.db, owner.id);
      const mine = await createAdminSession(h.db, viewer.id);
      const REVOKE = 'mutation($id: ID!) { adminSessionRevoke(input: { id: $id }) { session { id } userErrors { code } } }';
      const denied = await ok(adminPrincipal(viewer, mine.sessionId), REVOKE, { id: theirs.sessionId });
      expect(denied.adminSessionRevoke.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
      const [still] = await h.db.select().from(adminSessions).where(eq(adminSessions.id, theirs.sessionId));
      expect(still.revokedAt).toBeNull();

      const done = await ok(adminPrincipal(owner), REVOKE, { id: mine.sessionId });
      expect(done.adminSessionRevoke.userErrors).toEqual([]);
    });

    it('refuses the anonymous principal', async () => {
      const res = await run(anonymous, '{ adminSessions { id } }');
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    });
  });

  describe('admin users', () => {
    it('adminMe and adminUsers', async () => {
      const me = await ok(adminPrincipal(viewer), '{ adminMe { id username role } }');
      expect(me.adminMe).toEqual({ id: viewer.id, username: 'watcher', role: 'VIEWER' });
      const page1 = await ok(adminPrincipal(viewer), '{ adminUsers(first: 1) { totalCount nodes { username } pageInfo { hasNextPage endCursor } } }');
      expect(page1.adminUsers.totalCount).toBe(2);
      expect(page1.adminUsers.nodes).toHaveLength(1);
      expect(page1.adminUsers.pageInfo.hasNextPage).toBe(true);
      const page2 = await ok(adminPrincipal(viewer), 'query($after: String) { adminUsers(first: 1, after: $after) { nodes { username } pageInfo { hasNextPage } } }', { after: page1.adminUsers.pageInfo.endCursor });
      expect(page2.adminUsers.pageInfo.hasNextPage).toBe(false);
      expect([page1.adminUsers.nodes[0].username, page2.adminUsers.nodes[0].username].sort()).toEqual(['root', 'watcher']);
    });

    it('a viewer cannot create users, and nothing is written', async () => {
      const before = await counts();
      const res = await run(adminPrincipal(viewer), CREATE, { input: { username: 'sneaky', email: 'sneaky@example.com', password: 'long enough password', role: 'OWNER' } });
      expect(res.errors?.[0].message).toMatch(/Not allowed for this principal/);
      expect(['FORBIDDEN', 'UNAUTHORIZED']).toContain(res.errors?.[0].extensions?.code);
      expect(await counts()).toEqual(before);
    });

    it('an owner creates a user, audited; a duplicate username or email is TAKEN and writes nothing', async () => {
      const created = await ok(adminPrincipal(owner), CREATE, { input: { username: 'helper', email: 'helper@example.com', password: 'long enough password', role: 'SUPPORT' } });
      expect(created.adminUserCreate.userErrors).toEqual([]);
      expect(created.adminUserCreate.adminUser).toMatchObject({ username: 'helper', email: 'helper@example.com', role: 'SUPPORT', disabled: false });

      const [audit] = await h.db.select().from(auditLogs).where(eq(auditLogs.action, 'admin_user.create')).orderBy(sql`${auditLogs.id} desc`).limit(1);
      expect(audit).toMatchObject({ actor: `admin:${owner.id}`, adminUserId: owner.id, targetId: created.adminUserCreate.adminUser.id });
      expect(JSON.stringify(audit.details)).not.toContain('long enough password');

      const before = await counts();
      const dupName = await ok(adminPrincipal(owner), CREATE, { input: { username: 'HELPER', email: 'new@example.com', password: 'long enough password', role: 'VIEWER' } });
      expect(dupName.adminUserCreate).toEqual({ adminUser: null, userErrors: [{ field: ['input', 'username'], message: 'An admin user with that username already exists', code: 'TAKEN' }] });
      const dupEmail = await ok(adminPrincipal(owner), CREATE, { input: { username: 'other', email: 'Helper@Example.com', password: 'long enough password', role: 'VIEWER' } });
      expect(dupEmail.adminUserCreate.userErrors).toEqual([{ field: ['input', 'email'], message: 'An admin user with that email already exists', code: 'TAKEN' }]);
      expect(await counts()).toEqual(before);
    });

    it('two creations racing on one username: the unique index decides, the loser gets TAKEN', async () => {
      const input = { username: 'twin', email: 'twin1@example.com', password: 'long enough password', role: 'VIEWER' };
      const results = await Promise.all([
        ok(adminPrincipal(owner), CREATE, { input }),
        ok(adminPrincipal(owner), CREATE, { input: { ...input, email: 'twin2@example.com' } }),
      ]);
      const errors = results.flatMap((r) => r.adminUserCreate.userErrors);
      expect(errors).toEqual([{ field: ['input', 'username'], message: 'An admin user with that username already exists', code: 'TAKEN' }]);
      expect((await h.db.select().from(adminUsers).where(eq(adminUsers.username, 'twin'))).length).toBe(1);
      expect((await h.db.select().from(auditLogs).where(eq(auditLogs.action, 'admin_user.create'))).length).toBe(3);
    });

    it('invalid username, email or password are userErrors and nothing is written', async () => {
      const before = await counts();
      const data = await ok(adminPrincipal(owner), CREATE, { input: { username: 'no spaces allowed', email: 'not-an-email', password: 'too short', role: 'VIEWER' } });
      expect(data.adminUserCreate.adminUser).toBeNull();
      expect(data.adminUserCreate.userErrors.map((e: Json) => [e.field.join('.'), e.code])).toEqual([
        ['input.username', 'INVALID'],
        ['input.email', 'INVALID'],
        ['input.password', 'INVALID'],
      ]);
      const tooLong = await ok(adminPrincipal(owner), CREATE, { input: { username: 'okname', email: 'ok@example.com', password: 'p'.repeat(257), role: 'VIEWER' } });
      expect(tooLong.adminUserCreate.userErrors).toEqual([{ field: ['input', 'password'], message: 'password must be at most 256 characters', code: 'INVALID' }]);
      expect(await counts()).toEqual(before);
    });

    it('an unknown role is refused by the schema, and nothing is written', async () => {
      const before = await counts();
      const res = await run(adminPrincipal(owner), CREATE, { input: { username: 'okname', email: 'ok@example.com', password: 'long enough password', role: 'GOD' } });
      expect(res.errors?.[0].message).toMatch(/AdminRole/);
      expect(await counts()).toEqual(before);
    });

    it('updates email, role and disabled, audited; disabling revokes sessions', async () => {
      const session = await createAdminSession(h.db, viewer.id);
      const data = await ok(adminPrincipal(owner), UPDATE, { input: { id: viewer.id, email: 'eyes@example.com', role: 'SUPPORT', disabled: true } });
      expect(data.adminUserUpdate.userErrors).toEqual([]);
      expect(data.adminUserUpdate.adminUser).toEqual({ id: viewer.id, email: 'eyes@example.com', role: 'SUPPORT', disabled: true });
      expect(await authenticateAdminToken(h.db, session.token)).toBeNull();
      const [audit] = await h.db.select().from(auditLogs).where(eq(auditLogs.action, 'admin_user.update'));
      expect(audit.details).toMatchObject({ changes: { email: { from: 'watcher@example.com', to: 'eyes@example.com' }, role: { from: 'viewer', to: 'support' }, disabled: { from: false, to: true } }, revokedSessions: 1 });
    });

    it('bad update input is a userError and nothing is written', async () => {
      const before = await counts();
      const bad = await ok(adminPrincipal(owner), UPDATE, { input: { id: viewer.id, email: 'nope' } });
      expect(bad.adminUserUpdate.userErrors[0]).toMatchObject({ field: ['input', 'email'], code: 'INVALID' });
      const empty = await ok(adminPrincipal(owner), UPDATE, { input: { id: viewer.id } });
      expect(empty.adminUserUpdate.userErrors[0].code).toBe('INVALID');
      const missing = await ok(adminPrincipal(owner), UPDATE, { input: { id: 'adm_missing', role: 'VIEWER' } });
      expect(missing.adminUserUpdate.userErrors[0].code).toBe('NOT_FOUND');
      const taken = await ok(adminPrincipal(owner), UPDATE, { input: { id: viewer.id, email: 'ROOT@example.com' } });
      expect(taken.adminUserUpdate.userErrors[0]).toMatchObject({ field: ['input', 'email'], code: 'TAKEN' });
      expect(await counts()).toEqual(before);
    });

    it('the last active owner cannot demote or disable themselves', async () => {
      const before = await counts();
      for (const change of [{ role: 'SUPPORT' }, { disabled: true }]) {
        const data = await ok(adminPrincipal(owner), UPDATE, { input: { id: owner.id, ...change } });
        expect(data.adminUserUpdate.adminUser).toBeNull();
        expect(data.adminUserUpdate.userErrors[0].code).toBe('CONFLICT');
      }
      expect(await counts()).toEqual(before);
      const [row] = await h.db.select().from(adminUsers).where(eq(adminUsers.id, owner.id));
      expect(row.role).toBe('owner');
      expect(row.disabledAt).toBeNull();

      // With a second owner, stepping down is fine.
      await ok(adminPrincipal(owner), UPDATE, { input: { id: viewer.id, role: 'OWNER' } });
      const stepDown = await ok(adminPrincipal(owner), UPDATE, { input: { id: owner.id, role: 'SUPPORT' } });
      expect(stepDown.adminUserUpdate.userErrors).toEqual([]);
      expect(stepDown.adminUserUpdate.adminUser.role).toBe('SUPPORT');
    });

    it('delete disables and revokes sessions, audited; not yourself', async () => {
      const session = await createAdminSession(h.db, viewer.id);
      const DELETE = 'mutation($id: ID!) { adminUserDelete(input: { id: $id }) { deletedAdminUserId userErrors { field code message } } }';
      const self = await ok(adminPrincipal(owner), DELETE, { id: owner.id });
      expect(self.adminUserDelete.userErrors[0].code).toBe('FORBIDDEN');

      const before = await rowCount(auditLogs);
      const data = await ok(adminPrincipal(owner), DELETE, { id: viewer.id });
      expect(data.adminUserDelete).toEqual({ deletedAdminUserId: viewer.id, userErrors: [] });
      const [row] = await h.db.select().from(adminUsers).where(eq(adminUsers.id, viewer.id));
      expect(row.disabledAt).toBeInstanceOf(Date);
      expect(await authenticateAdminToken(h.db, session.token)).toBeNull();
      expect(await rowCount(auditLogs)).toBe(before + 1);
      expect(await auditActions()).toContain('admin_user.delete');

      const login = await ok(anonymous, LOGIN, { input: { username: 'watcher', password: 'viewer password 1' } });
      expect(login.adminSessionCreate.userErrors[0].code).toBe('DISABLED');
    });

    it('a support admin cannot update or delete users', async () => {
      const support = await createAdminUser(h.db, { username: 'support', email: 'support@example.com', password: 'support password', role: 'support' });
      const before = await counts();
      const res = await run(adminPrincipal(support), UPDATE, { input: { id: viewer.id, role: 'OWNER' } });
      expect(res.errors?.[0].message).toMatch(/Not allowed for this principal/);
      expect(await counts()).toEqual(before);
    });
  });

  describe('audit logs', () => {
    it('are listed newest first with filters, for support and up only', async () => {
      await ok(anonymous, LOGIN, { input: { username: 'root', password: OWNER_PASSWORD } });
      await ok(anonymous, LOGIN, { input: { username: 'root', password: 'not the password' } });
      const all = await ok(adminPrincipal(owner), '{ auditLogs(first: 10) { nodes { action actor adminUserId details createdAt } } }');
      const actions = all.auditLogs.nodes.map((n: Json) => n.action);
      // Two creations (beforeEach), one login, one failed login; newest first.
      expect(actions).toEqual(['admin.login_failed', 'admin.login', 'admin_user.create', 'admin_user.create']);

      const filtered = await ok(adminPrincipal(owner), 'query($a: String) { auditLogs(action: $a) { nodes { action details } } }', { a: 'admin.login_failed' });
      expect(filtered.auditLogs.nodes).toEqual([{ action: 'admin.login_failed', details: { username: 'root', reason: 'wrong_password' } }]);

      const byUser = await ok(adminPrincipal(owner), 'query($u: ID) { auditLogs(adminUserId: $u) { nodes { action } } }', { u: owner.id });
      expect(byUser.auditLogs.nodes.map((n: Json) => n.action)).toEqual(['admin.login_failed', 'admin.login']);

      const future = await ok(adminPrincipal(owner), 'query($s: DateTimeISO) { auditLogs(since: $s) { nodes { action } } }', { s: new Date(Date.now() + 60_000).toISOString() });
      expect(future.auditLogs.nodes).toEqual([]);

      const denied = await run(adminPrincipal(viewer), '{ auditLogs { nodes { id } } }');
      expect(denied.errors?.[0].message).toMatch(/Not allowed for this principal/);
    });
  });

  describe('merchants', () => {
    const planId = newId('plan');
    const m1 = newId('merchant', Date.now() - 1000); // older, so it lists second
    const m2 = newId('merchant');

    beforeAll(async () => {
      await h.db.insert(plans).values({ id: planId, name: 'Growth', orderLimit: 500, basePriceMinor: 4900, currency: 'USD' });
      await h.db.insert(merchants).values([
        { id: m1, shopDomain: 'alpha-store.myshopify.com', name: 'Alpha', planId },
        { id: m2, shopDomain: 'beta-shop.myshopify.com', name: 'Beta', planId },
      ]);
    });

    const LIST = 'query($s: String, $after: String, $first: Int) { merchants(search: $s, after: $after, first: $first) { nodes { id plan { id name orderLimit basePriceMinor currency } } pageInfo { hasNextPage endCursor } } }';

    it('searches by shop domain or id prefix, case-insensitively', async () => {
      const byDomain = await ok(adminPrincipal(viewer), LIST, { s: 'ALPHA' });
      expect(byDomain.merchants.nodes).toEqual([{ id: m1, plan: { id: planId, name: 'Growth', orderLimit: 500, basePriceMinor: 4900, currency: 'USD' } }]);
      const byId = await ok(adminPrincipal(viewer), LIST, { s: m2.slice(0, 18).toUpperCase() });
      expect(byId.merchants.nodes.map((n: Json) => n.id)).toEqual([m2]);
      const wildcard = await ok(adminPrincipal(viewer), LIST, { s: '%' });
      expect(wildcard.merchants.nodes).toEqual([]);
      const all = await ok(adminPrincipal(viewer), LIST, { first: 1 });
      expect(all.merchants.nodes.map((n: Json) => n.id)).toEqual([m2]);
      expect(all.merchants.pageInfo.hasNextPage).toBe(true);
      const next = await ok(adminPrincipal(viewer), LIST, { first: 1, after: all.merchants.pageInfo.endCursor });
      expect(next.merchants.nodes.map((n: Json) => n.id)).toEqual([m1]);
    });

    it('is for admins only', async () => {
      const res = await run({ kind: 'merchant', merchantId: m1, shop: 'alpha-store.myshopify.com' }, LIST, {});
      expect(res.errors?.[0].message).toMatch(/Not allowed for this principal/);
    });

    it('resolves Merchant references, with plan, only for admins and the merchant itself', async () => {
      const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on Merchant { id plan { name } } } }';
      const reps = { r: [{ __typename: 'Merchant', id: m1 }, { __typename: 'Merchant', id: m2 }] };
      const asAdmin = await ok(adminPrincipal(viewer), ENTITIES, reps);
      expect(asAdmin._entities).toEqual([{ id: m1, plan: { name: 'Growth' } }, { id: m2, plan: { name: 'Growth' } }]);
      const asMerchant = await ok({ kind: 'merchant', merchantId: m1, shop: 'alpha-store.myshopify.com' }, ENTITIES, reps);
      expect(asMerchant._entities).toEqual([{ id: m1, plan: { name: 'Growth' } }, null]);
    });
  });
});
