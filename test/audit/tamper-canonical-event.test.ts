// The canonical event is a contract with every browser that checks a proof (docs/AUDIT-LOG.md): one exact string per
// event, pinned here byte for byte, with the fields holding persons' data sealed, and a payload whose key order,
// whitespace and number spelling in the database cannot change the string — nor a changed digit go unnoticed.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../subgraphs/audit/canonical-json.ts';
import {
  canonicalEvent,
  commitment,
  disclose,
  eventLeafHash,
  SEALED_FIELDS,
  type CanonicalFields,
} from '../../subgraphs/audit/canonical-event.ts';

const FIELDS: CanonicalFields = {
  id: 'e0000000-0000-4000-8000-0000000000b1',
  occurredAt: '2026-03-10T09:14:03.250113Z',
  actorType: 'PERSON',
  actorId: '30816423437',
  onBehalfOf: '910000004',
  orgnr: '910000004',
  service: 'documents',
  action: 'PERSONAL_DATA_READ',
  dataSubject: '01919045600',
  legalBasis: 'barnevernsloven § 13-1',
  requestId: 'req-1',
  payload: '{"fields": ["title"], "resourceType": "Document"}',
};
const SALT = Buffer.alloc(32, 7);

describe('audit / canonical event', () => {
  it('is exactly this string, and hashes to this leaf (the example in docs/AUDIT-LOG.md)', () => {
    expect(canonicalEvent(FIELDS, SALT)).toBe(
      '{"v":1,"id":"e0000000-0000-4000-8000-0000000000b1","occurredAt":"2026-03-10T09:14:03.250113Z",' +
        '"actorType":"PERSON","orgnr":"910000004","service":"documents","action":"PERSONAL_DATA_READ",' +
        '"legalBasis":"barnevernsloven § 13-1","requestId":"req-1","sealed":{' +
        '"actorId":"fc33ee0835d166444fdcf03f4bdd86c11a7cb17eabd6258d781db77e0f724683",' +
        '"onBehalfOf":"8e0b58d225bc18208281860420dd42069b8dbd112d34fb62eada3000b179079f",' +
        '"dataSubject":"2320ad1cefe8c3b4e3a5ade251a88582eb696992cb3010e16875c2602257d567",' +
        '"payload":"8c586c19aa65505f4fce63299357792772761815d4a8e3716a217fcaed16f9c6"}}',
    );
    const leaf = createHash('sha256')
      .update(Buffer.from([0]))
      .update(canonicalEvent(FIELDS, SALT), 'utf8')
      .digest('hex');
    expect(eventLeafHash(FIELDS, SALT).toString('hex')).toBe(leaf);
    expect(leaf).toBe('c10a9ec6a0f437f91cb6dd1abf0c06f9dd62d9312f1bc4203d37bc5c516782dc');
  });

  it('opens each sealed field with its own salt, and no salt opens another field', () => {
    const sealed = (JSON.parse(canonicalEvent(FIELDS, SALT)) as { sealed: Record<string, string> }).sealed;
    const salts = new Set<string>();
    for (const field of SEALED_FIELDS) {
      const { salt, value } = disclose(FIELDS, SALT, field);
      expect(commitment(Buffer.from(salt, 'hex'), value)).toBe(sealed[field]);
      salts.add(salt);
    }
    expect(salts.size).toBe(SEALED_FIELDS.length);
    expect(disclose(FIELDS, SALT, 'dataSubject').value).toBe('"01919045600"');
    expect(disclose(FIELDS, SALT, 'payload').value).toBe('{"fields":["title"],"resourceType":"Document"}');
    // Another event's salt seals the same value differently: a commitment cannot be looked up by its value.
    expect(canonicalEvent(FIELDS, Buffer.alloc(32, 8))).not.toBe(canonicalEvent(FIELDS, SALT));
  });

  it('spells a payload one way, whatever its key order and spacing, and keeps every digit', () => {
    expect(canonicalJson('{"b": {"d": [1, {"z": null, "a": true}], "c": "x"}, "a": -0.50}')).toBe(
      '{"a":-0.50,"b":{"c":"x","d":[1,{"a":true,"z":null}]}}',
    );
    expect(canonicalJson('{"n": 12345678901234567890}')).not.toBe(
      canonicalJson('{"n": 12345678901234567891}'),
    );
    expect(canonicalJson('{"s": "tab\\there \\"quoted\\" \\u00e6\\u00f8\\u00e5 \\ud83d\\ude00"}')).toBe(
      '{"s":"tab\\there \\"quoted\\" æøå 😀"}',
    );
    expect(canonicalJson('{"é": 1, "e": 2, "E": 3}')).toBe('{"E":3,"e":2,"é":1}');
    expect(() => canonicalJson('{"a": 1} x')).toThrow(SyntaxError);
  });

  it('changes when any field changes', () => {
    const base = canonicalEvent(FIELDS, SALT);
    for (const [key, value] of Object.entries(FIELDS)) {
      const changed = { ...FIELDS, [key]: key === 'payload' ? '{"fields": ["name"]}' : `${value}x` };
      expect(canonicalEvent(changed, SALT), key).not.toBe(base);
    }
  });
});
