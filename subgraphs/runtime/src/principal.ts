import type { AdminRole, ApiKeyScope } from '@herethere/db';

/**
 * Who is making a request. Resolved once at the gateway, carried to subgraphs inside the signed
 * internal credential. Tenancy comes from here, never from a resolver argument.
 */
export type Principal =
  | { kind: 'customer'; merchantId: string; shop: string; customerId: string; shopifyCustomerId: string }
  | { kind: 'visitor'; merchantId: string; shop: string }
  | { kind: 'merchant'; merchantId: string; shop: string; staffId?: string }
  | { kind: 'developer'; merchantId: string; shop: string; keyId: string; scopes: ApiKeyScope[] }
  | { kind: 'admin'; adminUserId: string; username: string; role: AdminRole; sessionId: string }
  | { kind: 'service'; name: string }
  | { kind: 'anonymous' };

export type PrincipalKind = Principal['kind'];
export type ShopPrincipal = Extract<Principal, { merchantId: string }>;

export function merchantOf(p: Principal): string | undefined {
  return 'merchantId' in p ? p.merchantId : undefined;
}

/** A short, log-safe description such as `merchant:demo-shop.myshopify.com`. */
export function describePrincipal(p: Principal): string {
  switch (p.kind) {
    case 'customer': return `customer:${p.customerId}`;
    case 'visitor': return `visitor:${p.shop}`;
    case 'merchant': return `merchant:${p.shop}${p.staffId ? `/${p.staffId}` : ''}`;
    case 'developer': return `developer:${p.keyId}`;
    case 'admin': return `admin:${p.adminUserId}`;
    case 'service': return `service:${p.name}`;
    case 'anonymous': return 'anonymous';
  }
}
