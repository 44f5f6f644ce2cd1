/**
 * A process that reserves a redemption and is killed (SIGKILL) before it can ask Shopify: the
 * crash the reconciler exists for. Run by redemption-crash.test.ts:
 *   tsx redemption-crash-child.ts <pglite-dir | postgres-url> <merchantId> <customerId> <rewardId>
 */
import 'reflect-metadata';
import { openDb } from '@herethere/db';
import { redeem, redemptionFaults } from '@herethere/loyalty';
import { createLogger, createMemoryCache, createMemoryPubSub, testConfig } from '@herethere/runtime';

const [target, merchantId, customerId, rewardId] = process.argv.slice(2);
const db = await openDb(target.startsWith('postgres') ? { url: target, max: 2 } : { dataDir: target });
const deps = { config: testConfig(), db, pubsub: createMemoryPubSub(), cache: createMemoryCache(), log: createLogger('error') };
redemptionFaults.afterReserve = async () => {
  process.stdout.write('RESERVED\n');
  process.kill(process.pid, 'SIGKILL');
  await new Promise(() => {});
};
await redeem(deps, { merchantId, customerId, rewardId, idempotencyKey: 'crash-1', actor: 'customer:crash-test' });
process.stdout.write('NOT KILLED\n');
process.exit(3);
