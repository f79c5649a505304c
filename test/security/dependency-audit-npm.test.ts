// The dependency gate end to end (issue #14 item 3): the real `npm run audit:dependencies` — bin/audit-dependencies.ts
// running the real `npm audit --omit=dev` over this repository's package-lock.json — against a loopback stand-in of
// npm's advisory service (test/support/npm-advisory-service.ts), since this workplace's registry answers the real
// endpoint with 405. Each case runs its own npm against its own stand-in, concurrently; nothing leaves loopback.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AllowListEntry, Severity } from '../../platform/dependency-audit.ts';
import {
  startAdvisoryService,
  type AdvisoryServiceOptions,
  type BulkAdvisory,
} from '../support/npm-advisory-service.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOCK = JSON.parse(await readFile(join(ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version: string; dev?: boolean }>;
};
const installed = (name: string) => LOCK.packages[`node_modules/${name}`]!;

// Two production dependencies and one that only development uses, at the versions the lock file installs.
const PRODUCTION = 'graphql';
const PRODUCTION_TOO = 'jose';
const DEVELOPMENT_ONLY = 'vitest';

const advisory = (id: number, ghsa: string, severity: Severity, range: string): BulkAdvisory => ({
  id,
  url: `https://github.com/advisories/${ghsa}`,
  title: `Test advisory ${ghsa}`,
  severity,
  vulnerable_versions: range,
  cwe: ['CWE-400'],
  cvss: { score: 7.5, vectorString: null },
});
const HIGH = 'GHSA-2222-3333-4444';
const CRITICAL = 'GHSA-5555-6666-7777';
const upToInstalled = (name: string) => `<=${installed(name).version}`;

