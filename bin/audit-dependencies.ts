// npm run audit:dependencies: fails (exit 1) on a known high or critical vulnerability in a production dependency
// that the allow-list does not accept (platform/dependency-audit.ts). When npm's advisory service cannot be asked
// (this workplace's registry mirror answers its bulk endpoint with 405), it says so plainly and exits 2 — never a
// silent pass; `.ci/run` reports that as NOT CHECKED rather than failing every build for it.
//
//   --allow-list <file>   the accepted advisories (default security/audit-allowlist.json); the end-to-end test
//                         (test/security/dependency-audit-npm.test.ts) passes its own.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { findingsOf, gate, type AllowListEntry } from '../platform/dependency-audit.ts';

const { values: options } = parseArgs({
  options: { 'allow-list': { type: 'string', default: 'security/audit-allowlist.json' } },
});
const allowListFile = options['allow-list'];

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report: { message?: string; vulnerabilities?: unknown } | null;
try {
  report = JSON.parse(run.stdout) as typeof report;
} catch {
  report = null;
}
if (!report?.vulnerabilities) {
  // npm --json prints the advisory service's refusal as { message, statusCode, … }; without JSON, npm itself failed.
  const why = report?.message ?? (run.stderr || run.error?.message || '').trim().split('\n')[0];
  console.error(`npm audit could not ask the advisory service (${why || 'no report'}). NOT CHECKED.`);
  process.exit(2);
}
let allowList: AllowListEntry[];
try {
  allowList = (JSON.parse(readFileSync(allowListFile, 'utf8')) as { accepted: AllowListEntry[] }).accepted;
  if (!Array.isArray(allowList)) throw new Error('it has no "accepted" list');
} catch (error) {
  // An allow-list that cannot be read accepts nothing, and says so: fail rather than guess.
  console.error(`FAIL: the allow-list ${allowListFile} cannot be read: ${(error as Error).message}`);
  process.exit(1);
}
const today = new Date().toISOString().slice(0, 10);
const result = gate(findingsOf(report), allowList, today);
for (const finding of result.accepted)
  console.log(`accepted (allow-list): ${finding.severity} ${finding.advisory} in ${finding.package}`);
for (const entry of result.badEntries) console.error(`allow-list entry to review: ${entry}`);
for (const finding of result.failing)
  console.error(`FAIL: ${finding.severity} ${finding.advisory} in ${finding.package}: ${finding.title}`);
if (result.failing.length > 0 || result.badEntries.length > 0) process.exit(1);
console.log('no high or critical advisory in production dependencies beyond the allow-list');
