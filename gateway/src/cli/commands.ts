import { eq } from 'drizzle-orm';
import { adminUsers, merchants, migrate } from '@herethere/db';
import { createAdminSession, createAdminUser } from '@herethere/admin';
import { ensureCustomer, reconcileRedemptions } from '@herethere/loyalty';
import { describeVerification, verifyLedger } from '@herethere/loyalty/ledger/verify';
import type { Deps } from '@herethere/runtime';
import { mintMerchantSessionToken } from '../auth/dev-tokens';
import { signWidgetToken } from '../auth/widget-token';
import { seedDemo } from '../seed';

export const USAGE = `Usage: pnpm loyalty <command>
  migrate                                      apply database migrations
  seed                                         install the demo shop and demo customers
  ledger verify [shop]                         check every customer's ledger hash chain and balance (exit 1 on problems)
  admin create <username> [email] [role]       create a platform admin (password from ADMIN_PASSWORD or stdin)
  token merchant <shop>                        (development) print a merchant session token
  token customer <shop> <shopify-customer-id>  (development) print a widget token for a customer
  token admin <username>                       (development) print an admin session token
  redemptions reconcile [--grace <seconds>]    resolve reward reservations left by a crash (default grace 600 s)`;

export interface CommandResult {
  code: number;
  out: string;
}

class CommandFailure extends Error {
  constructor(message: string, readonly code = 1) {
    super(message);
  }
}

const fail = (message: string, code = 1): never => {
  throw new CommandFailure(message, code);
};

async function shopId(deps: Deps, shop: string): Promise<string> {
  const [m] = await deps.db.db.select({ id: merchants.id }).from(merchants).where(eq(merchants.shopDomain, shop));
  return m?.id ?? fail(`Shop ${shop} is not installed (try: pnpm loyalty seed)`);
}

/**
 * The CLI's commands, as one function of (deps, args, password) so they run the same whether the
 * CLI owns the database or hands them to the running embedded server (see control.ts).
 */
export interface CommandOptions {
  password?: string;
  /** The caller's own NODE_ENV is production: development-only commands are refused. */
  callerInProduction?: boolean;
}

export async function runCommand(deps: Deps, args: string[], opts: CommandOptions = {}): Promise<CommandResult> {
  try {
    return { code: 0, out: await dispatch(deps, args, opts) };
  } catch (err) {
    if (err instanceof CommandFailure) return { code: err.code, out: err.message };
    return { code: 1, out: `Failed: ${(err as Error).message}` };
  }
}

async function dispatch(deps: Deps, args: string[], { password, callerInProduction }: CommandOptions): Promise<string> {
  const [command, sub, ...rest] = args;
  switch (command) {
    case 'migrate':
      await migrate(deps.db);
      return 'migrations applied';
    case 'seed':
      return `demo shop seeded (${(await seedDemo(deps)).merchantId})`;
    case 'ledger': {
      if (sub !== 'verify' || rest.length > 1) return fail(USAGE, 2);
      const result = await verifyLedger(deps.db.db, rest[0] ? await shopId(deps, rest[0]) : undefined);
      const report = describeVerification(result);
      return result.problems.length ? fail(report, 1) : report;
    }
    case 'redemptions': {
      if (sub !== 'reconcile' || (rest.length && (rest[0] !== '--grace' || !/^\d{1,7}$/.test(rest[1] ?? '') || rest.length > 2))) return fail(USAGE, 2);
      const r = await reconcileRedemptions(deps, { graceMs: rest.length ? Number(rest[1]) * 1000 : 600_000 });
      return `reservations examined: ${r.examined}; issued: ${r.issued}; voided (points returned): ${r.voided}; left for later: ${r.unresolved}`;
    }
    case 'admin': {
      if (sub !== 'create' || !rest[0]) return fail(USAGE, 2);
      const [username, email = `${rest[0]}@localhost.localdomain`, role = 'owner'] = rest;
      if (!password) return fail('A password is required: set ADMIN_PASSWORD or pipe it on stdin');
      try {
        const user = await createAdminUser(deps.db.db, { username, email, password, role: role as never });
        return `admin ${user.username} created (${user.id}, ${user.role})`;
      } catch (err) {
        return fail(`Could not create admin: ${(err as Error).message}`);
      }
    }
    case 'token': {
      if (callerInProduction || deps.config.nodeEnv === 'production') return fail('Token minting is for development only and is refused when NODE_ENV=production.', 2);
      if (sub === 'merchant' && rest[0]) {
        await shopId(deps, rest[0]);
        return mintMerchantSessionToken(deps.config, rest[0]);
      }
      if (sub === 'customer' && rest[0] && rest[1]) {
        if (!/^\d{1,20}$/.test(rest[1])) return fail('shopify-customer-id must be numeric');
        const merchantId = await shopId(deps, rest[0]);
        const customer = await ensureCustomer(deps.db.db, merchantId, rest[1]);
        const principal = { kind: 'customer' as const, merchantId, shop: rest[0], customerId: customer.id, shopifyCustomerId: rest[1] };
        return (await signWidgetToken(deps.config.widgetTokenSecret, principal, deps.config.widgetTokenTtlSeconds)).token;
      }
      if (sub === 'admin' && rest[0]) {
        const [user] = await deps.db.db.select({ id: adminUsers.id }).from(adminUsers).where(eq(adminUsers.username, rest[0]));
        if (!user) return fail(`No admin named ${rest[0]} (try: pnpm loyalty admin create ${rest[0]})`);
        return (await createAdminSession(deps.db.db, user.id, { userAgent: 'cli' })).token;
      }
      return fail(USAGE, 2);
    }
    default:
      return fail(USAGE, 2);
  }
}
