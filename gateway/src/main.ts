import { ConfigError, loadConfig, SUBGRAPH_NAMES } from '@herethere/runtime';
import { startControlSocket } from './cli/control';
import { closeDeps, openDeps } from './deps';
import { seedDemo } from './seed';
import { startServices, type ServiceName } from './start';

/**
 * `pnpm start` runs everything in one process (the embedded default, or all services against
 * DATABASE_URL/REDIS_URL); `pnpm start:<service>` runs one service alone on PORT.
 */
const requested = process.argv[2] as ServiceName | undefined;
const valid: ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];
if (requested && !valid.includes(requested)) {
  console.error(`Unknown service "${requested}". Expected one of: ${valid.join(', ')}`);
  process.exit(2);
}

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const deps = await openDeps(config);
if (config.seedDemo) await seedDemo(deps);
const services: ServiceName[] = requested ? [requested] : [...SUBGRAPH_NAMES, 'gateway'];
const running = await startServices(deps, services, requested && requested !== 'gateway' ? { subgraphPort: config.port } : {});
deps.log.info('started', { services, gateway: running.gatewayUrl, subgraphs: running.subgraphUrls });
// In embedded mode this process owns PGlite; the CLI reaches it through a local socket.
const control = config.mode === 'embedded' ? await startControlSocket(deps) : undefined;
if (running.gatewayUrl) {
  console.log(`Herethere Loyalty (${config.mode}) listening on ${running.gatewayUrl} — GraphQL at ${running.gatewayUrl}/graphql`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  deps.log.info('draining', { signal });
  control?.close();
  await running.stop();
  deps.log.debug('services stopped');
  await closeDeps(deps);
  deps.log.debug('dependencies closed');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
