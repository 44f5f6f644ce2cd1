import { sql } from 'drizzle-orm';
import type { DbHandle } from '@herethere/db';

/** One verified delivery, as the webhook route hands it over. `rawBody` is the JSON object exactly as received. */
export interface InboxWrite {
  merchantId: string;
  webhookId: string;
  topic: string;
  shopDomain: string;
  apiVersion: string | null;
  rawBody: string;
}

interface Waiting {
  row: InboxWrite;
  resolve(accepted: boolean): void;
  reject(err: unknown): void;
}

/** A batch stops at this many deliveries or bytes of payload, whichever comes first. */
const MAX_ROWS = 100;
const MAX_BYTES = 4_000_000;

const key = (r: Pick<InboxWrite, 'merchantId' | 'webhookId'>) => `${r.merchantId}\u0000${r.webhookId}`;

/**
 * The payload as PostgreSQL can hold it: jsonb refuses the escaped NUL character (`\u0000`), which
 * a shopper can type into an order note, so it becomes U+FFFD. Only an escape counts: `\\u0000` is
 * a backslash followed by the text "u0000" and stays.
 */
export const storable = (rawBody: string): string =>
  rawBody.includes('u0000') ? rawBody.replace(/(\\+)u0000/g, (m, slashes: string) => (slashes.length % 2 ? `${slashes}ufffd` : m)) : rawBody;

/**
 * Group commit at the webhook door. Every delivery that arrives within one turn of the event loop
 * goes into the inbox with the others in one INSERT: one statement, one commit and one WAL flush
 * for all of them instead of one each, which is most of what a delivery costs the database under a
 * flood. Each caller still learns only once the row is durable; the batch adds no timer, only the
 * rest of the current turn.
 *
 * Rows keep their arrival order in `created_at` (the processor's order), duplicates of one
 * X-Shopify-Webhook-Id — in the table already or twice in one batch — are written once, and a
 * batch the database refuses is retried row by row, so one bad delivery fails alone.
 */
export function inboxWriter(db: DbHandle): { write(row: InboxWrite): Promise<boolean> } {
  let queue: Waiting[] = [];
  let scheduled = false;

  /** Writes rows in one statement; answers which of them were new (first copy of each key only). */
  const insert = async (rows: InboxWrite[]): Promise<boolean[]> => {
    // The payload goes in as received: it was parsed once already to check it, and its text is JSON.
    const json = `[${rows.map((r) => `{"m":${JSON.stringify(r.merchantId)},"w":${JSON.stringify(r.webhookId)},"t":${JSON.stringify(r.topic)},"s":${JSON.stringify(r.shopDomain)},"a":${JSON.stringify(r.apiVersion)},"p":${storable(r.rawBody)}}`).join(',')}]`;
    const inserted = await db.rows<{ merchant_id: string; webhook_id: string }>(sql`
      insert into webhook_inbox (merchant_id, webhook_id, topic, shop_domain, api_version, payload, created_at)
      select e.d->>'m', e.d->>'w', e.d->>'t', e.d->>'s', e.d->>'a', e.d->'p', now() + (e.o * interval '1 microsecond')
        from jsonb_array_elements(${json}::jsonb) with ordinality as e(d, o)
      on conflict do nothing
      returning merchant_id, webhook_id`);
    const fresh = new Set(inserted.map((r) => key({ merchantId: r.merchant_id, webhookId: r.webhook_id })));
    // Two copies in one batch: the first to arrive is the accepted one, the other a duplicate.
    return rows.map((r) => fresh.delete(key(r)));
  };

  const flush = async () => {
    scheduled = false;
    let bytes = 0;
    let n = 0;
    while (n < queue.length && n < MAX_ROWS && (n === 0 || bytes + queue[n].row.rawBody.length <= MAX_BYTES)) bytes += queue[n++].row.rawBody.length;
    const batch = queue.slice(0, n);
    queue = queue.slice(n);
    if (queue.length) schedule();
    try {
      const accepted = await insert(batch.map((w) => w.row));
      batch.forEach((w, i) => w.resolve(accepted[i]));
    } catch (err) {
      if (batch.length === 1) return batch[0].reject(err);
      for (const w of batch) await insert([w.row]).then(([accepted]) => w.resolve(accepted), w.reject);
    }
  };

  function schedule() {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => void flush());
  }

  return {
    /** Resolves once the delivery is durable: true if it is new, false for a duplicate. */
    write: (row) =>
      new Promise<boolean>((resolve, reject) => {
        queue.push({ row, resolve, reject });
        schedule();
      }),
  };
}
