// Generated GraphQL operations over a schema: one root field with its arguments as literals or variables (with and
// without defaults, with valid and invalid values), selections through named and inline fragments, and @include and
// @skip with literal and variable conditions. Nothing is listed by hand: fields, arguments and types come from the
// schema, so a field added tomorrow is generated tomorrow.
import fc from 'fast-check';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { argumentKind, valueOf } from './argument-values.ts';

export interface Operation {
  query: string;
  variables: Record<string, unknown>;
}

type Gen = fc.GeneratorValue;

/** A GraphQL literal for a JSON-like value; an enum value prints bare. JSON's string escapes are GraphQL's. */
function literal(value: unknown, enumValue = false): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, enumValue)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = Object.entries(value).map(([k, v]) => `${k}: ${literal(v, enumValue)}`);
    return `{${fields.join(', ')}}`;
  }
  if (typeof value === 'string') return enumValue ? value : JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'null';
}

class Builder {
  private readonly definitions: string[] = [];
  private readonly fragments: string[] = [];
  readonly variables: Record<string, unknown> = {};
  private count = 0;

  constructor(private readonly g: Gen) {}

  /** A value for an input type: mostly of the right shape, sometimes not (null, a wrong type, a missing field). */
  value(name: string, type: GraphQLInputType): unknown {
    const { g } = this;
    if (g(fc.integer, { min: 0, max: 19 }) === 0) return g(fc.constantFrom, null, 42, 'x', true, {}, []);
    const inner = getNullableType(type);
    if (isListType(inner)) {
      const n = g(fc.integer, { min: 0, max: 2 });
      return Array.from({ length: n }, () => this.value(name, inner.ofType));
    }
    if (isEnumType(inner)) return g(fc.constantFrom, ...inner.getValues().map((v) => v.name), 'NOT_A_VALUE');
    if (isInputObjectType(inner)) {
      const object: Record<string, unknown> = {};
      for (const field of Object.values(inner.getFields())) {
        if (isNonNullType(field.type) || g(fc.boolean))
          object[field.name] = this.value(field.name, field.type);
      }
      return object;
    }
    const kind = argumentKind(name, type);
    return kind === 'enum' || kind === 'input' ? null : g(valueOf, kind);
  }

  /** `type` as variable definitions spell it. */
  private typeName(type: GraphQLInputType): string {
    return type.toString();
  }

  argument(arg: GraphQLArgument): string {
    const { g } = this;
    const value = this.value(arg.name, arg.type);
    if (g(fc.boolean)) return literal(value, isEnumType(getNamedType(arg.type)));
    const name = `v${this.count++}`;
    // A variable with a default may stand for a required argument (GraphQL spec §5.8.5); its type is then nullable.
    if (g(fc.boolean)) {
      const nullable: GraphQLInputType = getNullableType(arg.type);
      const fallback = this.value(arg.name, arg.type);
      this.definitions.push(
        `$${name}: ${this.typeName(nullable)} = ${literal(fallback ?? value, isEnumType(getNamedType(arg.type)))}`,
      );
      if (g(fc.boolean)) this.variables[name] = value;
    } else {
      this.definitions.push(`$${name}: ${this.typeName(arg.type)}`);
      if (isNonNullType(arg.type) || g(fc.boolean)) this.variables[name] = value;
    }
    return `$${name}`;
  }

  directives(): string {
    const { g } = this;
    switch (g(fc.integer, { min: 0, max: 5 })) {
      case 0:
        return ` @include(if: ${String(g(fc.boolean))})`;
      case 1:
        return ` @skip(if: ${String(g(fc.boolean))})`;
      case 2: {
        const name = `b${this.count++}`;
        this.definitions.push(`$${name}: Boolean!`);
        this.variables[name] = g(fc.boolean);
        return ` @${g(fc.constantFrom, 'include', 'skip')}(if: $${name})`;
      }
      default:
        return '';
    }
  }

  field(field: GraphQLField<unknown, unknown>, depth: number): string {
    const { g } = this;
    const args = field.args
      .filter((arg) => isNonNullType(arg.type) || g(fc.boolean))
      .map((arg) => `${arg.name}: ${this.argument(arg)}`);
    const alias = g(fc.integer, { min: 0, max: 3 }) === 0 ? `a${this.count++}: ` : '';
    const head = `${alias}${field.name}${args.length ? `(${args.join(', ')})` : ''}${this.directives()}`;
    const type = getNamedType(field.type);
    return isObjectType(type) ? `${head} { ${this.selection(type, depth + 1)} }` : head;
  }

  /** Fields of an object type, some wrapped in an inline or a named fragment. */
  selection(type: GraphQLObjectType, depth: number): string {
    const { g } = this;
    const all = type.getFields();
    const names = Object.keys(all).filter((name) => depth < 3 || isLeafType(getNamedType(all[name]!.type)));
    // By name: fast-check compares a generator's arguments, and schema objects are cyclic.
    const chosen = g(fc.subarray, names, { minLength: 1, maxLength: Math.min(3, names.length) });
    const parts = chosen.map((name) => this.field(all[name]!, depth));
    if (g(fc.boolean)) parts.push('__typename');
    switch (g(fc.integer, { min: 0, max: 3 })) {
      case 0:
        return `... on ${type.name}${this.directives()} { ${parts.join(' ')} }`;
      case 1:
        return `...${this.directives()} { ${parts.join(' ')} }`;
      case 2: {
        const name = `F${this.count++}`;
        this.fragments.push(`fragment ${name} on ${type.name} { ${parts.join(' ')} }`);
        return `...${name}${this.directives()}`;
      }
      default:
        return parts.join(' ');
    }
  }

  operation(kind: 'query' | 'mutation', root: GraphQLField<unknown, unknown>): Operation {
    const body = this.field(root, 0);
    const definitions = this.definitions.length ? `(${this.definitions.join(', ')})` : '';
    return {
      query: [`${kind} Generated${definitions} { ${body} }`, ...this.fragments].join('\n'),
      variables: this.variables,
    };
  }
}

/** Operations on one root field of the schema. */
export function operationOn(
  kind: 'query' | 'mutation',
  root: GraphQLField<unknown, unknown>,
): fc.Arbitrary<Operation> {
  return fc.gen().map((g) => new Builder(g).operation(kind, root));
}
