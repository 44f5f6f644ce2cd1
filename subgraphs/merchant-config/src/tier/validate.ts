import { userError, UserErrorCode, type UserError } from '@herethere/runtime';

/** Pure checks of tier definitions: each field on its own, then the ladder as a whole. */

export const MAX_THRESHOLD = 2_147_483_647;
export const MAX_TIERS = 50;
export const MAX_MULTIPLIER_BP = 100_000;
export const MAX_ENTRY_POINTS = 1_000_000;
export const MAX_RETENTION_DAYS = 3650;

export interface TierFields {
  name?: string;
  threshold?: number;
  earningMultiplierBp?: number;
  perks?: string[];
  entryRewardPoints?: number | null;
  entryRewardId?: string | null;
  entryRewardDescription?: string | null;
  retentionDays?: number | null;
}

const f = (name: string) => ['input', name];

export function tierFieldErrors(t: TierFields): UserError[] {
  const errors: UserError[] = [];
  if (t.name !== undefined && (!t.name.trim() || t.name.trim().length > 60)) errors.push(userError(UserErrorCode.INVALID, 'name must be 1 to 60 characters', f('name')));
  if (t.threshold !== undefined && (!Number.isInteger(t.threshold) || t.threshold < 0 || t.threshold > MAX_THRESHOLD)) {
    errors.push(userError(UserErrorCode.INVALID, `threshold must be a whole number from 0 to ${MAX_THRESHOLD.toLocaleString('en')}`, f('threshold')));
  }
  if (t.earningMultiplierBp !== undefined && (!Number.isInteger(t.earningMultiplierBp) || t.earningMultiplierBp <= 0 || t.earningMultiplierBp > MAX_MULTIPLIER_BP)) {
    errors.push(userError(UserErrorCode.INVALID, `earningMultiplierBp must be above 0 and at most ${MAX_MULTIPLIER_BP} (10×), in basis points where 10000 = 1.0×`, f('earningMultiplierBp')));
  }
  if (t.perks !== undefined && (t.perks.length > 20 || t.perks.some((p) => !p.trim() || p.length > 200))) {
    errors.push(userError(UserErrorCode.INVALID, 'perks must be at most 20 entries of 1 to 200 characters', f('perks')));
  }
  if (t.entryRewardPoints !== undefined && t.entryRewardPoints !== null && (!Number.isInteger(t.entryRewardPoints) || t.entryRewardPoints < 1 || t.entryRewardPoints > MAX_ENTRY_POINTS)) {
    errors.push(userError(UserErrorCode.INVALID, `entryRewardPoints must be a whole number from 1 to ${MAX_ENTRY_POINTS.toLocaleString('en')}`, f('entryRewardPoints')));
  }
  if (t.entryRewardPoints && t.entryRewardId) errors.push(userError(UserErrorCode.INVALID, 'give either entryRewardPoints or entryRewardId, not both', f('entryRewardId')));
  if (t.entryRewardDescription && t.entryRewardDescription.length > 200) errors.push(userError(UserErrorCode.INVALID, 'entryRewardDescription must be at most 200 characters', f('entryRewardDescription')));
  if (t.retentionDays !== undefined && t.retentionDays !== null && (!Number.isInteger(t.retentionDays) || t.retentionDays < 0 || t.retentionDays > MAX_RETENTION_DAYS)) {
    errors.push(userError(UserErrorCode.INVALID, `retentionDays must be a whole number from 0 to ${MAX_RETENTION_DAYS}, or null to keep the tier indefinitely`, f('retentionDays')));
  }
  return errors;
}

export interface LadderTier {
  id: string;
  name: string;
  threshold: number;
}

/**
 * The ladder from the lowest tier up must have strictly increasing thresholds: two tiers with the
 * same threshold overlap (a customer would qualify for both), and a higher tier asking for less than
 * the one below it makes the lower one unreachable.
 */
export function ladderErrors(ladder: readonly LadderTier[], field: string[] = f('threshold')): UserError[] {
  const overlaps: UserError[] = [];
  for (let i = 0; i < ladder.length; i++) {
    for (let j = 0; j < i; j++) {
      if (ladder[i].threshold === ladder[j].threshold) {
        overlaps.push(userError(UserErrorCode.INVALID, `thresholds overlap: ${ladder[i].name} and ${ladder[j].name} both ask for ${ladder[i].threshold}; each tier needs a higher threshold than the one below`, field));
      }
    }
  }
  if (overlaps.length) return overlaps;
  const errors: UserError[] = [];
  for (let i = 1; i < ladder.length; i++) {
    const lower = ladder[i - 1];
    const upper = ladder[i];
    if (upper.threshold < lower.threshold) {
      errors.push(userError(UserErrorCode.INVALID, `thresholds must increase up the ladder: ${upper.name} (${upper.threshold}) must be above ${lower.name} (${lower.threshold}), the tier below it`, field));
    }
  }
  return errors;
}
