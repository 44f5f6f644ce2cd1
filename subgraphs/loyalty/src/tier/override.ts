import { sql } from 'drizzle-orm';
import { newId } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { loadStatuses, loadTierContext, tierValues, toStored } from './data';
import { settleTierGrants } from './grants';
import { publishTierMoves, applyTierDecisions, type AppliedMove } from './recompute';
import { decideTier, EMPTY_STATUS, qualificationWindow, type StoredTierStatus } from './rules';

export interface OverrideActor {
  /** describePrincipal(), e.g. `merchant:shop.myshopify.com` or `admin:adm_…`. */
  actor: string;
  adminUserId: string | null;
}

export type OverrideResult =
  | { status: 'done'; moves: AppliedMove[] }
  | { status: 'customer_not_found' }
  | { status: 'tier_not_found' }
  | { status: 'no_override' };

/**
 * Sets (tierId given or null for "no tier") or clears a customer's override, in one transaction with
 * the audit row: the customer is locked, the decision is the recompute's own rule (a set override pins
 * the tier; a cleared one moves the customer straight to what they qualify for), and the move is
 * recorded with who did it and why.
 */
export async function changeOverride(
  deps: Deps,
  merchantId: string,
  customerId: string,
  change: { kind: 'set'; tierId: string | null; until: Date | null; reason: string } | { kind: 'clear'; reason: string },
  who: OverrideActor,
  at = new Date(),
): Promise<OverrideResult> {
  const ctx = await loadTierContext(deps.db.db, merchantId);
  if (!ctx) return { status: 'customer_not_found' };
  if (change.kind === 'set' && change.tierId && !ctx.tiers.some((t) => t.id === change.tierId)) return { status: 'tier_not_found' };
  const result = await deps.db.db.transaction(async (tx): Promise<OverrideResult> => {
    const [customer] = await deps.db.rows<{ id: string; state: string }>(
      sql`select id, state from customers where merchant_id = ${merchantId} and id = ${customerId} for update`, tx);
    if (!customer) return { status: 'customer_not_found' };
    const row = (await loadStatuses(tx, merchantId, [customerId])).get(customerId);
    const stored: StoredTierStatus = row ? toStored(row) : EMPTY_STATUS;
    if (change.kind === 'clear' && !stored.overrideActive) return { status: 'no_override' };
    const window = qualificationWindow(ctx.tiers[0]?.window ?? 'lifetime', at, ctx.timeZone);
    const value = customer.state === 'member' ? (await tierValues(deps, tx, ctx, window, [customerId])).get(customerId) ?? 0 : -1;
    const input: StoredTierStatus = change.kind === 'set'
      ? { ...stored, overrideActive: true, overrideTierId: change.tierId, overrideUntil: change.until, overrideReason: change.reason, overrideBy: who.actor }
      : { ...stored, overrideUntil: at };
    const decision = decideTier({ stored: input, tiers: ctx.tiers, value, window, at, timeZone: ctx.timeZone });
    // The decision sees the override as already set (or just ended); the move is from what was stored.
    const next = decision.next;
    const moved = next.tierId !== stored.tierId;
    const fromPos = ctx.tiers.find((t) => t.id === stored.tierId)?.position ?? -1;
    const toPos = ctx.tiers.find((t) => t.id === next.tierId)?.position ?? -1;
    const details = { ...(decision.move?.details ?? {}), by: who.actor, note: change.reason, until: change.kind === 'set' ? change.until?.toISOString() ?? null : null };
    const final = {
      next: { ...next, tierSince: moved ? (next.tierId ? at : null) : stored.tierSince },
      move: moved ? { from: stored.tierId, to: next.tierId, reason: change.kind === 'set' ? 'override' as const : 'override_cleared' as const, up: next.tierId !== null && toPos > fromPos, details } : null,
      changed: true,
    };
    const moves = await applyTierDecisions(deps, tx, ctx, [{ customerId, decision: final }], who.actor, at);
    await deps.db.rows(sql`
      insert into audit_logs (id, actor, admin_user_id, merchant_id, action, target_type, target_id, details)
      values (${newId('auditLog')}, ${who.actor}, ${who.adminUserId}, ${merchantId},
        ${change.kind === 'set' ? 'vip_tier.override_set' : 'vip_tier.override_clear'}, 'customer', ${customerId},
        ${JSON.stringify({ fromTierId: stored.tierId, toTierId: next.tierId, overrideTierId: change.kind === 'set' ? change.tierId : null, until: details.until, reason: change.reason })}::jsonb)`, tx);
    return { status: 'done', moves };
  });
  if (result.status === 'done') {
    await publishTierMoves(deps, result.moves);
    if (result.moves.some((m) => m.up)) await settleTierGrants(deps, { merchantId, customerId });
  }
  return result;
}
