import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('no environment means the embedded default with development secrets', () => {
    const c = loadConfig({});
    expect(c.mode).toBe('embedded');
    expect(c.port).toBe(4000);
    expect(c.dataDir).toBe('.data');
    expect(c.seedDemo).toBe(true);
    expect(c.shopify.apiKey).toBe('dev-api-key');
  });

  it('DATABASE_URL and REDIS_URL together select production mode', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://x@h/db', REDIS_URL: 'redis://h:6379', NODE_ENV: 'development' });
    expect(c.mode).toBe('production');
    expect(c.seedDemo).toBe(false);
  });

  it('reports every problem, one clear line each', () => {
    try {
      loadConfig({ DATABASE_URL: 'mysql://nope', NODE_ENV: 'production', PORT: 'eighty', LOG_LEVEL: 'loud', INTERNAL_SECRET: 'short' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems).toEqual(expect.arrayContaining([
        'DATABASE_URL is set but REDIS_URL is missing: production mode needs both',
        'DATABASE_URL must start with postgres:// or postgresql://',
        'PORT must be an integer between 0 and 65535 (got "eighty")',
        'LOG_LEVEL must be one of debug, info, warn, error',
        'INTERNAL_SECRET must be at least 32 characters',
        'WIDGET_TOKEN_SECRET is required in production',
        'ENCRYPTION_KEY is required in production',
        'SHOPIFY_API_KEY is required in production',
        'SHOPIFY_API_SECRET is required in production',
      ]));
      expect((err as Error).message.split('\n').length).toBe(problems.length + 1);
    }
  });
});
