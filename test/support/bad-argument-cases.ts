// One case per bad value of every argument of every root field of a schema: the argument's kind (from its name and
// type) chooses the bad values, every other argument holds a good one, so the bad value is what is refused.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { argumentKind, BAD, GOOD } from './argument-values.ts';

export interface BadArgumentCase {
  title: string;
  kind: 'query' | 'mutation';
  field: GraphQLField<unknown, unknown>;
  /** The arguments' values, one of them (or one field of an input object) bad. */
  args: Record<string, unknown>;
}

/** The root fields of a schema, without federation's own (`_entities`, `_service`). */
export function rootFields(schema: GraphQLSchema) {
  const of = (kind: 'query' | 'mutation') =>
    Object.values((kind === 'query' ? schema.getQueryType() : schema.getMutationType())?.getFields() ?? {})
      .filter((field) => !field.name.startsWith('_'))
      .map((field) => ({ kind, field }));
  return [...of('query'), ...of('mutation')];
}

/** A good value for an input type: every field of an input object filled, enums their first value. */
function good(name: string, type: GraphQLInputType): unknown {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    return Object.fromEntries(Object.values(named.getFields()).map((f) => [f.name, good(f.name, f.type)]));
  }
  if (isEnumType(named)) return named.getValues()[0]!.value;
  return GOOD[argumentKind(name, type) as keyof typeof GOOD];
}

export function badArgumentCases(schema: GraphQLSchema): BadArgumentCase[] {
  const all: BadArgumentCase[] = [];
  for (const { kind, field } of rootFields(schema)) {
    const goodArgs = Object.fromEntries(field.args.map((a) => [a.name, good(a.name, a.type)]));
    const vary = (
      arg: GraphQLArgument,
      path: string,
      type: GraphQLInputType,
      set: (v: unknown) => unknown,
    ) => {
      const leaf = path.split('.').at(-1)!;
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
        const base = goodArgs[arg.name] as Record<string, unknown>;
        for (const f of Object.values(inner.getFields())) {
          vary(arg, `${arg.name}.${f.name}`, f.type, (v) => ({ ...base, [f.name]: v }));
        }
      } else {
        vary(arg, arg.name, arg.type, (v) => v);
      }
    }
  }
  return all;
}

/** The case as an operation with every argument a variable. */
export function caseOperation(c: BadArgumentCase): string {
  const definitions = c.field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const uses = c.field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = 'getFields' in getNamedType(c.field.type) ? ' { __typename }' : '';
  return `${c.kind} Bad(${definitions}) { ${c.field.name}(${uses})${selection} }`;
}
