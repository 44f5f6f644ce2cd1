import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// One graphql module for every package: two copies make "another realm" errors.
const require = createRequire(import.meta.url);
const graphqlEntry = require.resolve('graphql', { paths: [new URL('./subgraphs/runtime', import.meta.url).pathname] });

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['drizzle/**/*.test.ts', 'subgraphs/*/src/**/*.test.ts', 'gateway/src/**/*.test.ts', 'tests/**/*.test.ts', 'clients/*/src/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/browser/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['reflect-metadata'],
  },
});
