import { ConfigError, loadConfig } from '@herethere/runtime';
import { closeDeps, openDeps } from '../deps';
import { runCommand, type CommandResult } from './commands';
import { sendToRunningServer } from './control';

async function readPassword(args: string[]): Promise<string | undefined> {
  if (args[0] !== 'admin') return undefined;
  if (process.env.ADMIN_PASSWORD) return process.env.ADMIN_PASSWORD;
  if (process.stdin.isTTY) {
    const { createInterface } = await import('node:readline/promises');
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const answer = await rl.question('Password (12+ characters): ');
    rl.close();
    return answer.trim();
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString().trim();
}

let config;
try {
  config = loadConfig();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : String(err));
  process.exit(1);
}

const args = process.argv.slice(2);
const opts = { password: await readPassword(args), callerInProduction: config.nodeEnv === 'production' };
let result: CommandResult | undefined;
if (config.mode === 'embedded') result = await sendToRunningServer(config.dataDir, args, opts);
if (!result) {
  const deps = await openDeps(config, { migrate: config.mode === 'embedded' && args[0] !== 'migrate' });
  try {
    result = await runCommand(deps, args, opts);
  } finally {
    await closeDeps(deps);
  }
}
(result.code === 0 ? process.stdout : process.stderr).write(`${result.out}\n`);
process.exit(result.code);
