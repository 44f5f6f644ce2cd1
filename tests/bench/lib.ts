import { appendFile, mkdir } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

export interface Metric {
  metric: string;
  value: number;
  unit: string;
  /** A reference measured in the same run (raw pgbench, a direct subgraph call), when there is one. */
  baseline?: number | null;
}

export interface BenchEnv {
  databaseUrl?: string;
  redisUrl?: string;
  log(message: string): void;
}

/** A scenario prepares its own data, measures, cleans up and ends by itself within minutes. */
export type Scenario = (env: BenchEnv) => Promise<Metric[]>;

export const RESULTS = fileURLToPath(new URL('./results/latest.jsonl', import.meta.url));

export async function record(scenario: string, env: BenchEnv, metrics: Metric[]): Promise<void> {
  await mkdir(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
  const at = new Date().toISOString();
  const lines = metrics.map((m) =>
    JSON.stringify({
      scenario,
      metric: m.metric,
      value: m.value,
      unit: m.unit,
      baseline: m.baseline ?? null,
      ratio: m.baseline ? Number((m.value / m.baseline).toFixed(3)) : null,
      db: env.databaseUrl ? 'postgresql' : 'pglite',
      redis: env.redisUrl ? 'redis' : 'in-process',
      at,
    }),
  );
  await appendFile(RESULTS, `${lines.join('\n')}\n`);
  for (const l of lines) console.log(l);
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const idx = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return Number(sorted[Math.max(0, idx)].toFixed(2));
}

/**
 * A load generator's POST: node:http on kept-alive sockets. The bench shares the machine's cores
 * with the services it measures, and undici's fetch costs several times the CPU per request, CPU
 * the services then do not get (Shopify's senders are not on our machine).
 */
export function poster(maxSockets: number): { post(url: string, headers: Record<string, string>, body: string): Promise<number>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets });
  return {
    post: (url, headers, body) =>
      new Promise<number>((resolve, reject) => {
        const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
          res.resume();
          res.once('end', () => resolve(res.statusCode ?? 0));
          res.once('error', reject);
        });
        req.once('error', reject);
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}
