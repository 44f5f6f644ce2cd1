import type { CampaignConditions, CampaignType } from '@herethere/db';
import { userError, UserErrorCode, type UserError } from '@herethere/runtime';
import { fromLocal, parseLocalDateTime } from '@herethere/runtime/zoned-time';

/** Pure checks of a campaign definition (after the stored row and the requested changes are merged). */

export interface CampaignDraft {
  name: string;
  type: CampaignType;
  multiplierBp: number | null;
  bonusPoints: number | null;
  goalMinor: number | null;
  productIds: string[];
  collectionIds: string[];
  tierIds: string[];
  segmentId: string | null;
  conditions: CampaignConditions;
  startsAt: Date;
  endsAt: Date | null;
}

export const PRODUCT_GID = /^gid:\/\/shopify\/Product\/\d{1,20}$/;
export const COLLECTION_GID = /^gid:\/\/shopify\/Collection\/\d{1,20}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const f = (name: string) => ['input', name];

/**
 * A campaign time: wall-clock (`2025-11-28T00:00`, `2025-11-28`) read in the shop's time zone —
 * a time skipped by a DST jump moves forward, a repeated one means its first occurrence — or an
 * ISO 8601 instant with `Z` or an offset. Null when malformed.
 */
export function parseCampaignTime(text: string, timeZone: string): Date | null {
  const t = text.trim();
  if (INSTANT.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : new Date(ms);
  }
  const local = parseLocalDateTime(t);
  return local ? fromLocal(local, timeZone) : null;
}

const FIELDS_BY_TYPE: Record<CampaignType, { required: string[]; allowed: string[] }> = {
  multiplier: { required: ['multiplierBp'], allowed: ['multiplierBp', 'bonusPoints'] },
  spend_goal: { required: ['goalMinor', 'bonusPoints'], allowed: ['goalMinor', 'bonusPoints'] },
  product_bonus: { required: ['bonusPoints'], allowed: ['bonusPoints', 'productIds', 'collectionIds'] },
  tier_bonus: { required: ['tierIds'], allowed: ['multiplierBp', 'bonusPoints', 'tierIds'] },
  segment_bonus: { required: ['segmentId'], allowed: ['multiplierBp', 'bonusPoints', 'segmentId'] },
};

const present = (d: CampaignDraft, field: string): boolean => {
  const v = (d as unknown as Record<string, unknown>)[field];
  return Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined;
};

export function campaignErrors(d: CampaignDraft, now: Date): UserError[] {
  const errors: UserError[] = [];
  if (!d.name.trim() || d.name.trim().length > 120) errors.push(userError(UserErrorCode.INVALID, 'name must be 1 to 120 characters', f('name')));
  const rules = FIELDS_BY_TYPE[d.type];
  for (const field of rules.required) {
    if (!present(d, field)) errors.push(userError(UserErrorCode.INVALID, `${field} is required for a ${d.type} campaign`, f(field)));
  }
  for (const field of ['multiplierBp', 'bonusPoints', 'goalMinor', 'productIds', 'collectionIds', 'tierIds', 'segmentId']) {
    if (present(d, field) && !rules.allowed.includes(field)) errors.push(userError(UserErrorCode.INVALID, `${field} does not apply to a ${d.type} campaign`, f(field)));
  }
  if ((d.type === 'tier_bonus' || d.type === 'segment_bonus') && d.multiplierBp === null && d.bonusPoints === null) {
    errors.push(userError(UserErrorCode.INVALID, `a ${d.type} campaign needs multiplierBp, bonusPoints or both`, f('multiplierBp')));
  }
  if (d.type === 'product_bonus' && !d.productIds.length && !d.collectionIds.length) {
    errors.push(userError(UserErrorCode.INVALID, 'a product_bonus campaign needs productIds or collectionIds', f('productIds')));
  }
  if (d.multiplierBp !== null && (!Number.isInteger(d.multiplierBp) || d.multiplierBp <= 0 || d.multiplierBp > 100_000)) {
    errors.push(userError(UserErrorCode.INVALID, 'multiplierBp must be above 0 and at most 100000 (10×), in basis points where 10000 = 1.0×', f('multiplierBp')));
  }
  if (d.bonusPoints !== null && (!Number.isInteger(d.bonusPoints) || d.bonusPoints < 1 || d.bonusPoints > 1_000_000)) {
    errors.push(userError(UserErrorCode.INVALID, 'bonusPoints must be a whole number from 1 to 1,000,000', f('bonusPoints')));
  }
  if (d.goalMinor !== null && (!Number.isInteger(d.goalMinor) || d.goalMinor < 1 || d.goalMinor > 2_147_483_647)) {
    errors.push(userError(UserErrorCode.INVALID, 'goalMinor must be a whole number of minor units, at least 1', f('goalMinor')));
  }
  const badProducts = d.productIds.filter((id) => !PRODUCT_GID.test(id));
  if (badProducts.length) errors.push(userError(UserErrorCode.INVALID, `productIds must be Shopify product ids like gid://shopify/Product/123 (not: ${badProducts.slice(0, 3).join(', ')})`, f('productIds')));
  const badCollections = d.collectionIds.filter((id) => !COLLECTION_GID.test(id));
  if (badCollections.length) errors.push(userError(UserErrorCode.INVALID, `collectionIds must be Shopify collection ids like gid://shopify/Collection/123 (not: ${badCollections.slice(0, 3).join(', ')})`, f('collectionIds')));
  if (d.productIds.length + d.collectionIds.length > 250) errors.push(userError(UserErrorCode.INVALID, 'at most 250 products and collections in one campaign', f('productIds')));
  const c = d.conditions;
  if (c.minOrderMinor !== undefined && (!Number.isInteger(c.minOrderMinor) || c.minOrderMinor < 0)) errors.push(userError(UserErrorCode.INVALID, 'conditions.minOrderMinor must be a whole number ≥ 0', ['input', 'conditions', 'minOrderMinor']));
  if (c.maxAwardsPerCustomer !== undefined && (!Number.isInteger(c.maxAwardsPerCustomer) || c.maxAwardsPerCustomer < 1 || c.maxAwardsPerCustomer > 1000)) {
    errors.push(userError(UserErrorCode.INVALID, 'conditions.maxAwardsPerCustomer must be from 1 to 1000', ['input', 'conditions', 'maxAwardsPerCustomer']));
  }
  if (d.endsAt) {
    if (d.endsAt.getTime() <= d.startsAt.getTime()) {
      errors.push(userError(UserErrorCode.INVALID, `endsAt (${d.endsAt.toISOString()}) must be after startsAt (${d.startsAt.toISOString()})`, f('endsAt')));
    } else if (d.endsAt.getTime() <= now.getTime()) {
      errors.push(userError(UserErrorCode.INVALID, `the campaign would be entirely in the past: it ends ${d.endsAt.toISOString()}, before now`, f('endsAt')));
    }
  }
  return errors;
}
