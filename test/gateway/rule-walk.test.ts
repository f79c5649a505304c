// The gateway's rule walk (gateway/plugins/authorization.ts, findRefusal) on a small schema with real policies: every
// way an operation can name a field — aliases, fragments, inline and nested fragments, directives, variables,
// abstract types, introspection, mutations — reaches that field's policy, and the first refusal's path is reported.
import { buildSchema, getOperationAST, getVariableValues, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PermissionMap } from '../../access/permission-map.ts';
import { allow, check, deny, type PolicyInput } from '../../access/policy.ts';
import { fromArgs, fromParent, hasPrivilegeIn, isAuthenticated, isMemberOf } from '../../access/rules.ts';
import { DEMO_ORGS } from '../../common/demo-identities.ts';
import { findRefusal } from '../../gateway/plugins/authorization.ts';
import { fixedAccess, kari } from '../support/access.ts';

const schema = buildSchema(`
  type Query {
    organizations: [Organization!]!
    organization(orgnr: String!): Organization
    secret: String
    search(term: String!, limit: Int = 10): [Organization!]!
    node(id: ID!): Node
    thing(id: ID!): Thing
    "In the schema, but no rule: refused."
    unguarded: String
    "Named like Object.prototype members, with no rule: refused like any other."
    constructor: String
    toString: String
  }
  type Mutation {
    rename(orgnr: String!, name: String!): Organization
    deleteEverything: Boolean
  }
  interface Node {
    id: ID!
  }
  type Organization implements Node {
    id: ID!
    orgnr: String!
    name: String!
    internalNote: String
    resources: [Resource!]!
    hasOwnProperty: String
  }
  type Resource implements Node {
    id: ID!
    name: String!
    secretNote: String
  }
  union Thing = Organization | Resource
`);

const permissions: PermissionMap = {
  Query: {
    organizations: isAuthenticated,
    organization: isAuthenticated,
    secret: deny,
    search: check('smallSearch', ({ args }) => typeof args.limit === 'number' && args.limit <= 10, {
      needsParent: false,
    }),
    node: allow,
    thing: allow,
  },
  Mutation: {
    rename: hasPrivilegeIn('ADMIN', fromArgs('orgnr')),
    deleteEverything: deny,
  },
  Organization: {
    id: allow,
    orgnr: allow,
    name: allow,
    internalNote: deny,
    // Reads the parent: decided at the gateway only when a root query's key argument names the orgnr.
    resources: isMemberOf(fromParent('orgnr')),
  },
  Resource: { id: allow, name: allow, secretNote: deny },
};

const mine = DEMO_ORGS.fjordvik.orgnr;
const theirs = DEMO_ORGS.heiberg.orgnr;
/** Administers the vendor without being a member of it: only a check that reads the parent tells the two apart. */
const administered = DEMO_ORGS.vendor.orgnr;
const input: Omit<PolicyInput, 'args'> = {
  principal: kari,
  access: fixedAccess({ memberOf: [mine], inOrganization: [`ADMIN ${mine}`, `ADMIN ${administered}`] }),
};

interface Row {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
  /** The path refused, or null when the gateway lets the operation on to the subgraphs. */
  refused: string[] | null;
  /** Not a valid operation: Apollo's validation would stop it first; the walk must still refuse it. */
  invalid?: true;
}

/** The walk as the plugin runs it: on a validated document with coerced variables (defaults applied). */
async function walk(row: Row): Promise<string[] | null> {
  const document = parse(row.query);
  if (!row.invalid) expect(validate(schema, document)).toEqual([]);
  const operation = getOperationAST(document, row.operationName);
  const coercion = operation
    ? getVariableValues(schema, operation.variableDefinitions ?? [], row.variables ?? {})
    : { coerced: {} };
  if (coercion.errors || !coercion.coerced) throw new Error(`bad test variables: ${String(coercion.errors)}`);
  return findRefusal(schema, permissions, document, row.operationName, coercion.coerced, input, KEYS);
}

/** The entity keys the gateway would read from the supergraph's @key directives (gateway/plugins/entity-keys.ts). */
const KEYS = new Map([
  ['Organization', [['orgnr']]],
  ['Resource', [['id']]],
  ['Node', [['id']]],
]);

