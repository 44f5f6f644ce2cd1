import type { SubgraphDefinition } from '@herethere/runtime';
import { AuditLogResolver } from './audit/resolver';
import { MerchantResolver, resolveMerchantReference } from './merchant/resolver';
import { AdminSessionResolver } from './session/resolver';
import { AdminUserResolver } from './user/resolver';

/** admin owns admin users and sessions, the audit trail, plans and the platform views. */
export const adminSubgraph: SubgraphDefinition = {
  name: 'admin',
  resolvers: [AdminSessionResolver, AdminUserResolver, AuditLogResolver, MerchantResolver],
  referenceResolvers: { Merchant: { __resolveReference: resolveMerchantReference } },
};

export { createAdminUser, type AdminUserRow } from './user/data';
export { createAdminSession, authenticateAdminToken, SESSION_TTL_MS } from './session/data';
export { hashPassword, verifyPassword, passwordProblem } from './password';
export { writeAudit, type AuditEntry } from './audit/data';
export type { AdminUserInput } from './user/validation';
export type { AdminPrincipal } from './actor';
