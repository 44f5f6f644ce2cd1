import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post } from '@herethere/loyalty';
import { verifyLedger } from '@herethere/loyalty/ledger/verify';
import { processInboxBatch, type WebhookHandler } from '@herethere/runtime';
import { SUBGRAPHS } from '@herethere/gateway/subgraphs';
import { deliver, orderPayload, refundPayload } from '../support/shopify';
import { install, startStack, type Stack } from '../support/stack';

/**
 * Random interleavings of earns, refunds, cancellations, expiries and duplicate deliveries
 * (concurrent duplicates included), processed by several concurrent inbox processors. After each
 * run: balance = sum(entries) for every customer, hash chains verify, no key has two effects, and
 * every order's ledger entries add up to what the order says it earned minus what it gave back.
 */
let stack: Stack;
const handlers: Record<string, WebhookHandler> = Object.assign({}, ...Object.values(SUBGRAPHS).map((s) => s.webhookHandlers ?? {}));

type Op =
  | { kind: 'paid'; order: number; customer: number; cents: number; dup: 0 | 1 | 2 }
  | { kind: 'refund'; order: number; refund: number; cents: number; dup: 0 | 1 }
  | { kind: 'cancel'; order: number; customer: number; cents: number }
  | { kind: 'expire'; customer: number; points: number };

const orderArb = fc.record({ customer: fc.integer({ min: 1, max: 3 }), cents: fc.integer({ min: 100, max: 20_000 }) });
const scenarioArb = fc.array(orderArb, { minLength: 1, maxLength: 4 }).chain((orders) => {
  const perOrder = orders.map((o, i) =>
    fc.tuple(
      fc.constantFrom<0 | 1 | 2>(0, 1, 2),
      fc.array(fc.tuple(fc.integer({ min: 1, max: o.cents }), fc.constantFrom<0 | 1>(0, 1)), { maxLength: 2 }),
      fc.boolean(),
    ).map(([dup, refunds, cancel]): Op[] => [
      { kind: 'paid', order: i + 1, customer: o.customer, cents: o.cents, dup },
      ...refunds.map(([cents, rdup], j): Op => ({ kind: 'refund', order: i + 1, refund: (i + 1) * 10 + j, cents, dup: rdup })),
      ...(cancel ? [{ kind: 'cancel', order: i + 1, customer: o.customer, cents: o.cents } as Op] : []),
    ]),
  );
  const expiries = fc.array(fc.record({ customer: fc.integer({ min: 1, max: 3 }), points: fc.integer({ min: 1, max: 150 }) }).map((e): Op => ({ kind: 'expire', ...e })), { maxLength: 3 });
  return fc.tuple(fc.tuple(...perOrder), expiries).chain(([groups, exp]) => fc.shuffledSubarray([...groups.flat(), ...exp], { minLength: groups.flat().length + exp.length }));
});

const dollars = (c: number) => (c / 100).toFixed(2);

