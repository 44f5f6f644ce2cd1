import { and, asc, eq, sql } from 'drizzle-orm';
import { merchants, newId, rewardRedemptions, rewards, rewardSettings, type RewardKind, type UsedRewardRefundPolicy } from '@herethere/db';
import { userError, UserErrorCode, type Context, type UserError } from '@herethere/runtime';

export type RewardRow = typeof rewards.$inferSelect;
export type RewardView = RewardRow & { slider: { pointsPerStep: number; valueMinorPerStep: number; maxSteps: number } | null };

export const toView = (row: RewardRow): RewardView => ({
  ...row,
  slider: row.kind === 'points_slider' && row.pointsPerStep && row.valueMinorPerStep && row.maxSteps
    ? { pointsPerStep: row.pointsPerStep, valueMinorPerStep: row.valueMinorPerStep, maxSteps: row.maxSteps }
    : null,
});

/** The editable fields of a reward, as the mutations take them. */
export interface RewardFields {
  name?: string;
  description?: string | null;
  pointsCost?: number | null;
  valueMinor?: number | null;
  percentageBp?: number | null;
  productVariantId?: string | null;
  pointsPerStep?: number | null;
  valueMinorPerStep?: number | null;
  maxSteps?: number | null;
  minOrderMinor?: number | null;
  codeExpiryDays?: number | null;
  perCustomerLimit?: number | null;
  enabled?: boolean;
  combinesWith?: { order: boolean; product: boolean; shipping: boolean };
  sortOrder?: number;
}

const MAX_POINTS = 10_000_000;
const MAX_MINOR = 100_000_000;
const VARIANT = /^(gid:\/\/shopify\/ProductVariant\/)?\d{1,20}$/;

const f = (name: string) => ['input', name];

/** Which fields each kind uses; a field set for another kind is a mistake worth saying so. */
const KIND_FIELDS: Record<RewardKind, (keyof RewardFields)[]> = {
  fixed_amount: ['pointsCost', 'valueMinor'],
  percentage: ['pointsCost', 'percentageBp'],
  free_shipping: ['pointsCost'],
  free_product: ['pointsCost', 'productVariantId', 'valueMinor'],
  points_slider: ['pointsPerStep', 'valueMinorPerStep', 'maxSteps'],
};
const KIND_SPECIFIC: (keyof RewardFields)[] = ['pointsCost', 'valueMinor', 'percentageBp', 'productVariantId', 'pointsPerStep', 'valueMinorPerStep', 'maxSteps'];

function intIn(errors: UserError[], name: string, v: number | null | undefined, min: number, max: number, required: boolean) {
  if (v === null || v === undefined) {
    if (required) errors.push(userError(UserErrorCode.INVALID, `${name} is required for this kind of reward`, f(name)));
    return;
  }
  if (!Number.isInteger(v) || v < min || v > max) errors.push(userError(UserErrorCode.INVALID, `${name} must be a whole number from ${min} to ${max.toLocaleString('en')}`, f(name)));
}

/**
 * Checks a complete reward (the stored row with the requested changes applied). `given` lists the
 * fields the caller actually sent, so a field meant for another kind is reported.
 */
export function validateReward(kind: RewardKind, r: RewardFields, given: Set<string>): UserError[] {
  const errors: UserError[] = [];
  const name = r.name?.trim() ?? '';
  if (name.length < 1 || name.length > 120) errors.push(userError(UserErrorCode.INVALID, 'name must be 1 to 120 characters', f('name')));
  if (r.description && r.description.length > 1000) errors.push(userError(UserErrorCode.INVALID, 'description must be at most 1000 characters', f('description')));
  for (const field of KIND_SPECIFIC) {
    if (given.has(field) && r[field] !== null && r[field] !== undefined && !KIND_FIELDS[kind].includes(field)) {
      errors.push(userError(UserErrorCode.INVALID, `${field} does not apply to a ${kind} reward`, f(field)));
    }
  }
  if (kind !== 'points_slider') intIn(errors, 'pointsCost', r.pointsCost, 1, MAX_POINTS, true);
  if (kind === 'fixed_amount') intIn(errors, 'valueMinor', r.valueMinor, 1, MAX_MINOR, true);
  if (kind === 'free_product') {
    intIn(errors, 'valueMinor', r.valueMinor, 1, MAX_MINOR, false);
    if (!r.productVariantId || !VARIANT.test(r.productVariantId)) errors.push(userError(UserErrorCode.INVALID, 'productVariantId must be a Shopify product variant id (numeric or gid://shopify/ProductVariant/…)', f('productVariantId')));
  }
  if (kind === 'percentage') intIn(errors, 'percentageBp', r.percentageBp, 1, 10_000, true);
  if (kind === 'points_slider') {
    intIn(errors, 'pointsPerStep', r.pointsPerStep, 1, MAX_POINTS, true);
    intIn(errors, 'valueMinorPerStep', r.valueMinorPerStep, 1, MAX_MINOR, true);
    intIn(errors, 'maxSteps', r.maxSteps, 1, 1000, true);
  }
  intIn(errors, 'minOrderMinor', r.minOrderMinor, 0, MAX_MINOR, false);
  intIn(errors, 'codeExpiryDays', r.codeExpiryDays, 1, 3650, false);
  intIn(errors, 'perCustomerLimit', r.perCustomerLimit, 1, 1_000_000, false);
  if (r.sortOrder !== undefined) intIn(errors, 'sortOrder', r.sortOrder, -1_000_000, 1_000_000, false);
  return errors;
}

