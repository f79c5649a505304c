// npm run audit:dependencies: fails (exit 1) on a known high or critical vulnerability in a production dependency
// that security/audit-allowlist.json does not accept (platform/dependency-audit.ts). When npm's advisory service
// cannot be asked (this workplace's registry mirror answers its bulk endpoint with 405), it says so plainly and
// exits 2 — never a silent pass; `.ci/run` reports that as "not checked" rather than failing every build for it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { findingsOf, gate, type AllowListEntry } from '../platform/dependency-audit.ts';

const run = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report: { error?: { summary?: string }; message?: string; vulnerabilities?: unknown };
try {
  report = JSON.parse(run.stdout) as typeof report;
} catch {
  console.error('npm audit gave no JSON report: the advisory service could not be asked. NOT CHECKED.');
  process.exit(2);
}
if (!report.vulnerabilities) {
  console.error(
    `npm audit could not ask the advisory service (${report.message ?? 'no report'}). NOT CHECKED.`,
  );
  process.exit(2);
}
const allowList = (
  JSON.parse(readFileSync('security/audit-allowlist.json', 'utf8')) as { accepted: AllowListEntry[] }
).accepted;
const today = new Date().toISOString().slice(0, 10);
const result = gate(findingsOf(report), allowList, today);
for (const finding of result.accepted)
  console.log(`accepted (allow-list): ${finding.severity} ${finding.advisory} in ${finding.package}`);
for (const entry of result.badEntries) console.error(`allow-list entry to review: ${entry}`);
for (const finding of result.failing)
  console.error(`FAIL: ${finding.severity} ${finding.advisory} in ${finding.package}: ${finding.title}`);
if (result.failing.length > 0 || result.badEntries.length > 0) process.exit(1);
console.log('no high or critical advisory in production dependencies beyond the allow-list');
