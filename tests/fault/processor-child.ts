/**
 * A webhook processor in its own process, for the fault test. With FAULT_AFTER=n it exits hard
 * (no cleanup, like a crash or a kill) inside the transaction of the n-th delivery, before commit.
 */
import { migrate, openDb } from '@herethere/db';
import { createLogger, createMemoryCache, createMemoryPubSub, processInboxBatch, testConfig, type Deps, type WebhookHandler } from '@herethere/runtime';
import { SUBGRAPHS } from '@herethere/gateway/subgraphs';

const db = await openDb(process.env.FAULT_DATABASE_URL ? { url: process.env.FAULT_DATABASE_URL } : { dataDir: process.env.FAULT_DATA_DIR! });
await migrate(db);
const deps: Deps = { config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
const handlers: Record<string, WebhookHandler> = Object.assign({}, ...Object.values(SUBGRAPHS).map((s) => s.webhookHandlers ?? {}));
const faultAfter = Number(process.env.FAULT_AFTER ?? 0);
let seen = 0;
const beforeCommit = () => {
  seen += 1;
  if (faultAfter && seen === faultAfter) process.exit(9);
};
for (let idle = 0; idle < 3;) {
  idle = (await processInboxBatch(deps, handlers, { batchSize: 10, leaseSeconds: Number(process.env.FAULT_LEASE ?? 60), beforeCommit })) ? 0 : idle + 1;
}
await db.close();
process.exit(0);
