import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { record, type BenchEnv, type Scenario } from './lib';

/**
 * `pnpm bench [scenario…]` runs the named scenarios (all when none is named) against
 * DATABASE_URL / REDIS_URL when set, otherwise embedded, and appends one JSON line per metric to
 * tests/bench/results/latest.jsonl.
 */
const dir = fileURLToPath(new URL('./scenarios/', import.meta.url));
const available = (await readdir(dir)).filter((f) => f.endsWith('.ts')).map((f) => f.replace(/\.ts$/, '')).sort();
const requested = process.argv.slice(2);
const unknown = requested.filter((r) => !available.includes(r));
if (unknown.length) {
  console.error(`Unknown scenario(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}
const env: BenchEnv = { databaseUrl: process.env.DATABASE_URL, redisUrl: process.env.REDIS_URL, log: (m) => console.error(`  ${m}`) };
for (const name of requested.length ? requested : available) {
  console.error(`bench ${name} (${env.databaseUrl ? 'PostgreSQL' : 'PGlite'}, ${env.redisUrl ? 'Redis' : 'in-process pubsub'})`);
  const { run } = (await import(`./scenarios/${name}.ts`)) as { run: Scenario };
  await record(name, env, await run(env));
}
process.exit(0);
