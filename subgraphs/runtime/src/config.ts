/**
 * Configuration, read once from the environment and validated with one clear line per problem.
 * No environment at all means the embedded default: PGlite under DATA_DIR, in-process pub/sub and
 * cache, development secrets, every service in one process.
 */
export type Mode = 'embedded' | 'production';

export const SUBGRAPH_NAMES = ['loyalty', 'merchant-config', 'analytics', 'admin'] as const;
export type SubgraphName = (typeof SUBGRAPH_NAMES)[number];

export interface Config {
  mode: Mode;
  nodeEnv: string;
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  redisUrl?: string;
  shopify: { apiKey: string; apiSecret: string; appUrl: string; apiVersion: string; adminApiUrl?: string };
  /** Admin API calls (discount codes): per-request timeout and how many attempts a call gets. */
  shopifyAdmin: { timeoutMs: number; maxAttempts: number };
  /** Message providers: base URLs, process-wide credentials (a merchant's own integration wins) and retry policy. */
  notify: {
    klaviyoApiUrl: string;
    klaviyoApiKey?: string;
    klaviyoRevision: string;
    twilioApiUrl: string;
    twilioAccountSid?: string;
    twilioAuthToken?: string;
    twilioFrom?: string;
    timeoutMs: number;
    maxAttempts: number;
    retryBaseMs: number;
    retryMaxMs: number;
  };
  /** Signs the gateway → subgraph credential. */
  internalSecret: string;
  /** Signs the storefront widget's short-lived customer tokens. */
  widgetTokenSecret: string;
  widgetTokenTtlSeconds: number;
  /** Seals secrets at rest (Shopify offline tokens, integration keys). */
  encryptionKey: string;
  subgraphUrls: Record<SubgraphName, string>;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  maxBodyBytes: number;
  seedDemo: boolean;
  /** Parallel claim-and-process loops of the webhook inbox in each loyalty process. */
  inboxConcurrency: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const DEV_SECRET = 'development-only-secret-do-not-use-in-production-0000';

const URL_VARS: Record<SubgraphName, string> = {
  loyalty: 'LOYALTY_URL',
  'merchant-config': 'MERCHANT_CONFIG_URL',
  analytics: 'ANALYTICS_URL',
  admin: 'ADMIN_URL',
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  const databaseUrl = env.DATABASE_URL || undefined;
  const redisUrl = env.REDIS_URL || undefined;
  const mode: Mode = databaseUrl || redisUrl ? 'production' : 'embedded';
  const nodeEnv = env.NODE_ENV ?? (mode === 'production' ? 'production' : 'development');

  if (mode === 'production') {
    if (!databaseUrl) problems.push('REDIS_URL is set but DATABASE_URL is missing: production mode needs both');
    if (!redisUrl) problems.push('DATABASE_URL is set but REDIS_URL is missing: production mode needs both');
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) problems.push('REDIS_URL must start with redis:// or rediss://');

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };

  const secret = (name: string, devFallback: string): string => {
    const raw = env[name];
    if (raw) {
      if (raw.length < 32) problems.push(`${name} must be at least 32 characters`);
      return raw;
    }
    if (nodeEnv === 'production') problems.push(`${name} is required in production`);
    return devFallback;
  };

  const httpUrl = (name: string, fallback: string): string => {
    const raw = env[name];
    if (!raw) return fallback;
    if (!/^https?:\/\/[^/]+/.test(raw)) problems.push(`${name} must be an http(s) URL`);
    return raw.replace(/\/+$/, '');
  };
  if (env.TWILIO_ACCOUNT_SID && !/^AC[0-9a-fA-F]{32}$/.test(env.TWILIO_ACCOUNT_SID)) problems.push('TWILIO_ACCOUNT_SID must look like AC followed by 32 hex digits');
  if (env.TWILIO_ACCOUNT_SID && (!env.TWILIO_AUTH_TOKEN || !env.TWILIO_FROM)) problems.push('TWILIO_ACCOUNT_SID needs TWILIO_AUTH_TOKEN and TWILIO_FROM too');

