import DataLoader from 'dataloader';
import type { DbHandle } from '@herethere/db';
import type { AuthChecker } from 'type-graphql';
import type { Cache } from './cache';
import type { Config } from './config';
import { forbidden, unauthenticated } from './errors';
import type { Logger } from './logger';
import type { Principal, PrincipalKind, ShopPrincipal } from './principal';
import type { LivePubSub } from './pubsub';

/** Process-wide dependencies a service is started with. */
export interface Deps {
  config: Config;
  db: DbHandle;
  pubsub: LivePubSub;
  cache: Cache;
  log: Logger;
}

/** Per-request context: the principal plus request-scoped DataLoaders. */
export interface Context extends Deps {
  principal: Principal;
  requestId: string;
  loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V>;
}

export function createContext(deps: Deps, principal: Principal, requestId: string): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    ...deps,
    principal,
    requestId,
    loader<K, V>(name: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>) {
      let l = loaders.get(name);
      if (!l) {
        l = new DataLoader<unknown, unknown>(batch as never, { maxBatchSize: 500 });
        loaders.set(name, l);
      }
      return l as unknown as DataLoader<K, V>;
    },
  };
}

/**
 * Roles for `@Authorized(...)`: a principal kind (`merchant`, `customer`, …), `admin:<role>`
 * (owner ⊃ support ⊃ viewer) or `developer:<scope>`.
 */
export const authChecker: AuthChecker<Context> = ({ context }, roles) => {
  const p = context.principal;
  if (p.kind === 'anonymous') throw unauthenticated();
  if (roles.length === 0) return true;
  const allowed = roles.some((role) => {
    const [kind, detail] = role.split(':');
    if (kind !== p.kind) return false;
    if (!detail) return true;
    if (p.kind === 'admin') return ADMIN_RANK[p.role] >= ADMIN_RANK[detail as keyof typeof ADMIN_RANK];
    if (p.kind === 'developer') return p.scopes.includes(detail as never);
    return false;
  });
  // An authenticated caller without the right gets FORBIDDEN, not type-graphql's generic error.
  if (!allowed) throw forbidden();
  return true;
};

const ADMIN_RANK = { viewer: 1, support: 2, owner: 3 } as const;

/** The merchant the principal acts for; throws when the principal has no shop. */
export function shopOf(ctx: Context, ...allowed: PrincipalKind[]): ShopPrincipal {
  const p = ctx.principal;
  if (p.kind === 'anonymous') throw unauthenticated();
  if (!('merchantId' in p) || (allowed.length && !allowed.includes(p.kind))) throw forbidden();
  return p;
}

export function customerOf(ctx: Context): Extract<Principal, { kind: 'customer' }> {
  const p = ctx.principal;
  if (p.kind === 'anonymous') throw unauthenticated();
  if (p.kind !== 'customer') throw forbidden('Only a signed-in customer can do this');
  return p;
}
