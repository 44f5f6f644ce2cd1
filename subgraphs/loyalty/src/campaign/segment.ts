import { sql, type SQL } from 'drizzle-orm';
import type { SegmentRules } from '@herethere/db';

/**
 * A segment's rules as a SQL predicate over the `customers` row aliased `c`, for segment-targeted
 * campaigns (earning and start notifications). Only known fields and operators are translated;
 * a segment using anything else matches nobody (fail closed) and the caller is told so.
 */
const FIELDS: Record<string, { column: SQL; type: 'number' | 'text' | 'boolean' | 'time' }> = {
  points_balance: { column: sql`c.points_balance`, type: 'number' },
  total_points_earned: { column: sql`c.total_points_earned`, type: 'number' },
  total_points_redeemed: { column: sql`c.total_points_redeemed`, type: 'number' },
  orders_count: { column: sql`c.orders_count`, type: 'number' },
  lifetime_spend_minor: { column: sql`c.lifetime_spend_minor`, type: 'number' },
  vip_tier_id: { column: sql`c.vip_tier_id`, type: 'text' },
  language: { column: sql`c.language`, type: 'text' },
  state: { column: sql`c.state`, type: 'text' },
  accepts_marketing: { column: sql`c.accepts_marketing`, type: 'boolean' },
  rfm_segment: { column: sql`(c.rfm_score->>'segment')`, type: 'text' },
  created_at: { column: sql`c.created_at`, type: 'time' },
  last_activity_at: { column: sql`c.last_activity_at`, type: 'time' },
};

const COMPARE: Record<string, string> = { eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function literal(type: string, value: unknown): SQL | null {
  switch (type) {
    case 'number': return typeof value === 'number' && Number.isFinite(value) ? sql`${value}::numeric` : null;
    case 'text': return typeof value === 'string' ? sql`${value}::text` : null;
    case 'boolean': return typeof value === 'boolean' ? sql`${value}::boolean` : null;
    case 'time': return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? sql`${new Date(value).toISOString()}::timestamptz` : null;
    default: return null;
  }
}

export function segmentPredicate(rules: SegmentRules | null | undefined): SQL | null {
  if (!rules || !Array.isArray(rules.conditions) || !rules.conditions.length) return null;
  const parts: SQL[] = [];
  for (const c of rules.conditions) {
    const field = FIELDS[c.field];
    if (!field) return null;
    if (c.op === 'in' || c.op === 'not_in') {
      if (!Array.isArray(c.value) || !c.value.length) return null;
      const values = c.value.map((v) => literal(field.type, v));
      if (values.some((v) => v === null)) return null;
      parts.push(sql`${field.column} ${sql.raw(c.op === 'in' ? 'in' : 'not in')} (${sql.join(values as SQL[], sql`, `)})`);
      continue;
    }
    const op = COMPARE[c.op];
    const value = literal(field.type, c.value);
    if (!op || !value) return null;
    parts.push(sql`${field.column} ${sql.raw(op)} ${value}`);
  }
  return sql`(${sql.join(parts, rules.match === 'any' ? sql` or ` : sql` and `)})`;
}
