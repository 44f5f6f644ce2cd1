import { sql } from 'drizzle-orm';
import { txView, type Tx } from '@herethere/db';
import type { Deps } from './context';
import type { Worker } from './federation';

/** One Shopify webhook delivery as stored in the inbox. */
export interface InboxDelivery {
  merchantId: string;
  webhookId: string;
  topic: string;
  shopDomain: string;
  payload: Record<string, unknown>;
  attempts: number;
  receivedAt: Date;
}

/**
 * What a topic handler did. `after` runs once the transaction has committed (live pushes, cache
 * updates); `defer` puts the delivery back for later (e.g. a refund that arrived before its order).
 */
export type HandlerOutcome = { outcome: string; after?: () => Promise<void> } | { defer: string };

export type WebhookHandler = (tx: Tx, deps: Deps, delivery: InboxDelivery) => Promise<HandlerOutcome>;

export interface InboxOptions {
  batchSize?: number;
  /** Parallel claim-and-process loops in this process. */
  concurrency?: number;
  /** How long a claim is exclusive; a crashed processor's claims are retaken after it. */
  leaseSeconds?: number;
  maxAttempts?: number;
  idleMs?: number;
  /** Test hook: called inside the transaction before commit (the fault test exits the process here). */
  beforeCommit?: (delivery: InboxDelivery) => void;
}

export const inboxWakeTopic = 'inbox.wake';

interface ClaimedRow {
  merchant_id: string;
  webhook_id: string;
  topic: string;
  shop_domain: string;
  payload: Record<string, unknown> | string;
  attempts: number;
  received_at: Date | string;
}

/**
 * Claims up to `batchSize` deliveries that are due (new, retrying, or whose lease expired after
 * a crash) with SKIP LOCKED, so any number of processors share the inbox without overlap. The
 * status list matches idx_webhook_inbox_due, so the oldest are read in order from that index
 * and a claim costs the same with a backlog of ten or of a hundred thousand.
 */
