import { existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import type { Deps } from '@herethere/runtime';
import { runCommand, type CommandOptions, type CommandResult } from './commands';

/**
 * PGlite lets one process own the embedded database. While the embedded server runs, the CLI
 * hands its command to the server over a Unix socket in DATA_DIR (owner-only permissions), and
 * the server runs it against the database it already holds.
 */
export const controlSocketPath = (dataDir: string) => join(resolve(dataDir), 'control.sock');

export async function startControlSocket(deps: Deps): Promise<Server> {
  const path = controlSocketPath(deps.config.dataDir);
  if (existsSync(path)) rmSync(path);
  const server = createServer((socket) => {
    let buffer = '';
    socket.on('data', async (chunk) => {
      buffer += chunk.toString();
      const newline = buffer.indexOf('\n');
      if (newline < 0) return;
      let result: CommandResult;
      try {
        const { args, opts } = JSON.parse(buffer.slice(0, newline)) as { args: string[]; opts: CommandOptions };
        result = await runCommand(deps, args, opts);
      } catch (err) {
        result = { code: 1, out: `Bad control request: ${(err as Error).message}` };
      }
      socket.end(`${JSON.stringify(result)}\n`);
    });
  });
  const previousMask = process.umask(0o177);
  await new Promise<void>((ok, ko) => server.listen(path, ok).once('error', ko));
  process.umask(previousMask);
  return server;
}

/** Sends a command to a running embedded server; undefined when none is listening. */
export async function sendToRunningServer(dataDir: string, args: string[], opts: CommandOptions): Promise<CommandResult | undefined> {
  const path = controlSocketPath(dataDir);
  if (!existsSync(path)) return undefined;
  return new Promise((ok) => {
    const socket = createConnection(path);
    let data = '';
    socket.on('connect', () => socket.write(`${JSON.stringify({ args, opts })}\n`));
    socket.on('data', (c) => (data += c.toString()));
    socket.on('end', () => ok(JSON.parse(data) as CommandResult));
    socket.on('error', () => ok(undefined));
  });
}
