// Bad input stops at the door (issue #9 item 5): for every argument of every root field in the supergraph, each bad
// value of the argument's kind — ids that only look like UUIDs, NUL and other control characters, lone surrogates,
// over-long text, numbers outside PostgreSQL's int4, malformed organisation and personal numbers — answers 400
// BAD_USER_INPUT with the request id, before any subgraph is called and without an error-level log line. The other
// arguments hold good values, so the bad one is what is refused.
import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  getNamedType,
  getNullableType,
  isInputObjectType,
  parse,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { argumentKind, BAD, GOOD } from '../support/argument-values.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
const ROOTS = [
  ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({ kind: 'query', field })),
  ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({ kind: 'mutation', field })),
];

/** A good value for an input type: every field of an input object filled, enums their first value. */
function good(name: string, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    return Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, good(f.name, f.type)]));
  }
  if ('getValues' in named) return named.getValues()[0]!.value;
  const kind = argumentKind(name, type);
  return GOOD[kind as keyof typeof GOOD];
}

interface Case {
  title: string;
  kind: string;
  field: GraphQLField<unknown, unknown>;
  /** The arguments' values, one of them (or one field of an input object) bad. */
  args: Record<string, unknown>;
}

/** Every bad value of every argument's kind, reaching into input objects. */
function cases(): Case[] {
  const all: Case[] = [];
  for (const { kind, field } of ROOTS) {
    const goodArgs = Object.fromEntries(field.args.map((a) => [a.name, good(a.name, a.type)]));
    const vary = (
      arg: GraphQLArgument,
      path: string,
      leaf: string,
      type: GraphQLInputType,
      set: (v: unknown) => unknown,
    ) => {
      const bad = BAD[argumentKind(leaf, type) as keyof typeof BAD] ?? {};
      for (const [what, value] of Object.entries(bad)) {
        all.push({
          title: `${field.name}(${path}): ${what}`,
          kind,
          field,
          args: { ...goodArgs, [arg.name]: set(value) },
        });
      }
    };
    for (const arg of field.args) {
      const inner = getNullableType(arg.type);
      if (isInputObjectType(inner)) {
        for (const f of Object.values(inner.getFields())) {
          const base = goodArgs[arg.name] as Record<string, unknown>;
          vary(arg, `${arg.name}.${f.name}`, f.name, f.type, (v) => ({ ...base, [f.name]: v }));
        }
      } else {
        vary(arg, arg.name, arg.name, arg.type, (v) => v);
      }
    }
  }
  return all;
}

/** The smallest selection a field's type allows: __typename, or nothing for a leaf. */
function selection(field: GraphQLField<unknown, unknown>): string {
  return 'getFields' in getNamedType(field.type) ? ' { __typename }' : '';
}

describe('gateway / bad arguments stop at the door', () => {
  let platform: TestPlatform;
  let headers: Record<string, string>;
  beforeAll(async () => {
    platform = await startTestPlatform();
    headers = await platform.asIntegration();
  });
  afterAll(() => platform.stop());

  const CASES = cases();
  it('has a case for every root field that takes arguments', () => {
    const withArgs = ROOTS.filter(({ field }) => field.args.length > 0).map(({ field }) => field.name);
    expect(new Set(CASES.map((c) => c.field.name))).toEqual(new Set(withArgs));
  });

  it.each(CASES.map((c) => [c.title, c] as const))('refuses %s', async (_, c) => {
    const definitions = c.field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
    const uses = c.field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
    const query = `${c.kind} Bad(${definitions}) { ${c.field.name}(${uses})${selection(c.field)} }`;
    const logged = platform.logs.length;
    const response = await platform.graphql(query, c.args, headers);

    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    const error = response.body.errors![0]!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.requestId).toBe(response.headers.get('x-request-id'));
    const lines = platform.logs
      .slice(logged)
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    // One request came in — the caller's. A subgraph call would be a second.
    expect(lines.filter((line) => line.msg === 'incoming request')).toHaveLength(1);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});
