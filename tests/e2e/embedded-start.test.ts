import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The README's first command, for real: `pnpm start` with no environment boots PGlite under
 * DATA_DIR, migrates, seeds the demo shop and serves the gateway; the CLI mints tokens through
 * the running process; SIGTERM drains and exits cleanly.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);
const cleanEnv = () => {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' };
  return env;
};

let child: ChildProcess;
let dataDir: string;
let url: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'herethere-start-'));
  child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], { cwd: ROOT, env: { ...cleanEnv(), DATA_DIR: dataDir } });
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`did not start:\n${out}`)), 90_000);
    child.stdout!.on('data', (c) => {
      out += c.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (c) => (out += c.toString()));
    child.on('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
}, 120_000);

afterAll(() => {
  if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

const cli = (...args: string[]) => run(process.execPath, ['--import', 'tsx', 'gateway/src/cli/main.ts', ...args], { cwd: ROOT, env: { ...cleanEnv(), DATA_DIR: dataDir } });

describe('embedded default', () => {
  it('serves the seeded demo shop to a merchant token minted by the CLI', async () => {
    const { stdout } = await cli('token', 'merchant', 'demo-shop.myshopify.com');
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${stdout.trim()}` },
      body: JSON.stringify({ query: '{ shop { shopDomain plan { name } customers(first: 10) { nodes { email pointsBalance } } } }' }),
    });
    const body = (await res.json()) as { data: { shop: { shopDomain: string; plan: { name: string }; customers: { nodes: unknown[] } } } };
    expect(body.data.shop.shopDomain).toBe('demo-shop.myshopify.com');
    expect(body.data.shop.plan.name).toBe('Growth');
    expect(body.data.shop.customers.nodes).toHaveLength(5);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('mints customer and admin tokens through the running server', async () => {
    const customer = (await cli('token', 'customer', 'demo-shop.myshopify.com', '1001')).stdout.trim();
    const me = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${customer}` }, body: JSON.stringify({ query: '{ me { email pointsBalance } }' }) });
    expect(((await me.json()) as { data: unknown }).data).toEqual({ me: { email: 'ada@example.com', pointsBalance: 1250 } });

    await run(process.execPath, ['--import', 'tsx', 'gateway/src/cli/main.ts', 'admin', 'create', 'ops'], { cwd: ROOT, env: { ...cleanEnv(), DATA_DIR: dataDir, ADMIN_PASSWORD: 'a long admin password' } });
    const admin = (await cli('token', 'admin', 'ops')).stdout.trim();
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ query: '{ adminMe { username role } }' }) });
    expect(((await res.json()) as { data: unknown }).data).toEqual({ adminMe: { username: 'ops', role: 'OWNER' } });
  });

  it('refuses token minting in production', async () => {
    const attempt = run(process.execPath, ['--import', 'tsx', 'gateway/src/cli/main.ts', 'token', 'merchant', 'demo-shop.myshopify.com'], { cwd: ROOT, env: { ...cleanEnv(), DATA_DIR: dataDir, NODE_ENV: 'production', INTERNAL_SECRET: 'x'.repeat(32), WIDGET_TOKEN_SECRET: 'y'.repeat(32), ENCRYPTION_KEY: 'z'.repeat(32), SHOPIFY_API_KEY: 'k', SHOPIFY_API_SECRET: 's' } });
    await expect(attempt).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('refused when NODE_ENV=production') });
  });

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