async function runScenario(ops: Op[]) {
  const shop = `prop-${randomUUID().slice(0, 8)}.myshopify.com`;
  const merchantId = await install(stack, shop);
  await stack.deps.db.rows(sql`update program_settings set earning = jsonb_set(earning, '{signupPoints}', '0') where merchant_id = ${merchantId}`);
  const orderId = (n: number) => 70_000 + n;
  const send = async (op: Exclude<Op, { kind: 'expire' }>) => {
    if (op.kind === 'paid') {
      const payload = orderPayload({ id: orderId(op.order), customerId: op.customer, lines: [{ price: dollars(op.cents) }] });
      const id = randomUUID();
      // dup 1: the same delivery twice at the same moment; dup 2: a redelivery under a new id.
      await Promise.all([deliver(stack, shop, 'orders/paid', payload, id), op.dup === 1 ? deliver(stack, shop, 'orders/paid', payload, id) : null]);
      if (op.dup === 2) await deliver(stack, shop, 'orders/paid', payload);
    } else if (op.kind === 'refund') {
      const payload = refundPayload({ id: op.refund, orderId: orderId(op.order), lines: [{ subtotal: dollars(op.cents) }] });
      await Promise.all([deliver(stack, shop, 'refunds/create', payload), op.dup ? deliver(stack, shop, 'refunds/create', payload) : null]);
    } else {
      await deliver(stack, shop, 'orders/cancelled', orderPayload({ id: orderId(op.order), customerId: op.customer, lines: [{ price: dollars(op.cents) }], cancelledAt: '2026-11-24T12:00:00Z' }));
    }
  };
  const expire = async (op: Extract<Op, { kind: 'expire' }>, i: number) => {
    const [c] = await stack.deps.db.rows<{ id: string }>(sql`select id from customers where merchant_id = ${merchantId} and shopify_customer_id = ${String(op.customer)}`);
    if (!c) return;
    const key = `prop-expiry:${i}`;
    await Promise.all([1, 2].map(() => post(stack.deps, { merchantId, customerId: c.id, type: 'expiry', points: -op.points, reason: 'Expired (test)', source: 'system', idempotencyKey: key, actor: 'system:test' })));
  };

  // Deliveries arrive in the generated order while processors and expiries run concurrently.
  const processors = Array.from({ length: 3 }, async () => {
    for (let idle = 0; idle < 3;) idle = (await processInboxBatch(stack.deps, handlers, { batchSize: 3 })) ? 0 : idle + 1;
  });
  await Promise.all(ops.map((op, i) => (op.kind === 'expire' ? expire(op, i) : send(op))));
  await Promise.all(processors);
  // Deferred refunds (their order had not arrived yet) are retried until the inbox is empty.
  // Deliveries claimed by the background processor may still be in flight: wait for them too.
  // A deferral is retried early only once nothing else is waiting, as its backoff would have let
  // the rest through in production; retrying it every round would spend its attempts (and
  // bury it as dead) while its order is still being processed.
  for (let round = 0; round < 400; round++) {
    await stack.deps.db.rows(sql`update webhook_inbox set next_attempt_at = now() where merchant_id = ${merchantId} and status = 'failed'
      and not exists (select 1 from webhook_inbox w where w.merchant_id = ${merchantId} and w.status in ('received', 'processing'))`);
    await Promise.all(Array.from({ length: 3 }, () => processInboxBatch(stack.deps, handlers, { batchSize: 5 })));
    const [left] = await stack.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from webhook_inbox where merchant_id = ${merchantId} and status <> 'processed'`);
    if (Number(left.n) === 0) break;
    await new Promise((r) => setTimeout(r, 25));
  }

  const problems = (await verifyLedger(stack.deps.db.db, merchantId)).problems;
  expect(problems).toEqual([]);
  const unprocessed = await stack.deps.db.rows(sql`select webhook_id, topic, status, attempts, outcome, last_error, locked_until, next_attempt_at
    from webhook_inbox where merchant_id = ${merchantId} and status <> 'processed'`);
  expect(unprocessed).toEqual([]);
  const perOrder = await stack.deps.db.rows<{ id: string; points_earned: number; points_clawed_back: number; ledger: number | null; purchases: number }>(sql`
    select o.id, o.points_earned, o.points_clawed_back,
           (select sum(points)::int from points_transactions t where t.merchant_id = o.merchant_id and t.order_id = o.id) as ledger,
           (select count(*)::int from points_transactions t where t.merchant_id = o.merchant_id and t.order_id = o.id and t.type = 'purchase') as purchases
      from orders o where o.merchant_id = ${merchantId}`);
  for (const o of perOrder) {
    expect(o.purchases).toBeLessThanOrEqual(1);
    expect(o.points_clawed_back).toBeLessThanOrEqual(o.points_earned);
    expect(o.ledger ?? 0).toBe(o.points_earned - o.points_clawed_back);
  }
  const [dupKeys] = await stack.deps.db.rows<{ n: number }>(sql`select count(*)::int as n from (select idempotency_key from points_transactions where merchant_id = ${merchantId} group by idempotency_key having count(*) > 1) d`);
  expect(Number(dupKeys.n)).toBe(0);
}

beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('ledger under random concurrent interleavings', () => {
  it('keeps balance = sum(entries), one effect per key, intact hash chains and order totals', async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), { numRuns: 12, endOnFailure: true });
  }, 240_000);
});
