// The dependency gate's rules (platform/dependency-audit.ts): high and critical advisories in production
// dependencies fail, unless accepted by an allow-list entry with a reason and an expiry that has not passed.
import { describe, expect, it } from 'vitest';
import { findingsOf, gate, type AllowListEntry } from '../../platform/dependency-audit.ts';

/** The shape of `npm audit --json` (report version 2), trimmed to what the gate reads. */
const REPORT = {
  auditReportVersion: 2,
  vulnerabilities: {
    'parse-thing': {
      name: 'parse-thing',
      severity: 'critical',
      via: [
        {
          source: 1,
          name: 'parse-thing',
          title: 'Prototype pollution',
          url: 'https://github.com/advisories/GHSA-2222-3333-4444',
          severity: 'critical',
        },
      ],
    },
    'uses-parse-thing': { name: 'uses-parse-thing', severity: 'critical', via: ['parse-thing'] },
    'slow-regex': {
      name: 'slow-regex',
      severity: 'moderate',
      via: [
        { title: 'ReDoS', url: 'https://github.com/advisories/GHSA-5555-6666-7777', severity: 'moderate' },
      ],
    },
  },
};

const entry = (overrides: Partial<AllowListEntry> = {}): AllowListEntry => ({
  advisory: 'GHSA-2222-3333-4444',
  package: 'parse-thing',
  reason: 'Only reachable through a code path the platform never calls (no user input reaches it).',
  acceptedBy: 'security champion',
  expires: '2027-01-31',
  ...overrides,
});

describe('dependency gate', () => {
  it('reads one finding per advisory, not per package that merely depends on it', () => {
    expect(findingsOf(REPORT)).toEqual([
      {
        package: 'parse-thing',
        severity: 'critical',
        advisory: 'GHSA-2222-3333-4444',
        title: 'Prototype pollution',
      },
      { package: 'slow-regex', severity: 'moderate', advisory: 'GHSA-5555-6666-7777', title: 'ReDoS' },
    ]);
  });

  it('fails on a high or critical advisory, and lets moderate ones pass', () => {
    const result = gate(findingsOf(REPORT), [], '2026-12-01');
    expect(result.failing.map((f) => f.advisory)).toEqual(['GHSA-2222-3333-4444']);
  });

  it('accepts an advisory on the allow-list until its expiry, and fails it from that day', () => {
    expect(gate(findingsOf(REPORT), [entry()], '2026-12-01')).toMatchObject({ failing: [], badEntries: [] });
    const expired = gate(findingsOf(REPORT), [entry()], '2027-01-31');
    expect(expired.failing).toHaveLength(1);
    expect(expired.badEntries).toEqual(['GHSA-2222-3333-4444 for parse-thing: expired on 2027-01-31']);
  });

  it('refuses an entry without a reason, an owner or an expiry, and one for another package', () => {
    for (const bad of [entry({ reason: 'ok' }), entry({ acceptedBy: '' }), entry({ expires: 'soon' })]) {
      const result = gate(findingsOf(REPORT), [bad], '2026-12-01');
      expect(result.failing).toHaveLength(1);
      expect(result.badEntries).toHaveLength(1);
    }
    expect(gate(findingsOf(REPORT), [entry({ package: 'other' })], '2026-12-01').failing).toHaveLength(1);
  });

  it('keeps the committed allow-list valid', async () => {
    const { readFile } = await import('node:fs/promises');
    const list = JSON.parse(await readFile('security/audit-allowlist.json', 'utf8')) as {
      accepted: AllowListEntry[];
    };
    expect(gate([], list.accepted, new Date().toISOString().slice(0, 10)).badEntries).toEqual([]);
  });
});