/** Stored values for a kind: fields of other kinds are cleared, a slider's cost is one step. */
function normalise(kind: RewardKind, r: RewardFields) {
  const keep = (field: keyof RewardFields) => (KIND_FIELDS[kind].includes(field) ? (r[field] as never) ?? null : null);
  return {
    name: r.name!.trim(),
    description: r.description?.trim() || null,
    pointsCost: kind === 'points_slider' ? r.pointsPerStep! : r.pointsCost!,
    valueMinor: keep('valueMinor'),
    percentageBp: keep('percentageBp'),
    productVariantId: keep('productVariantId'),
    pointsPerStep: keep('pointsPerStep'),
    valueMinorPerStep: keep('valueMinorPerStep'),
    maxSteps: keep('maxSteps'),
    minOrderMinor: r.minOrderMinor ?? null,
    codeExpiryDays: r.codeExpiryDays ?? null,
    perCustomerLimit: r.perCustomerLimit ?? null,
    enabled: r.enabled ?? true,
    combinesWith: r.combinesWith ?? { order: false, product: false, shipping: false },
    sortOrder: r.sortOrder ?? 0,
  };
}

export async function findReward(ctx: Context, merchantId: string, id: string): Promise<RewardRow | null> {
  const [row] = await ctx.db.db.select().from(rewards).where(and(eq(rewards.merchantId, merchantId), eq(rewards.id, id)));
  return row ?? null;
}

export async function listRewards(ctx: Context, merchantId: string): Promise<RewardRow[]> {
  return ctx.db.db.select().from(rewards).where(eq(rewards.merchantId, merchantId)).orderBy(asc(rewards.sortOrder), asc(rewards.id));
}

export async function createReward(ctx: Context, merchantId: string, kind: RewardKind, fields: RewardFields): Promise<RewardRow> {
  const [m] = await ctx.db.db.select({ currency: merchants.currency }).from(merchants).where(eq(merchants.id, merchantId));
  const [row] = await ctx.db.db.insert(rewards).values({ merchantId, id: newId('reward'), kind, currency: m.currency, ...normalise(kind, fields) }).returning();
  return row;
}

export async function updateReward(ctx: Context, current: RewardRow, fields: RewardFields): Promise<RewardRow> {
  const [row] = await ctx.db.db.update(rewards).set({ ...normalise(current.kind, fields), updatedAt: new Date() })
    .where(and(eq(rewards.merchantId, current.merchantId), eq(rewards.id, current.id))).returning();
  return row;
}

/** Deletes a reward nobody has redeemed; a redeemed one must be disabled instead (redemptions point at it). */
export async function deleteReward(ctx: Context, merchantId: string, id: string): Promise<'deleted' | 'redeemed' | 'not_found'> {
  return ctx.db.db.transaction(async (tx) => {
    const [row] = await tx.select({ id: rewards.id }).from(rewards).where(and(eq(rewards.merchantId, merchantId), eq(rewards.id, id))).for('update');
    if (!row) return 'not_found';
    const [used] = await tx.select({ n: sql<number>`count(*)::int` }).from(rewardRedemptions)
      .where(and(eq(rewardRedemptions.merchantId, merchantId), eq(rewardRedemptions.rewardId, id)));
    if (used.n > 0) return 'redeemed';
    await tx.delete(rewards).where(and(eq(rewards.merchantId, merchantId), eq(rewards.id, id)));
    return 'deleted';
  });
}

export async function getRewardSettings(ctx: Context, merchantId: string): Promise<{ usedRewardOnFullRefund: UsedRewardRefundPolicy }> {
  const [row] = await ctx.db.db.select().from(rewardSettings).where(eq(rewardSettings.merchantId, merchantId));
  return { usedRewardOnFullRefund: row?.usedRewardOnFullRefund ?? 'keep' };
}

export async function setRewardSettings(ctx: Context, merchantId: string, policy: UsedRewardRefundPolicy) {
  await ctx.db.db.insert(rewardSettings).values({ merchantId, usedRewardOnFullRefund: policy })
    .onConflictDoUpdate({ target: rewardSettings.merchantId, set: { usedRewardOnFullRefund: policy, updatedAt: new Date() } });
  return { usedRewardOnFullRefund: policy };
}
