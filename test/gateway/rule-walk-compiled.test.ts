// The compiled rule walk (gateway/plugins/rule-walk.ts): compiled once per document and reused for every request,
// it must decide each request by that request's caller and variables — never by the request it was compiled for —
// and it asks each distinct check once, not once per place the operation names it.
import { buildSchema, getOperationAST, getVariableValues, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { PermissionMap } from '../../access/permission-map.ts';
import { allow, check, type PolicyInput } from '../../access/policy.ts';
import { fromParent, isAuthenticated, isMemberOf } from '../../access/rules.ts';
import { DEMO_ORGS } from '../../common/demo-identities.ts';
import { createRuleWalk } from '../../gateway/plugins/rule-walk.ts';
import { fixedAccess, kari, per } from '../support/access.ts';

/** The schema, with `limited`'s default limit as given. */
function sdl(defaultLimit: number): string {
  return `
    type Query {
      organization(orgnr: String!): Organization
      limited(limit: Int = ${defaultLimit}): [Organization!]!
      counted(tag: String): String
    }
    type Organization {
      orgnr: String!
      name: String!
      resources: [String!]!
    }
  `;
}
const schema = buildSchema(sdl(5));

const mine = DEMO_ORGS.fjordvik.orgnr;
const theirs = DEMO_ORGS.heiberg.orgnr;
const asked: string[] = [];

const permissions: PermissionMap = {
  Query: {
    organization: isAuthenticated,
    limited: check('smallLimit', ({ args }) => typeof args.limit === 'number' && args.limit <= 10, {
      needsParent: false,
    }),
    counted: check(
      'counted',
      ({ args }) => {
        asked.push(String(args.tag));
        return true;
      },
      { needsParent: false },
    ),
  },
  Organization: { orgnr: allow, name: allow, resources: isMemberOf(fromParent('orgnr')) },
};
const KEYS = new Map([['Organization', [['orgnr']]]]);

function inputFor(memberOf: string[], principal = kari): Omit<PolicyInput, 'args'> {
  return { principal, access: fixedAccess({ memberOf }) };
}

function variablesOf(query: ReturnType<typeof parse>, raw: Record<string, unknown>) {
  const operation = getOperationAST(query)!;
  return getVariableValues(schema, operation.variableDefinitions ?? [], raw).coerced!;
}

describe('the compiled rule walk', () => {
  it('decides a reused walk by each request’s variables', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse('query Q($n: Int) { limited(limit: $n) { name } }');
    const run = (n: number) =>
      walk.findRefusal(schema, document, 'Q', variablesOf(document, { n }), inputFor([mine]));
    expect(await run(3)).toBeNull();
    expect(await run(50)).toEqual(['limited']);
    expect(await run(10)).toBeNull();
  });

  it('decides a reused walk by each request’s caller and key arguments', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse('query Q($o: String!) { organization(orgnr: $o) { resources } }');
    const run = (orgnr: string, memberOf: string[]) =>
      walk.findRefusal(schema, document, 'Q', variablesOf(document, { o: orgnr }), inputFor(memberOf, per));
    expect(await run(mine, [mine])).toBeNull();
    expect(await run(theirs, [mine])).toEqual(['organization', 'resources']);
    expect(await run(theirs, [theirs])).toBeNull();
    expect(await run(mine, [])).toEqual(['organization', 'resources']);
  });

  it('reads literal key arguments once, and still decides each caller apart', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse(`{ organization(orgnr: "${mine}") { resources } }`);
    expect(await walk.findRefusal(schema, document, undefined, {}, inputFor([mine]))).toBeNull();
    expect(await walk.findRefusal(schema, document, undefined, {}, inputFor([theirs]))).toEqual([
      'organization',
      'resources',
    ]);
  });

  it('asks a repeated check once, and checks that differ each', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse(
      '{ a: counted(tag: "x") b: counted(tag: "x") c: counted(tag: "y") ... on Query { d: counted(tag: "x") } }',
    );
    asked.length = 0;
    expect(await walk.findRefusal(schema, document, undefined, {}, inputFor([]))).toBeNull();
    expect(asked).toEqual(['x', 'y']);
    asked.length = 0;
    expect(await walk.findRefusal(schema, document, undefined, {}, inputFor([]))).toBeNull();
    expect(asked).toEqual(['x', 'y']);
  });

  it('asks a check on a variable once per request, with that request’s value', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse('query Q($t: String) { a: counted(tag: $t) b: counted(tag: $t) }');
    asked.length = 0;
    await walk.findRefusal(schema, document, 'Q', variablesOf(document, { t: 'one' }), inputFor([]));
    await walk.findRefusal(schema, document, 'Q', variablesOf(document, { t: 'two' }), inputFor([]));
    expect(asked).toEqual(['one', 'two']);
  });

  it('keeps the walk of one schema apart from another’s', async () => {
    const walk = createRuleWalk({ permissions, keys: KEYS, introspection: isAuthenticated });
    const document = parse('{ limited { name } }');
    expect(await walk.findRefusal(schema, document, undefined, {}, inputFor([]))).toBeNull();
    // The same text against a schema whose default limit is above the rule's: decided on that schema's default.
    const other = buildSchema(sdl(50));
    expect(await walk.findRefusal(other, document, undefined, {}, inputFor([]))).toEqual(['limited']);
  });
});
