import type { BadgeRule } from '@herethere/db';
import { userError, UserErrorCode, type UserError } from '@herethere/runtime';

const f = (...path: string[]) => ['input', ...path];
const COUNTED = new Set(['orders_count', 'referrals', 'reviews', 'streak']);
export const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * A rule that can never fire is refused: a count of 0 or less (nothing is ever "reached"), a
 * threshold where none applies, a tier that is not on the shop's ladder (checked by the caller
 * through `tierExists`), a streak longer than ten years.
 */
export function badgeRuleErrors(rule: { kind: string; threshold?: number | null; tierId?: string | null }, tierExists: (id: string) => boolean): UserError[] {
  const errors: UserError[] = [];
  const t = rule.threshold;
  if (COUNTED.has(rule.kind)) {
    if (t === null || t === undefined) errors.push(userError(UserErrorCode.INVALID, `a ${rule.kind} badge needs a threshold of at least 1`, f('rule', 'threshold')));
    else if (!Number.isInteger(t) || t < 1) errors.push(userError(UserErrorCode.INVALID, `threshold ${t} can never be reached: a ${rule.kind} badge needs a threshold of at least 1`, f('rule', 'threshold')));
    else if (t > (rule.kind === 'streak' ? 120 : 1_000_000)) errors.push(userError(UserErrorCode.INVALID, `threshold must be at most ${rule.kind === 'streak' ? '120 months' : '1,000,000'}`, f('rule', 'threshold')));
    if (rule.tierId) errors.push(userError(UserErrorCode.INVALID, `tierId does not apply to a ${rule.kind} badge`, f('rule', 'tierId')));
  }
  if (rule.kind === 'first_purchase') {
    if (t !== null && t !== undefined && t !== 1) errors.push(userError(UserErrorCode.INVALID, 'a first_purchase badge takes no threshold (use orders_count for more orders)', f('rule', 'threshold')));
    if (rule.tierId) errors.push(userError(UserErrorCode.INVALID, 'tierId does not apply to a first_purchase badge', f('rule', 'tierId')));
  }
  if (rule.kind === 'tier_reached') {
    if (!rule.tierId) errors.push(userError(UserErrorCode.INVALID, 'a tier_reached badge needs the tierId it is awarded for', f('rule', 'tierId')));
    else if (!tierExists(rule.tierId)) errors.push(userError(UserErrorCode.NOT_FOUND, `No VIP tier ${rule.tierId} in this shop: the badge could never be awarded`, f('rule', 'tierId')));
    if (t !== null && t !== undefined) errors.push(userError(UserErrorCode.INVALID, 'threshold does not apply to a tier_reached badge', f('rule', 'threshold')));
  }
  return errors;
}

export function normalizedRule(rule: { kind: string; threshold?: number | null; tierId?: string | null }): BadgeRule {
  const out: BadgeRule = { kind: rule.kind as BadgeRule['kind'] };
  if (COUNTED.has(rule.kind)) out.threshold = rule.threshold!;
  if (rule.kind === 'tier_reached') out.tierId = rule.tierId!;
  return out;
}

export function badgeFieldErrors(b: { key?: string; name?: string; description?: string | null; imageUrl?: string | null }): UserError[] {
  const errors: UserError[] = [];
  if (b.key !== undefined && !KEY.test(b.key)) errors.push(userError(UserErrorCode.INVALID, 'key must be 1 to 64 lowercase letters, digits, - or _, starting with a letter or digit', f('key')));
  if (b.name !== undefined && (!b.name.trim() || b.name.trim().length > 80)) errors.push(userError(UserErrorCode.INVALID, 'name must be 1 to 80 characters', f('name')));
  if (b.description && b.description.length > 500) errors.push(userError(UserErrorCode.INVALID, 'description must be at most 500 characters', f('description')));
  if (b.imageUrl) {
    let ok = false;
    try {
      ok = new URL(b.imageUrl).protocol === 'https:' && b.imageUrl.length <= 2048;
    } catch {
      ok = false;
    }
    if (!ok) errors.push(userError(UserErrorCode.INVALID, 'imageUrl must be an https URL', f('imageUrl')));
  }
  return errors;
}
