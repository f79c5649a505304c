import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and ESM builds without an exports map. Node (and so Apollo, and our code under tsx)
    // loads the CommonJS one; Vite would pick the ESM one for our code, and graphql's instanceof checks then fail
    // across the two copies. Point the bare import at what Node loads.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // The explorer's browser files, built once for the whole run (test/support/explorer-bundle.ts).
    globalSetup: ['test/support/explorer-bundle.ts'],
    // Needs Chromium: `npm run test:browser` (vitest.browser.config.ts).
    exclude: ['test/browser/**', 'node_modules/**'],
    // Whole-platform tests start PGlite and five servers; give them room on a 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
