// The DPIA's data inventory is generated from the schema (platform/personal-data-inventory.ts), so it cannot drift
// from what the subgraphs mark @personalData: this fails when docs/DPIA.md was not regenerated (issue #14 item 2).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { all, any, check, not } from '../../access/policy.ts';
import {
  describePolicy,
  DPIA_FILE,
  expectedDpia,
  personalDataInventory,
} from '../../platform/personal-data-inventory.ts';

describe('docs/DPIA.md data inventory', () => {
  it('matches the schema (run `npm run dpia:inventory` when this fails)', async () => {
    const current = readFileSync(DPIA_FILE, 'utf8');
    expect(await expectedDpia(current)).toBe(current);
  });

  it('lists every field marked @personalData, with its policy', () => {
    const inventory = personalDataInventory();
    expect(inventory).toContain('| documents | `Document.title` |');
    expect(inventory).toContain('| organizations | `Caller.pid` |');
    expect(inventory).toMatch(
      /\| audit \| `AuditEvent\.dataSubject` \| [^|]+ \| hasPrivilegeIn\(AUDIT\.READ\) or isDataSubject \|/,
    );
  });

  it('describes policies in words, nesting kept', () => {
    const a = check('a', () => true, { needsParent: false });
    const b = check('b', () => true, { needsParent: false });
    expect(describePolicy(any(a, all(b, not(a))))).toBe('a or (b and not a)');
    expect(describePolicy(undefined)).toBe('no rule: refused');
  });
});
