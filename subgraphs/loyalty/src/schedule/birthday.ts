import { sql } from 'drizzle-orm';
import { programSettings } from '@herethere/db';
import type { Deps } from '@herethere/runtime';
import { isValidTimeZone, toLocal } from '@herethere/runtime/zoned-time';
import { birthdaysCelebratedOn } from '../earn/birthday';
import { afterPosted, postEntry } from '../ledger/post';
import { runningPrograms } from './programs';
import { pointsLabel } from './rules';

export const BIRTHDAY_ACTOR = 'system:birthday';
export const birthdayKey = (customerId: string, year: number) => `birthday:${customerId}:${year}`;

const MERCHANTS_PER_QUERY = 500;

/** The shop's local year and the birthdays (month, day) celebrated on its calendar at `now`. */
export function celebratedToday(now: Date, timeZone: string): { year: number; date: string; birthdays: { month: number; day: number }[] } {
  const l = toLocal(now, timeZone);
  const date = `${String(l.year).padStart(4, '0')}-${String(l.month).padStart(2, '0')}-${String(l.day).padStart(2, '0')}`;
  return { year: l.year, date, birthdays: birthdaysCelebratedOn({ year: l.year, month: l.month, day: l.day }) };
}

/**
 * The birthday bonus: for every installed shop with the program on and birthdayPoints > 0, the
 * members whose birthday (month and day; 29 February on 28 February in common years) is today on
 * the shop's own calendar get the bonus once per year (idempotency key per customer and year).
 * Candidates come from one set-based query per batch of shops; already-rewarded customers are
 * excluded by that query, so reruns find nothing. Returns how many bonuses were posted.
 */
export async function awardBirthdayBonuses(deps: Deps, now: Date, limit = 500): Promise<number> {
  const programs = (await runningPrograms(deps, sql`coalesce((${programSettings.earning}->>'birthdayPoints')::int, 0) > 0`)).filter((p) => isValidTimeZone(p.timezone));
  let awarded = 0;
  for (let i = 0; i < programs.length && awarded < limit; i += MERCHANTS_PER_QUERY) {
    const batch = programs.slice(i, i + MERCHANTS_PER_QUERY);
    const targets = batch.flatMap((p) => {
      const today = celebratedToday(now, p.timezone);
      return today.birthdays.map((md) => ({ merchantId: p.merchantId, year: today.year, ...md }));
    });
    const values = sql.join(targets.map((t) => sql`(${t.merchantId}::text, ${t.month}::int, ${t.day}::int, ${t.year}::int)`), sql`, `);
    const candidates = await deps.db.rows<{ merchant_id: string; id: string; year: number }>(sql`
      select c.merchant_id, c.id, t.year
      from customers c
      join (values ${values}) as t(merchant_id, month, day, year)
        on c.merchant_id = t.merchant_id
       and extract(month from c.birthday) = t.month
       and extract(day from c.birthday) = t.day
      where c.birthday is not null
        and c.state = 'member'
        and not exists (
          select 1 from points_transactions p
          where p.merchant_id = c.merchant_id and p.idempotency_key = 'birthday:' || c.id || ':' || t.year
        )
      order by c.merchant_id, c.id
      limit ${limit - awarded}`);
    const byMerchant = new Map(batch.map((p) => [p.merchantId, p]));
    for (const c of candidates) {
      const program = byMerchant.get(c.merchant_id)!;
      const points = program.earning.birthdayPoints;
      const year = Number(c.year);
      const result = await deps.db.db.transaction((tx) =>
        postEntry(deps, tx, {
          merchantId: c.merchant_id,
          customerId: c.id,
          type: 'birthday',
          points,
          reason: `Happy birthday! ${pointsLabel(points, program.names)} birthday bonus for ${year}`,
          source: 'system',
          idempotencyKey: birthdayKey(c.id, year),
          actor: BIRTHDAY_ACTOR,
          metadata: { year },
        }, now),
      );
      if (result.status === 'posted') {
        await afterPosted(deps, result.entry);
        awarded += 1;
      }
    }
  }
  return awarded;
}
