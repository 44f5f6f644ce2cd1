import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Browser tests: the whole product in-process (tests/support/stack.ts) behind the demo storefront,
// driven by playwright-core in Debian's chromium. One file at a time: each drives a real browser.
const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
const graphqlEntry = require.resolve('graphql', { paths: [`${root}subgraphs/runtime`] });

export default defineConfig({
  root,
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    include: ['tests/browser/**/*.test.ts', 'clients/widget/src/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['tests/browser/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    setupFiles: ['reflect-metadata'],
  },
});