async function claim(deps: Deps, batchSize: number, leaseSeconds: number): Promise<InboxDelivery[]> {
  const rows = await deps.db.rows<ClaimedRow>(sql`
    update webhook_inbox w
       set status = 'processing', locked_until = now() + (${leaseSeconds}::int * interval '1 second'), attempts = w.attempts + 1
      from (select merchant_id, webhook_id from webhook_inbox
             where status in ('received', 'failed', 'processing')
               and case when status = 'processing' then locked_until < now() else next_attempt_at <= now() end
             order by created_at
             limit ${batchSize}
             for update skip locked) due
     where w.merchant_id = due.merchant_id and w.webhook_id = due.webhook_id
    returning w.merchant_id, w.webhook_id, w.topic, w.shop_domain, w.payload, w.attempts, w.created_at as received_at`);
  return rows
    .map((r) => ({
      merchantId: r.merchant_id,
      webhookId: r.webhook_id,
      topic: r.topic,
      shopDomain: r.shop_domain,
      payload: typeof r.payload === 'string' ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload,
      attempts: r.attempts,
      receivedAt: new Date(r.received_at),
    }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

const backoffSeconds = (attempts: number) => Math.min(3600, 2 ** Math.min(attempts, 12)) + Math.random();

type Options = Required<Pick<InboxOptions, 'maxAttempts'>> & InboxOptions;
type Outcome = Exclude<HandlerOutcome, { defer: string }>;

/** Runs one delivery's handler in `tx`; a deferral is recorded right there, a success is returned for bookkeeping. */
async function apply(tx: Tx, deps: Deps, handlers: Record<string, WebhookHandler>, d: InboxDelivery, opts: Options): Promise<Outcome | null> {
  const handler = handlers[d.topic];
  const outcome: HandlerOutcome = handler ? await handler(tx, deps, d) : { outcome: `unknown topic ${d.topic}: acknowledged and logged` };
  if (!handler) deps.log.warn('webhook topic not handled', { topic: d.topic, shop: d.shopDomain, webhookId: d.webhookId });
  if ('defer' in outcome) {
    const dead = d.attempts >= opts.maxAttempts;
    await tx.execute(sql`update webhook_inbox set status = ${dead ? 'dead' : 'failed'}, outcome = ${outcome.defer}, locked_until = null,
      next_attempt_at = now() + (${backoffSeconds(d.attempts)}::float8 * interval '1 second') where merchant_id = ${d.merchantId} and webhook_id = ${d.webhookId}`);
    return null;
  }
  return outcome;
}

/** Marks deliveries processed with their outcomes, in one statement. */
async function markProcessed(tx: Tx, done: { d: InboxDelivery; outcome: Outcome }[]): Promise<void> {
  if (!done.length) return;
  const rows = JSON.stringify(done.map(({ d, outcome }) => ({ merchant_id: d.merchantId, webhook_id: d.webhookId, outcome: outcome.outcome })));
  await tx.execute(sql`update webhook_inbox w set status = 'processed', outcome = v.outcome, last_error = null, locked_until = null, processed_at = now()
    from jsonb_to_recordset(${rows}::jsonb) as v(merchant_id text, webhook_id text, outcome text)
    where w.merchant_id = v.merchant_id and w.webhook_id = v.webhook_id`);
}

/**
 * Runs deliveries' handlers in one transaction that also marks them processed, so the effects and
 * the bookkeeping commit together: a crash before commit leaves them to be retaken, and the
 * ledger's idempotency keys make a retry a no-op for anything already posted. The after-commit
 * work (live pushes, cache updates) runs once the commit is through.
 *
 * Deliveries for different customers run side by side, each customer's in the order they arrived,
 * so their statements are pipelined on the transaction's connection (one write and one read for
 * many, instead of a round trip each); each handler works on its own view of the transaction.
 * Deliveries naming no customer (refunds, guest orders) run after them, one at a time. Should two
 * handlers reach one customer after all (a referral paying an advocate whose own order is in the
 * batch), the customer's hash chain refuses the second entry at the same position, and the batch
 * is retried one delivery at a time. Every handler is waited for before the transaction ends, so
 * nothing of a failed batch can run after its rollback.
 */
async function processTogether(deps: Deps, handlers: Record<string, WebhookHandler>, batch: InboxDelivery[], opts: Options): Promise<void> {
  const done = await deps.db.db.transaction(async (tx) => {
    const run = async (deliveries: InboxDelivery[]) => {
      const view = txView(tx);
      const out: { d: InboxDelivery; outcome: Outcome }[] = [];
      for (const d of deliveries) {
        const outcome = await apply(view, deps, handlers, d, opts);
        if (outcome) out.push({ d, outcome });
      }
      return out;
    };
    const byCustomer = new Map<string, InboxDelivery[]>();
    for (const d of batch) {
      const key = customerKey(d);
      const deliveries = byCustomer.get(key);
      if (deliveries) deliveries.push(d);
      else byCustomer.set(key, [d]);
    }
    const unattributed = byCustomer.get(NO_CUSTOMER) ?? [];
    byCustomer.delete(NO_CUSTOMER);
    const settled = await Promise.allSettled([...byCustomer.values()].map(run));
    const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failed) throw failed.reason;
    const out = settled.flatMap((s) => (s.status === 'fulfilled' ? s.value : []));
    out.push(...(await run(unattributed)));
    await markProcessed(tx, out);
    for (const d of batch) opts.beforeCommit?.(d);
    return out;
  });
  // Live pushes go out for different customers at once, for one customer in the order they happened.
  const byCustomer = new Map<string, { d: InboxDelivery; after: () => Promise<void> }[]>();
  for (const { d, outcome } of done) {
    if (!outcome.after) continue;
    const key = customerKey(d);
    byCustomer.set(key, [...(byCustomer.get(key) ?? []), { d, after: outcome.after }]);
  }
  await Promise.all([...byCustomer.values()].map(async (steps) => {
    for (const { d, after } of steps) {
      try {
        await after();
      } catch (err) {
        // The deliveries are committed and stay processed: processing them again would change
        // nothing (the ledger already has their entries), so a failed push is logged, not retried.
        deps.log.warn('after-commit work failed', { topic: d.topic, webhookId: d.webhookId, error: (err as Error).message.slice(0, 200) });
      }
    }
  }));
}

/** One delivery on its own; a failure is recorded on it and retried later with backoff. */
async function processOne(deps: Deps, handlers: Record<string, WebhookHandler>, d: InboxDelivery, opts: Options): Promise<void> {
  try {
    await processTogether(deps, handlers, [d], opts);
  } catch (err) {
    const message = (err as Error).message.slice(0, 500);
    const dead = d.attempts >= opts.maxAttempts;
    deps.log.error('webhook processing failed', { topic: d.topic, webhookId: d.webhookId, attempts: d.attempts, dead, error: message });
    await deps.db.rows(sql`update webhook_inbox set status = ${dead ? 'dead' : 'failed'}, last_error = ${message}, locked_until = null,
      next_attempt_at = now() + (${backoffSeconds(d.attempts)}::float8 * interval '1 second') where merchant_id = ${d.merchantId} and webhook_id = ${d.webhookId}`);
  }
}

/** The key of deliveries that name no customer; it sorts after every customer's. */
const NO_CUSTOMER = '~';

/**
 * The Shopify customer a delivery is about, when its payload says so. A batch starts its customers
 * in this order, so two processors' batches mostly lock shared customers in the same order; a
 * deadlock that still forms is broken by PostgreSQL, and that batch goes one delivery at a time.
 */
function customerKey(d: InboxDelivery): string {
  const p = d.payload as { customer?: { id?: unknown } | null; id?: unknown };
  const id = d.topic.startsWith('customers/') ? p.id : p.customer?.id;
  // Deliveries without a customer (refunds name only their order) go after those with one.
  return id === undefined || id === null ? NO_CUSTOMER : String(id).padStart(20, '0');
}

/**
 * Claims and processes one batch; returns how many deliveries it handled. The batch commits as one
 * transaction (one commit instead of one per delivery, which is what Black Friday volume needs);
 * if anything in it fails, it is rolled back and each delivery is processed on its own, so one bad
 * delivery never holds the others back and its error is recorded against it alone.
 */
export async function processInboxBatch(deps: Deps, handlers: Record<string, WebhookHandler>, opts: InboxOptions = {}): Promise<number> {
  const batch = await claim(deps, opts.batchSize ?? 20, opts.leaseSeconds ?? 60);
  const options: Options = { maxAttempts: 25, ...opts };
  if (batch.length > 1) {
    // Per customer, deliveries keep the order they arrived in (a paid order before its refund).
    const ordered = batch.map((d, i) => ({ d, i, key: customerKey(d) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i))
      .map((x) => x.d);
    try {
      await processTogether(deps, handlers, ordered, options);
      return batch.length;
    } catch (err) {
      deps.log.warn('inbox batch rolled back; processing its deliveries one by one', { size: batch.length, error: (err as Error).message.slice(0, 200) });
    }
  }
  for (const d of batch) await processOne(deps, handlers, d, options);
  return batch.length;
}

/**
 * The inbox processor: `concurrency` loops claim and process batches; when the inbox is empty
 * they sleep until a wake-up on pub/sub (sent by the webhook route) or `idleMs` passes.
 */
export function inboxProcessor(deps: Deps, handlers: Record<string, WebhookHandler>, opts: InboxOptions = {}): Worker {
  let stopped = false;
  const sleepers = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of [...sleepers]) wake();
  };
  // One loop per nudge: waking them all would send every loop to claim the same few deliveries.
  const wakeOne = () => {
    const [first] = sleepers;
    first?.();
  };
  const wakeups = deps.pubsub.subscribe(inboxWakeTopic);
  void (async () => {
    for await (const _ of wakeups) {
      void _;
      if (stopped) break;
      wakeOne();
    }
  })().catch(() => {});
  const sleep = () => new Promise<void>((resolve) => {
    const wake = () => {
      sleepers.delete(wake);
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(wake, opts.idleMs ?? 1000);
    sleepers.add(wake);
  });
  const maxBatch = opts.batchSize ?? 20;
  const loop = async () => {
    // Batches grow while they come back full and shrink when they do not: one or two deliveries
    // at a time when the shop is quiet (each pushed as soon as it is credited), up to `batchSize`
    // under a flood (one commit for many).
    let size = 1;
    while (!stopped) {
      let handled = 0;
      try {
        handled = await processInboxBatch(deps, handlers, { ...opts, batchSize: size });
        size = handled >= size ? Math.min(size * 2, maxBatch) : Math.max(1, Math.ceil(size / 2));
      } catch (err) {
        deps.log.error('inbox claim failed', { error: String((err as { cause?: unknown }).cause ?? (err as Error).message) });
      }
      if (stopped) break;
      // Work found: there may be more, so bring in another loop; none: sleep until nudged.
      if (handled > 0) wakeOne();
      else await sleep();
    }
  };
  const loops = Array.from({ length: opts.concurrency ?? 4 }, loop);
  return {
    name: 'webhook-inbox',
    async stop() {
      stopped = true;
      wakeAll();
      await wakeups.return?.();
      await Promise.all(loops);
    },
  };
}
