// The input of one operation, coerced and checked before anything acts on it: the variables as GraphQL coerces them
// (defaults applied, types enforced — GraphQL spec §6.1.2 CoerceVariableValues), and every argument of every field
// the operation selects, in named and inline fragments and under @skip/@include alike, against common/argument-rules.
// The gateway runs it before its rule walk, each subgraph before it executes, so bad input stops at the first door
// it reaches and nothing downstream reads a raw variable. Errors never quote the value (it may be a fødselsnummer).
import {
  GraphQLError,
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getArgumentValues, getVariableValues } from 'graphql/execution/values.js';
import { argumentProblem } from './argument-rules.ts';

export interface OperationInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The variables as the request sent them. */
  variables: Readonly<Record<string, unknown>> | undefined;
}

const fragmentMaps = new WeakMap<DocumentNode, ReadonlyMap<string, FragmentDefinitionNode>>();

/** A document's fragments by name, built once per parsed document: Apollo's document cache hands the same document
 * object back for the same text, so the gateway's input check, its rule walk and a subgraph's check share one map. */
export function fragmentsOf(document: DocumentNode): ReadonlyMap<string, FragmentDefinitionNode> {
  let fragments = fragmentMaps.get(document);
  if (!fragments) {
    const map = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) map.set(definition.name.value, definition);
    }
    fragments = map;
    fragmentMaps.set(document, fragments);
  }
  return fragments;
}

/** 400 BAD_USER_INPUT: the caller's input, not the server, is at fault. */
export function badUserInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } } });
}

function coerceVariables({ schema, operation, variables }: OperationInput): Record<string, unknown> {
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, {
    maxErrors: 1,
  });
  if (!result.errors) return result.coerced;
  // graphql-js quotes the value it refused; name the variable instead.
  const node = result.errors[0]?.nodes?.[0];
  const name = node?.kind === Kind.VARIABLE_DEFINITION ? `$${node.variable.name.value}` : 'a variable';
  throw badUserInput(`Variable ${name} has a value its type does not allow.`);
}

function fieldOf(
  type: GraphQLNamedType,
  name: string,
  schema: GraphQLSchema,
): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (type === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(type) || isInterfaceType(type) ? type.getFields()[name] : undefined;
}

function checkSelections(
  input: OperationInput,
  variables: Record<string, unknown>,
  set: SelectionSetNode,
  type: GraphQLNamedType,
  seen: Set<string>,
): void {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const field = fieldOf(type, selection.name.value, input.schema);
      // Validation has run; an unknown field here means a schema and document out of step: refuse, not guess.
      if (!field) throw badUserInput(`Cannot query field "${selection.name.value}" on type "${type.name}".`);
      let args: Record<string, unknown>;
      try {
        args = getArgumentValues(field, selection, variables);
      } catch {
        throw badUserInput(`Field "${field.name}" has an argument its type does not allow.`);
      }
      for (const arg of field.args) {
        const problem = argumentProblem(arg.name, arg.type, args[arg.name]);
        if (problem) throw badUserInput(`Argument ${problem[0]} of field "${field.name}" ${problem[1]}.`);
      }
      const child = getNamedType(field.type);
      if (selection.selectionSet && isCompositeType(child))
        checkSelections(input, variables, selection.selectionSet, child, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const condition = selection.typeCondition?.name.value;
      const inner = condition ? input.schema.getType(condition) : type;
      if (!inner) throw badUserInput(`Unknown type "${condition}".`);
      checkSelections(input, variables, selection.selectionSet, inner, seen);
    } else {
      // A fragment's arguments are the same wherever it is spread: check each once.
      const name = selection.name.value;
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = input.fragments.get(name);
      const inner = fragment && input.schema.getType(fragment.typeCondition.name.value);
      if (!fragment || !inner) throw badUserInput(`Unknown fragment "${name}".`);
      checkSelections(input, variables, fragment.selectionSet, inner, seen);
    }
  }
}

/**
 * The operation's variables, coerced, once every argument it holds has passed common/argument-rules.ts. Throws a
 * BAD_USER_INPUT GraphQLError (HTTP 400) naming the variable or argument, never its value.
 */
export function checkedVariables(input: OperationInput): Record<string, unknown> {
  const variables = coerceVariables(input);
  const root = input.schema.getRootType(input.operation.operation);
  if (!root) throw badUserInput(`This schema has no ${input.operation.operation} type.`);
  checkSelections(input, variables, input.operation.selectionSet, root, new Set());
  return variables;
}
