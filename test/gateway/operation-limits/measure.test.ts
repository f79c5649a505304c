// The measurement behind the operation limits, with tables: each limit just met and just exceeded, and each way of
// hiding what an operation asks for (fragments of every kind, introspection, aliases of __typename, duplicated
// fields, repeated directives, fragment fan-out and cycles, several operations in one document).
import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEMO_ORGS } from '../../../common/demo-identities.ts';
import {
  DEFAULT_OPERATION_LIMITS,
  resolveOperationLimits,
  type OperationLimits,
} from '../../../gateway/plugins/operation-limits/limits.ts';
import { measureDocument } from '../../../gateway/plugins/operation-limits/measure.ts';
import { SUPERGRAPH_FILE } from '../../../schema/supergraph-file.ts';
import { cycle, fanOut, shownOperations, typenameAliases, type Nesting } from './operations.ts';

const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
const FJ = DEMO_ORGS.fjordvik.orgnr;

/** The code of the first limit the document exceeds, or null. */
function refused(document: string, limits: OperationLimits = {}): string | null {
  return measureDocument(parse(document), schema, resolveOperationLimits(limits))?.code ?? null;
}

const NESTINGS: Nesting[] = ['fields', 'named fragments', 'inline fragments', 'nested fragments'];

describe('operation limits / depth', () => {
  it.each(NESTINGS)('counts the depth of %s, allowing 6 and refusing 7', (nesting) => {
    expect(refused(cycle(6, nesting))).toBeNull();
    expect(refused(cycle(7, nesting))).toBe('MAX_DEPTH_EXCEEDED');
    expect(refused(cycle(40, nesting))).toBe('MAX_DEPTH_EXCEEDED');
  });

  it.each(NESTINGS)('follows a configured depth through %s', (nesting) => {
    expect(refused(cycle(3, nesting), { maxDepth: 3 })).toBeNull();
    expect(refused(cycle(4, nesting), { maxDepth: 3 })).toBe('MAX_DEPTH_EXCEEDED');
  });

  it.each([
    ['__schema', '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }'],
    [
      '__type',
      '{ __type(name: "Organization") { fields { type { ofType { ofType { ofType { name } } } } } } }',
    ],
    [
      'introspection in a fragment',
      '{ __schema { ...T } } fragment T on __Schema { types { fields { type { ofType { ofType { name } } } } } }',
    ],
  ])('counts introspection fields like any other (%s)', (_, query) => {
    expect(refused(query)).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('counts __typename as a level', () => {
    expect(refused(`{ organization(orgnr: "${FJ}") { resources { __typename } } }`, { maxDepth: 2 })).toBe(
      'MAX_DEPTH_EXCEEDED',
    );
  });

  it.each([
    ['a fragment that spreads itself', '{ me { ...A } } fragment A on Caller { kind ...A }'],
    [
      'two fragments spreading each other',
      '{ me { ...A } } fragment A on Caller { ...B } fragment B on Caller { ...A }',
    ],
  ])('refuses %s as endlessly deep (and stops)', (_, query) => {
    expect(refused(query)).toBe('MAX_DEPTH_EXCEEDED');
  });
});

describe('operation limits / aliases', () => {
  it.each([
    ['aliases of __typename', (n: number) => typenameAliases(n)],
    [
      'aliases of a list field',
      (n: number) =>
        `{ organization(orgnr: "${FJ}") { ${Array.from({ length: n }, (_, i) => `r${i}: rootResource { name }`).join(' ')} } }`,
    ],
    [
      'aliases in a fragment spread on several fields',
      (n: number) =>
        `{ ${Array.from({ length: n }, (_, i) => `o${i}: organization(orgnr: "${FJ}") { ...N }`).join(' ')} } fragment N on Organization { name }`,
    ],
  ])('allows 15 and refuses 16 %s', (_, build) => {
    expect(refused(build(15), { maxRootFields: 100 })).toBeNull();
    expect(refused(build(16), { maxRootFields: 100 })).toBe('MAX_ALIASES_EXCEEDED');
  });

  it('counts an aliased fragment each time it is spread', () => {
    const twice = `{ a: me { ...K } b: me { ...K } } fragment K on Caller { ${Array.from({ length: 7 }, (_, i) => `k${i}: kind`).join(' ')} }`;
    // 2 root aliases + 2 × 7 in the fragment = 16.
    expect(refused(twice, { maxAliases: 16 })).toBeNull();
    expect(refused(twice, { maxAliases: 15 })).toBe('MAX_ALIASES_EXCEEDED');
  });
});

describe('operation limits / root fields', () => {
  const rootFields = (n: number, through: 'fields' | 'fragment' | 'inline fragment') => {
    const fields = Array.from({ length: n }, () => 'me { kind }').join(' ');
    if (through === 'fields') return `{ ${fields} }`;
    if (through === 'inline fragment') return `{ ... on Query { ${fields} } }`;
    return `{ ...R } fragment R on Query { ${fields} }`;
  };
  it.each(['fields', 'fragment', 'inline fragment'] as const)(
    'counts duplicated root fields through a %s, allowing 10 and refusing 11',
    (through) => {
      expect(refused(rootFields(10, through))).toBeNull();
      expect(refused(rootFields(11, through))).toBe('MAX_ROOT_FIELDS_EXCEEDED');
    },
  );
});

describe('operation limits / directives', () => {
  const included = (n: number) =>
    `{ me { ${Array.from({ length: n }, () => 'kind @include(if: true)').join(' ')} } }`;
  it('allows 50 directives and refuses 51', () => {
    expect(refused(included(50))).toBeNull();
    expect(refused(included(51))).toBe('MAX_DIRECTIVES_EXCEEDED');
  });

  it('counts directives on fragments, spreads and inline fragments, each time a fragment is spread', () => {
    const query = `{ me { ...D @include(if: true) ... @skip(if: false) { kind } } me2: me { ...D } }
      fragment D on Caller { kind @include(if: true) kind @skip(if: false) }`;
    // Spread once with a directive (1 + 2), once without (2), plus the inline fragment's: 6.
    expect(refused(query, { maxDirectives: 6 })).toBeNull();
    expect(refused(query, { maxDirectives: 5 })).toBe('MAX_DIRECTIVES_EXCEEDED');
  });
});

describe('operation limits / cost', () => {
  it('multiplies through nested lists', () => {
    // organizations × 10 × (1 + name) = 20.
    expect(refused('{ organizations { name } }', { maxCost: 20 })).toBeNull();
    expect(refused('{ organizations { name } }', { maxCost: 19 })).toBe('MAX_COST_EXCEEDED');
    // 10 × (1 + 10 × (1 + 10 × (1 + 10 × 2))) = 21110: four lists deep, only five fields.
    expect(refused('{ organizations { resources { children { descendants { name } } } } }')).toBe(
      'MAX_COST_EXCEEDED',
    );
  });

  it('takes a configured estimate for one field', () => {
    const query = `{ organization(orgnr: "${FJ}") { resources { name } } }`;
    // 1 × (1 + 50 × 2) = 101 with Organization.resources=50.
    const limits = { listSizes: { 'Organization.resources': 50 }, maxCost: 101 };
    expect(refused(query, limits)).toBeNull();
    expect(refused(query, { ...limits, maxCost: 100 })).toBe('MAX_COST_EXCEEDED');
    expect(refused(query, { listSizeEstimate: 2500 })).toBe('MAX_COST_EXCEEDED');
  });

  it('counts duplicated fields each time', () => {
    const duplicated = (n: number) =>
      `{ organizations { ${Array.from({ length: n }, () => 'resources { name }').join(' ')} } }`;
    // 10 × (1 + n × 20): 4810 for 24, 5010 for 25.
    expect(refused(duplicated(24))).toBeNull();
    expect(refused(duplicated(25))).toBe('MAX_COST_EXCEEDED');
  });

  it('refuses the cycle through lists long before the depth limit would', () => {
    // organization → resources ×10 → organization → resources ×10 → … : within the default depth of 6 the cost is
    // small, so configure a depth that lets it through and see the cost refuse it.
    expect(refused(cycle(6), { maxDepth: 100 })).toBeNull();
    expect(refused(cycle(12), { maxDepth: 100 })).toBe('MAX_COST_EXCEEDED');
  });
});

describe('operation limits / fragment fan-out', () => {
  it('counts every spread exactly', () => {
    // 2^4 = 16 spreads of one alias.
    expect(refused(fanOut(4), { maxAliases: 16 })).toBeNull();
    expect(refused(fanOut(4), { maxAliases: 15 })).toBe('MAX_ALIASES_EXCEEDED');
  });

  it('measures an exponential fan-out without expanding it (2^200 spreads)', () => {
    expect(refused(fanOut(200))).toBe('MAX_ALIASES_EXCEEDED');
    // With limits this high, expanding each spread would visit a billion fields before stopping; measuring each
    // fragment once answers at once (this test would time out otherwise).
    const high = { maxAliases: 1e9, maxCost: 1e9, maxRootFields: 1e9, maxDirectives: 1e9 };
    expect(refused(fanOut(200), high)).toBe('MAX_ALIASES_EXCEEDED');
    expect(refused(fanOut(200).replace('k: kind', 'kind'), high)).toBe('MAX_COST_EXCEEDED');
  });
});

describe('operation limits / documents', () => {
  it('measures every operation in the document, not only the first or the one named', () => {
    const document = `query Small { me { kind } } query Deep ${cycle(7)}`;
    expect(refused(document)).toBe('MAX_DEPTH_EXCEEDED');
    expect(refused(`query Deep ${cycle(7)} query Small { me { kind } }`)).toBe('MAX_DEPTH_EXCEEDED');
  });

  it('lets every operation the README, the explorer and the bench show through the defaults', () => {
    for (const [name, query] of Object.entries(shownOperations())) expect(refused(query), name).toBeNull();
  });
});

describe('operation limits / options', () => {
  it('fills in the documented defaults', () => {
    expect(resolveOperationLimits({})).toEqual(DEFAULT_OPERATION_LIMITS);
    expect(DEFAULT_OPERATION_LIMITS).toMatchObject({
      maxDepth: 6,
      maxAliases: 15,
      maxCost: 5000,
      maxTokens: 1000,
    });
  });

  it.each([
    { maxDepth: 0 },
    { maxCost: 1.5 },
    { maxTokens: -1 },
    { listSizes: { resources: 5 } },
    { listSizes: { 'A.b': 0 } },
  ] as OperationLimits[])('refuses %o', (options) => {
    expect(() => resolveOperationLimits(options)).toThrow(TypeError);
  });
});
