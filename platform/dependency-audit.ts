// The dependency gate of CI (issue #14 item 3): a known high or critical vulnerability in a production dependency
// fails the build, unless it is on the allow-list (security/audit-allowlist.json) with a reason and an expiry date
// that has not passed. Reads `npm audit --omit=dev --json` output; bin/audit-dependencies.ts runs it.
export type Severity = 'info' | 'low' | 'moderate' | 'high' | 'critical';

export interface AllowListEntry {
  /** The advisory's GHSA id (GHSA-xxxx-xxxx-xxxx) or its URL. */
  advisory: string;
  package: string;
  reason: string;
  acceptedBy: string;
  /** YYYY-MM-DD: from this day the advisory fails CI again. */
  expires: string;
}

export interface Finding {
  package: string;
  severity: Severity;
  advisory: string;
  title: string;
}

export interface GateResult {
  /** High or critical, not accepted: these fail the build. */
  failing: Finding[];
  /** Accepted by a valid allow-list entry. */
  accepted: Finding[];
  /** Allow-list entries that are malformed or expired (they fail the build too: review them). */
  badEntries: string[];
}

const BLOCKING: ReadonlySet<Severity> = new Set(['high', 'critical']);
const GHSA = /GHSA-[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}-[23456789cfghjmpqrvwx]{4}/;

/** The advisories in npm audit's JSON (report version 2): one finding per advisory and package. */
export function findingsOf(report: unknown): Finding[] {
  const vulnerabilities = (report as { vulnerabilities?: Record<string, unknown> }).vulnerabilities ?? {};
  const findings: Finding[] = [];
  for (const [name, entry] of Object.entries(vulnerabilities)) {
    const via = (entry as { via?: unknown[] }).via ?? [];
    for (const source of via) {
      // A string names another vulnerable package this one depends on; that one is listed on its own.
      if (typeof source !== 'object' || source === null) continue;
      const advisory = source as { url?: string; severity?: Severity; title?: string };
      findings.push({
        package: name,
        severity: advisory.severity ?? 'critical',
        advisory: advisory.url?.match(GHSA)?.[0] ?? advisory.url ?? 'unknown',
        title: advisory.title ?? '',
      });
    }
  }
  return findings;
}

function validEntry(entry: AllowListEntry, today: string): string | undefined {
  if (!entry.advisory || !entry.package) return 'names no advisory or package';
  if (!entry.reason || entry.reason.trim().length < 20) return 'gives no reason (at least a sentence)';
  if (!entry.acceptedBy) return 'says not who accepted it';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(entry.expires ?? '')) return 'has no expiry date (YYYY-MM-DD)';
  if (entry.expires <= today) return `expired on ${entry.expires}`;
  return undefined;
}

/** Applies the allow-list as of `today` (YYYY-MM-DD). */
export function gate(
  findings: readonly Finding[],
  allowList: readonly AllowListEntry[],
  today: string,
): GateResult {
  const badEntries: string[] = [];
  const valid: AllowListEntry[] = [];
  for (const entry of allowList) {
    const problem = validEntry(entry, today);
    if (problem)
      badEntries.push(
        `${entry.advisory || '(no advisory)'} for ${entry.package || '(no package)'}: ${problem}`,
      );
    else valid.push(entry);
  }
  const failing: Finding[] = [];
  const accepted: Finding[] = [];
  for (const finding of findings) {
    if (!BLOCKING.has(finding.severity)) continue;
    const allowed = valid.some(
      (entry) =>
        entry.package === finding.package &&
        finding.advisory.includes(entry.advisory.match(GHSA)?.[0] ?? entry.advisory),
    );
    (allowed ? accepted : failing).push(finding);
  }
  return { failing, accepted, badEntries };
}
