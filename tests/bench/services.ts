import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Service {
  name: string;
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts one service as its own process (`pnpm start:<service>`), as in production, so a bench's
 * load generator never shares an event loop with the server it measures.
 */
export async function startService(name: string, port: number, env: Record<string, string>): Promise<Service> {
  const url = `http://127.0.0.1:${port}`;
  const health = name === 'gateway' ? `${url}/healthz` : `${url}/health`;
  // Something already answering there (another bench still running) would be measured instead.
  if (await fetch(health).then(() => true, () => false)) throw new Error(`port ${port} is taken: is another bench still running?`);
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the services under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'gateway/src/main.ts', name], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'development', LOG_LEVEL: 'error', SEED_DEMO: 'false', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    const ok = await fetch(health).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`${name} did not become healthy`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    url,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}