const table: Record<string, [string, Row][]> = {
  'plain fields': [
    ['allows allowed fields', { query: '{ organizations { id name } }', refused: null }],
    ['refuses a denied root field', { query: '{ secret }', refused: ['secret'] }],
    [
      'refuses a denied field after allowed ones',
      { query: '{ organizations { name } secret }', refused: ['secret'] },
    ],
    [
      'refuses a denied nested field',
      { query: '{ organizations { internalNote } }', refused: ['organizations', 'internalNote'] },
    ],
    [
      'refuses a denied field deep down',
      {
        query: '{ organizations { resources { secretNote } } }',
        refused: ['organizations', 'resources', 'secretNote'],
      },
    ],
    [
      'leaves a check on the parent to the subgraph',
      { query: '{ organizations { resources { name } } }', refused: null },
    ],
  ],
  'root key arguments': [
    [
      'decides a parent check from the key argument: member',
      { query: `{ organization(orgnr: "${mine}") { resources { name } } }`, refused: null },
    ],
    [
      'decides a parent check from the key argument: not a member',
      {
        query: `{ organization(orgnr: "${theirs}") { resources { name } } }`,
        refused: ['organization', 'resources'],
      },
    ],
    [
      'keeps the key through a fragment',
      {
        query: `{ organization(orgnr: "${theirs}") { ...R } } fragment R on Organization { resources { name } }`,
        refused: ['organization', 'resources'],
      },
    ],
    [
      'keeps the key through an inline fragment',
      {
        query: `{ organization(orgnr: "${theirs}") { ... on Organization { resources { name } } } }`,
        refused: ['organization', 'resources'],
      },
    ],
    [
      'takes the key from a root field inside a fragment',
      {
        query: `{ ...Q } fragment Q on Query { organization(orgnr: "${theirs}") { resources { name } } }`,
        refused: ['organization', 'resources'],
      },
    ],
    [
      'does not trust a mutation argument to name what it returns',
      {
        query: `mutation { rename(orgnr: "${administered}", name: "N") { resources { name } } }`,
        refused: null,
      },
    ],
  ],
  aliases: [
    ['reports the alias of a refused field', { query: '{ s: secret }', refused: ['s'] }],
    [
      'looks up the field, not an alias borrowing an allowed name',
      { query: '{ organizations: secret }', refused: ['organizations'] },
    ],
    [
      'allows an allowed field under a denied name',
      { query: '{ secret: organizations { name } }', refused: null },
    ],
    [
      'refuses one alias of two for the same field',
      {
        query: `{ a: organization(orgnr: "${mine}") { resources { name } } b: organization(orgnr: "${theirs}") { resources { name } } }`,
        refused: ['b', 'resources'],
      },
    ],
    [
      'refuses under an aliased parent',
      { query: '{ o: organizations { n: internalNote } }', refused: ['o', 'n'] },
    ],
  ],
  fragments: [
    [
      'allows an allowed fragment',
      { query: '{ ...F } fragment F on Query { organizations { name } }', refused: null },
    ],
    [
      'refuses a denied field in a root fragment',
      { query: '{ ...F } fragment F on Query { secret }', refused: ['secret'] },
    ],
    [
      'refuses a denied field in a nested fragment',
      {
        query: '{ organizations { ...O } } fragment O on Organization { internalNote }',
        refused: ['organizations', 'internalNote'],
      },
    ],
    [
      'follows fragments within fragments',
      {
        query:
          '{ ...A } fragment A on Query { organizations { ...B } } fragment B on Organization { ...C } fragment C on Organization { internalNote }',
        refused: ['organizations', 'internalNote'],
      },
    ],
    [
      'refuses in an inline fragment with a type',
      {
        query: '{ organizations { ... on Organization { internalNote } } }',
        refused: ['organizations', 'internalNote'],
      },
    ],
    [
      'refuses in an inline fragment without a type',
      { query: '{ organizations { ... { internalNote } } }', refused: ['organizations', 'internalNote'] },
    ],
    [
      'refuses in an inline fragment at the root',
      { query: '{ ... on Query { secret } }', refused: ['secret'] },
    ],
    [
      'refuses in a fragment inside an inline fragment',
      { query: '{ ... { ...F } } fragment F on Query { secret }', refused: ['secret'] },
    ],
    [
      'refuses a spread of a fragment that does not exist',
      { query: '{ organizations { ...Missing } }', refused: ['organizations'], invalid: true },
    ],
    [
      'refuses a fragment on a type that does not exist',
      { query: '{ organizations { ... on Nope { name } } }', refused: ['organizations'], invalid: true },
    ],
  ],
  // Today's behaviour, and the safe one: the walk ignores @skip/@include, so a skipped field still counts as asked.
  // A caller may be refused a field the execution would have skipped; never let through one it would have run.
  directives: [
    [
      'refuses a denied field under @skip(if: true)',
      { query: '{ organizations { name } secret @skip(if: true) }', refused: ['secret'] },
    ],
    [
      'refuses a denied field under @include(if: false)',
      { query: '{ secret @include(if: false) }', refused: ['secret'] },
    ],
    [
      'refuses a denied field skipped by a variable',
      { query: 'query($s: Boolean!) { secret @skip(if: $s) }', variables: { s: true }, refused: ['secret'] },
    ],
    [
      'refuses a denied field in a skipped inline fragment',
      { query: '{ ... @skip(if: true) { secret } }', refused: ['secret'] },
    ],
    [
      'refuses a denied field in an excluded fragment spread',
      { query: '{ ...F @include(if: false) } fragment F on Query { secret }', refused: ['secret'] },
    ],
    [
      'allows an allowed field under @skip',
      { query: '{ organizations @skip(if: true) { name } }', refused: null },
    ],
  ],
  variables: [
    [
      'reads a key argument from a variable: member',
      {
        query: 'query($o: String!) { organization(orgnr: $o) { resources { name } } }',
        variables: { o: mine },
        refused: null,
      },
    ],
    [
      'reads a key argument from a variable: not a member',
      {
        query: 'query($o: String!) { organization(orgnr: $o) { resources { name } } }',
        variables: { o: theirs },
        refused: ['organization', 'resources'],
      },
    ],
    [
      'reads a mutation argument from a variable: allowed',
      {
        query: 'mutation($o: String!) { rename(orgnr: $o, name: "N") { name } }',
        variables: { o: mine },
        refused: null,
      },
    ],
    [
      'reads a mutation argument from a variable: refused',
      {
        query: 'mutation($o: String!) { rename(orgnr: $o, name: "N") { name } }',
        variables: { o: theirs },
        refused: ['rename'],
      },
    ],
    [
      'uses a variable default for a required argument',
      {
        query: `query($o: String = "${theirs}") { organization(orgnr: $o) { resources { name } } }`,
        refused: ['organization', 'resources'],
      },
    ],
    [
      'uses a required variable default for a required argument',
      {
        query: `query($o: String! = "${mine}") { organization(orgnr: $o) { resources { name } } }`,
        refused: null,
      },
    ],
    [
      'prefers the given value to the variable default',
      {
        query: `query($o: String = "${mine}") { organization(orgnr: $o) { resources { name } } }`,
        variables: { o: theirs },
        refused: ['organization', 'resources'],
      },
    ],
    [
      'uses the argument default when the argument is left out',
      { query: '{ search(term: "x") { name } }', refused: null },
    ],
    [
      'checks an argument given inline',
      { query: '{ search(term: "x", limit: 50) { name } }', refused: ['search'] },
    ],
    [
      'checks an argument given by a variable default',
      { query: 'query($l: Int = 50) { search(term: "x", limit: $l) { name } }', refused: ['search'] },
    ],
    [
      'uses the argument default for a variable left out',
      { query: 'query($l: Int) { search(term: "x", limit: $l) { name } }', refused: null },
    ],
    [
      'checks an argument given as null',
      {
        query: 'query($l: Int) { search(term: "x", limit: $l) { name } }',
        variables: { l: null },
        refused: ['search'],
      },
    ],
  ],
  'interfaces and unions': [
    [
      'refuses an interface field that no rule covers',
      { query: '{ node(id: "1") { id } }', refused: ['node', 'id'] },
    ],
    [
      'allows an allowed field through a type condition',
      { query: '{ node(id: "1") { ... on Organization { name } } }', refused: null },
    ],
    [
      'refuses a denied field through a type condition',
      { query: '{ node(id: "1") { ... on Resource { secretNote } } }', refused: ['node', 'secretNote'] },
    ],
    ['allows __typename on an interface', { query: '{ node(id: "1") { __typename } }', refused: null }],
    [
      'refuses a denied member of a union',
      {
        query: '{ thing(id: "1") { ... on Resource { name } ... on Organization { internalNote } } }',
        refused: ['thing', 'internalNote'],
      },
    ],
    [
      'refuses a denied member of a union through a fragment',
      {
        query: '{ thing(id: "1") { ...R } } fragment R on Resource { secretNote }',
        refused: ['thing', 'secretNote'],
      },
    ],
    [
      'allows allowed members of a union',
      {
        query: '{ thing(id: "1") { __typename ... on Resource { name } ... on Organization { name } } }',
        refused: null,
      },
    ],
  ],
  introspection: [
    [
      'allows __schema at the root',
      { query: '{ __schema { types { name fields { name } } } }', refused: null },
    ],
    [
      'allows __type at the root',
      { query: '{ __type(name: "Organization") { fields { name } } }', refused: null },
    ],
    [
      'allows __schema in a root fragment',
      { query: '{ ...I } fragment I on Query { __schema { queryType { name } } }', refused: null },
    ],
    [
      'goes on after introspection',
      { query: '{ __schema { queryType { name } } secret }', refused: ['secret'] },
    ],
    ['allows __typename at the root', { query: '{ __typename }', refused: null }],
    ['allows __typename nested', { query: '{ organizations { __typename name } }', refused: null }],
    ['allows __typename on a mutation', { query: 'mutation { __typename }', refused: null }],
    [
      'refuses __schema below the root',
      {
        query: '{ organizations { __schema { types { name } } } }',
        refused: ['organizations', '__schema'],
        invalid: true,
      },
    ],
    [
      'refuses __type below the root',
      {
        query: '{ organizations { __type(name: "Query") { name } } }',
        refused: ['organizations', '__type'],
        invalid: true,
      },
    ],
  ],
  'unknown and unguarded fields': [
    ['refuses a field without a rule', { query: '{ unguarded }', refused: ['unguarded'] }],
    ['refuses a root field named constructor', { query: '{ constructor }', refused: ['constructor'] }],
    ['refuses a root field named toString', { query: '{ toString }', refused: ['toString'] }],
    [
      'refuses a nested field named hasOwnProperty',
      { query: '{ organizations { hasOwnProperty } }', refused: ['organizations', 'hasOwnProperty'] },
    ],
    ['refuses a field the schema does not have', { query: '{ nosuch }', refused: ['nosuch'], invalid: true }],
    [
      'refuses a nested field the schema does not have',
      { query: '{ organizations { nosuch } }', refused: ['organizations', 'nosuch'], invalid: true },
    ],
    [
      'refuses an unknown field named like an Object member',
      { query: '{ organizations { valueOf } }', refused: ['organizations', 'valueOf'], invalid: true },
    ],
  ],
  operations: [
    [
      'allows an allowed mutation',
      { query: `mutation { rename(orgnr: "${mine}", name: "N") { name } }`, refused: null },
    ],
    [
      'refuses a mutation on a check',
      { query: `mutation { rename(orgnr: "${theirs}", name: "N") { name } }`, refused: ['rename'] },
    ],
    ['refuses a denied mutation', { query: 'mutation { deleteEverything }', refused: ['deleteEverything'] }],
    [
      'refuses a denied field of a mutation result',
      {
        query: `mutation { rename(orgnr: "${mine}", name: "N") { internalNote } }`,
        refused: ['rename', 'internalNote'],
      },
    ],
    [
      'refuses a subscription on a schema without one',
      { query: 'subscription { secret }', refused: [], invalid: true },
    ],
    [
      'walks the named operation: allowed',
      { query: 'query A { organizations { name } } query B { secret }', operationName: 'A', refused: null },
    ],
    [
      'walks the named operation: refused',
      {
        query: 'query A { organizations { name } } query B { secret }',
        operationName: 'B',
        refused: ['secret'],
      },
    ],
    [
      'refuses when the named operation does not exist',
      { query: 'query A { organizations { name } }', operationName: 'C', refused: [] },
    ],
    [
      'refuses when no operation is named among several',
      { query: 'query A { organizations { name } } query B { organizations { name } }', refused: [] },
    ],
  ],
};

describe('gateway / rule walk', () => {
  describe.each(Object.entries(table))('%s', (_group, rows) => {
    it.each(rows)('%s', async (_name, row) => {
      expect(await walk(row)).toEqual(row.refused);
    });
  });
});
