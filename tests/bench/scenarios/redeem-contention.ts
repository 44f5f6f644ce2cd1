import { sql } from 'drizzle-orm';
import type { Scenario } from '../lib';
import { redeemOnce, redeemTarget } from '../redeem';

/**
 * 200 concurrent redemptions by one customer whose balance covers exactly 37 of them. Every
 * request goes through the gateway; the ledger's row lock must let exactly 37 through, leave the
 * balance at 0, and never show a negative balance, not even for an instant.
 */
const CONCURRENT = 200;
const AFFORDABLE = 37;
const COST = 100;

export const run: Scenario = async (env) => {
  const t = await redeemTarget(env, 0, { pointsCost: COST });
  try {
    const [shopper] = await t.customers(1, AFFORDABLE * COST);
    let negativeSeen = 0;
    let polling = true;
    const poller = (async () => {
      while (polling) {
        const [row] = await t.db.rows<{ b: number }>(sql`select points_balance as b from customers where id = ${shopper.customerId}`);
        if (Number(row.b) < 0) negativeSeen += 1;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    env.log(`${CONCURRENT} concurrent redemptions, balance for ${AFFORDABLE}`);
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, () => redeemOnce(t.url, shopper.token, t.rewardId)));
    const elapsed = performance.now() - started;
    polling = false;
    await poller;
    const issued = results.filter((r) => r.ok);
    const refused = results.filter((r) => r.error === 'INSUFFICIENT_POINTS').length;
    const other = results.filter((r) => !r.ok && r.error !== 'INSUFFICIENT_POINTS');
    if (other.length) env.log(`unexpected answers: ${JSON.stringify(other.slice(0, 3))}`);
    const [neg] = await t.db.rows<{ n: number }>(sql`select count(*)::int as n from points_transactions where customer_id = ${shopper.customerId} and balance_after < 0`);
    negativeSeen += Number(neg.n);
    const [final] = await t.db.rows<{ b: number; s: number }>(sql`select c.points_balance as b, (select coalesce(sum(points), 0)::int from points_transactions where customer_id = c.id) as s from customers c where id = ${shopper.customerId}`);
    const [codes] = await t.db.rows<{ n: number }>(sql`select count(distinct discount_code)::int as n from reward_redemptions where customer_id = ${shopper.customerId} and status = 'issued'`);
    env.log(`issued ${issued.length} (${codes.n} distinct codes in the database), refused ${refused}, other ${other.length}; balance ${final.b} (ledger sum ${final.s}); ${elapsed.toFixed(0)} ms`);
    return [
      { metric: 'codes_issued', value: Number(codes.n), unit: 'codes' },
      { metric: 'final_balance', value: Number(final.b), unit: 'points' },
      { metric: 'negative_seen', value: negativeSeen, unit: 'observations' },
    ];
  } finally {
    await t.stop();
  }
};
