// The browser tests: a real headless Chromium (Debian's, /usr/bin/chromium) driven by playwright-core against the
// whole platform. Separate from `npm test` because a fresh machine has no Chromium; .ci/run installs it and runs
// these with `npm run test:browser`.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['test/browser/**/*.test.ts'], exclude: ['node_modules/**'] },
});