  const shopifyApiKey = env.SHOPIFY_API_KEY || (nodeEnv === 'production' ? '' : 'dev-api-key');
  const shopifyApiSecret = env.SHOPIFY_API_SECRET || (nodeEnv === 'production' ? '' : 'dev-api-secret-change-me');
  if (!shopifyApiKey) problems.push('SHOPIFY_API_KEY is required in production');
  if (!shopifyApiSecret) problems.push('SHOPIFY_API_SECRET is required in production');

  const port = int('PORT', 4000, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const appUrl = env.SHOPIFY_APP_URL || `http://${host}:${port}`;
  if (!/^https?:\/\//.test(appUrl)) problems.push('SHOPIFY_APP_URL must be an http(s) URL');

  const subgraphUrls = {} as Record<SubgraphName, string>;
  const basePort = 4001;
  SUBGRAPH_NAMES.forEach((name, i) => {
    const v = env[URL_VARS[name]];
    if (v && !/^https?:\/\//.test(v)) problems.push(`${URL_VARS[name]} must be an http(s) URL`);
    subgraphUrls[name] = v || `http://127.0.0.1:${basePort + i}/graphql`;
  });

  const logLevel = (env.LOG_LEVEL || 'info') as Config['logLevel'];
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) problems.push('LOG_LEVEL must be one of debug, info, warn, error');

  const config: Config = {
    mode,
    nodeEnv,
    host,
    port,
    dataDir: env.DATA_DIR || '.data',
    databaseUrl,
    redisUrl,
    shopify: {
      apiKey: shopifyApiKey,
      apiSecret: shopifyApiSecret,
      appUrl,
      apiVersion: env.SHOPIFY_API_VERSION || '2025-07',
      adminApiUrl: env.SHOPIFY_ADMIN_API_URL || undefined,
    },
    shopifyAdmin: { timeoutMs: int('SHOPIFY_ADMIN_TIMEOUT_MS', 10_000, 50, 120_000), maxAttempts: int('SHOPIFY_ADMIN_MAX_ATTEMPTS', 4, 1, 10) },
    notify: {
      klaviyoApiUrl: httpUrl('KLAVIYO_API_URL', 'https://a.klaviyo.com'),
      klaviyoApiKey: env.KLAVIYO_API_KEY || undefined,
      klaviyoRevision: env.KLAVIYO_REVISION || '2025-01-15',
      twilioApiUrl: httpUrl('TWILIO_API_URL', 'https://api.twilio.com'),
      twilioAccountSid: env.TWILIO_ACCOUNT_SID || undefined,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN || undefined,
      twilioFrom: env.TWILIO_FROM || undefined,
      timeoutMs: int('NOTIFY_TIMEOUT_MS', 10_000, 50, 120_000),
      maxAttempts: int('NOTIFY_MAX_ATTEMPTS', 8, 1, 50),
      retryBaseMs: int('NOTIFY_RETRY_BASE_MS', 30_000, 1, 86_400_000),
      retryMaxMs: int('NOTIFY_RETRY_MAX_MS', 3_600_000, 1, 86_400_000),
    },
    internalSecret: secret('INTERNAL_SECRET', `${DEV_SECRET}-internal`),
    widgetTokenSecret: secret('WIDGET_TOKEN_SECRET', `${DEV_SECRET}-widget`),
    widgetTokenTtlSeconds: int('WIDGET_TOKEN_TTL_SECONDS', 900, 60, 86_400),
    encryptionKey: secret('ENCRYPTION_KEY', `${DEV_SECRET}-sealing`),
    subgraphUrls,
    logLevel,
    maxBodyBytes: int('MAX_BODY_BYTES', 1_000_000, 1_024, 50_000_000),
    inboxConcurrency: int('INBOX_CONCURRENCY', 4, 1, 64),
    seedDemo: env.SEED_DEMO ? env.SEED_DEMO === 'true' : mode === 'embedded',
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** A config for tests and tools: embedded defaults plus overrides, never read from the process. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test' }), seedDemo: false, ...overrides };
}
