// The browser tests: a real headless Chromium (Debian's, /usr/bin/chromium) driven by playwright-core against the
// whole platform. Separate from `npm test` because a fresh machine has no Chromium; .ci/run installs it and runs
// these with `npm run test:browser`.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['test/browser/**/*.test.ts'],
    exclude: ['node_modules/**'],
    // A whole login, page load and operation in a real browser, on a fresh clone also the explorer's first bundle:
    // 30 s was once not enough in CI on a loaded 2-core machine. A bound on a hang, not a timing assertion.
    testTimeout: 90_000,
    // expect.poll waits for the page to show something; its default of 1 s is short for a real browser and a whole
    // platform on a busy 2-core machine. Also a bound on a hang: a poll that passes returns at once.
    expect: { poll: { timeout: 15_000 } },
  },
});
