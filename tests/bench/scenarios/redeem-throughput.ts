import type { Scenario } from '../lib';
import { percentile } from '../lib';
import { redeemOnce, redeemTarget } from '../redeem';

/**
 * Redemptions by distinct customers, 100 at a time, with the fake Shopify Admin API taking 150 ms
 * to answer each discount creation. The metric is the shopper's latency through the gateway. The
 * baseline, measured in the same run, is what the stack cannot go below: the Admin API's 150 ms
 * plus the p99 of the cheapest authenticated query (`me { pointsBalance }`) at the same concurrency.
 */
const CONCURRENT = 100;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const ADMIN_LATENCY_MS = 150;

async function meOnce(url: string, token: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ me { pointsBalance } }' }) });
  await res.json();
  return performance.now() - started;
}

export const run: Scenario = async (env) => {
  const t = await redeemTarget(env, ADMIN_LATENCY_MS, { pointsCost: 100 });
  try {
    const shoppers = await t.customers(CONCURRENT * (ROUNDS + 1), 100);
    // Warm-up round: connection pools, query plans, JIT.
    await Promise.all(shoppers.slice(0, CONCURRENT).map((s) => redeemOnce(t.url, s.token, t.rewardId)));
    const latencies: number[] = [];
    let failed = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      const batch = shoppers.slice(round * CONCURRENT, (round + 1) * CONCURRENT);
      const results = await Promise.all(batch.map((s) => redeemOnce(t.url, s.token, t.rewardId)));
      for (const r of results) {
        if (r.ok) latencies.push(r.ms);
        else failed += 1;
      }
      env.log(`round ${round}: p50 ${percentile(results.map((r) => r.ms), 50)} ms, p99 ${percentile(results.map((r) => r.ms), 99)} ms`);
    }
    if (failed) env.log(`${failed} redemptions failed`);
    const floor: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      floor.push(...(await Promise.all(shoppers.slice(0, CONCURRENT).map((s) => meOnce(t.url, s.token)))));
    }
    const floorP99 = percentile(floor, 99);
    env.log(`cheapest query x${CONCURRENT}: p99 ${floorP99} ms`);
    return [
      { metric: 'redeem_latency_p99', value: percentile(latencies, 99), unit: 'ms', baseline: Number((ADMIN_LATENCY_MS + floorP99).toFixed(2)) },
      { metric: 'redeem_latency_p50', value: percentile(latencies, 50), unit: 'ms', baseline: Number((ADMIN_LATENCY_MS + percentile(floor, 50)).toFixed(2)) },
      { metric: 'redeem_failed', value: failed, unit: 'requests' },
    ];
  } finally {
    await t.stop();
  }
};