const accept = (advisoryId: string, pkg: string, expires: string): AllowListEntry => ({
  advisory: advisoryId,
  package: pkg,
  reason: 'Only reachable through a code path the platform never calls (no user input reaches it).',
  acceptedBy: 'security champion',
  expires,
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  asked: Record<string, string[]>[];
  elsewhere: string[];
}

/** Runs `npm run audit:dependencies`'s script as CI does, with npm pointed at a stand-in answering as given. */
async function audit(service: AdvisoryServiceOptions, allowList: AllowListEntry[] = []): Promise<Run> {
  const stand = await startAdvisoryService(service);
  const dir = await mkdtemp(join(tmpdir(), 'fiks-npm-audit-'));
  try {
    const allowListFile = join(dir, 'allow-list.json');
    await writeFile(allowListFile, JSON.stringify({ accepted: allowList }));
    await writeFile(join(dir, 'user.npmrc'), '');
    await writeFile(join(dir, 'global.npmrc'), '');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'bin/audit-dependencies.ts', '--allow-list', allowListFile],
      {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          // No npmrc but these empty ones, no cache but this run's: nothing of the machine's npm set-up applies.
          HOME: dir,
          npm_config_userconfig: join(dir, 'user.npmrc'),
          npm_config_globalconfig: join(dir, 'global.npmrc'),
          npm_config_cache: join(dir, 'cache'),
          npm_config_update_notifier: 'false',
          npm_config_registry: stand.url,
          // Whatever npm would ask anywhere else reaches the stand-in, which refuses and records it.
          npm_config_proxy: stand.url,
          npm_config_https_proxy: stand.url,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    return { code, stdout, stderr, asked: stand.asked, elsewhere: stand.elsewhere };
  } finally {
    await stand.close();
    await rm(dir, { recursive: true, force: true });
  }
}

// Each case is a whole npm run (a few seconds alone); run side by side on a busy 2-core machine they take longer.
describe(
  'dependency audit / npm audit against a stand-in of npm’s advisory service',
  { timeout: 120_000 },
  () => {
    it('rests on the lock file installing the packages below as production and development dependencies', () => {
      expect(installed(PRODUCTION).dev).toBeUndefined();
      expect(installed(PRODUCTION_TOO).dev).toBeUndefined();
      expect(installed(DEVELOPMENT_ONLY).dev).toBe(true);
    });

    const highAndCritical = {
      [PRODUCTION]: [advisory(1001, HIGH, 'high', upToInstalled(PRODUCTION))],
      [PRODUCTION_TOO]: [advisory(1002, CRITICAL, 'critical', upToInstalled(PRODUCTION_TOO))],
    };

    it.concurrent(
      'fails on a high and a critical advisory against installed production dependencies',
      async () => {
        const run = await audit({ advisories: highAndCritical });
        expect(run.code, run.stderr).toBe(1);
        expect(run.stderr).toContain(`FAIL: high ${HIGH} in ${PRODUCTION}`);
        expect(run.stderr).toContain(`FAIL: critical ${CRITICAL} in ${PRODUCTION_TOO}`);
        // npm asked about the versions the lock file installs, and nothing but the stand-in.
        expect(run.asked).toHaveLength(1);
        expect(run.asked[0]![PRODUCTION]).toContain(installed(PRODUCTION).version);
        expect(run.elsewhere).toEqual([]);
      },
    );

    it.concurrent(
      'passes them while the allow-list accepts them, with a reason, until a future day',
      async () => {
        const run = await audit({ advisories: highAndCritical }, [
          accept(HIGH, PRODUCTION, '2099-12-31'),
          accept(`https://github.com/advisories/${CRITICAL}`, PRODUCTION_TOO, '2099-12-31'),
        ]);
        expect(run.code, run.stderr).toBe(0);
        expect(run.stdout).toContain(`accepted (allow-list): high ${HIGH} in ${PRODUCTION}`);
        expect(run.stdout).toContain(`accepted (allow-list): critical ${CRITICAL} in ${PRODUCTION_TOO}`);
        expect(run.elsewhere).toEqual([]);
      },
    );

    it.concurrent('fails an advisory whose acceptance has expired', async () => {
      const run = await audit({ advisories: highAndCritical }, [
        accept(HIGH, PRODUCTION, '2000-01-01'),
        accept(CRITICAL, PRODUCTION_TOO, '2099-12-31'),
      ]);
      expect(run.code, run.stderr).toBe(1);
      expect(run.stderr).toContain(
        `allow-list entry to review: ${HIGH} for ${PRODUCTION}: expired on 2000-01-01`,
      );
      expect(run.stderr).toContain(`FAIL: high ${HIGH} in ${PRODUCTION}`);
      expect(run.stderr).not.toContain(CRITICAL);
    });

    it.concurrent('passes moderate and low advisories', async () => {
      const run = await audit({
        advisories: {
          [PRODUCTION]: [advisory(1003, HIGH, 'moderate', upToInstalled(PRODUCTION))],
          [PRODUCTION_TOO]: [advisory(1004, CRITICAL, 'low', upToInstalled(PRODUCTION_TOO))],
        },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('no high or critical advisory in production dependencies');
      expect(run.asked).toHaveLength(1);
    });

    it.concurrent('passes a critical advisory for versions older than the one installed', async () => {
      const run = await audit({
        advisories: {
          [PRODUCTION]: [advisory(1005, CRITICAL, 'critical', `<${installed(PRODUCTION).version}`)],
        },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.asked).toHaveLength(1);
    });

    it.concurrent('neither sends nor counts a package only development uses (--omit=dev)', async () => {
      const run = await audit({
        advisories: {
          [DEVELOPMENT_ONLY]: [advisory(1006, CRITICAL, 'critical', upToInstalled(DEVELOPMENT_ONLY))],
        },
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.asked).toHaveLength(1);
      expect(Object.keys(run.asked[0]!)).toContain(PRODUCTION);
      expect(Object.keys(run.asked[0]!)).not.toContain(DEVELOPMENT_ONLY);
    });

    it.concurrent(
      'says NOT CHECKED, exit 2, when the advisory endpoint answers 405 as this workplace’s does',
      async () => {
        const run = await audit({ refuseWith: 405, advisories: highAndCritical });
        expect(run.code, run.stderr).toBe(2);
        expect(run.stderr).toContain('NOT CHECKED');
        expect(run.stderr).toContain('405');
        expect(run.asked).toHaveLength(1);
        expect(run.elsewhere).toEqual([]);
      },
    );
  },
);
