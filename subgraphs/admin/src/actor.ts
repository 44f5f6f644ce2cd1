import { describePrincipal, forbidden, type Context, type Principal } from '@herethere/runtime';

export type AdminPrincipal = Extract<Principal, { kind: 'admin' }>;

/** The signed-in admin; resolvers behind @Authorized('admin…') can rely on it. */
export function adminOf(ctx: Context): AdminPrincipal {
  const p = ctx.principal;
  if (p.kind !== 'admin') throw forbidden('Only a platform admin can do this');
  return p;
}

/** Who an audit row names: `admin:<id>` plus the admin user id for the foreign key. */
export interface Actor {
  actor: string;
  adminUserId: string | null;
}

export function actorOf(ctx: Context): Actor {
  const p = ctx.principal;
  return { actor: describePrincipal(p), adminUserId: p.kind === 'admin' ? p.adminUserId : null };
}
