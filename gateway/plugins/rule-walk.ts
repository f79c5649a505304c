// The gateway's rule walk, compiled once per parsed operation and run per request (#13 item 6). Everything that
// depends only on the operation's text is settled when the operation is first seen: which field of which type each
// selection names, its policy, arguments written as literals, fragments resolved, fields without a rule (refused),
// `allow` policies (nothing to ask) and repeated checks (the same policy on the same arguments and the same known
// parent decides the same way, so only the first is kept). What is left for each request are the checks that depend
// on the caller and on the variables, in the order the walk would meet them, so the first refusal's path is the
// same as a walk of the whole tree would report.
//
// Apollo's document store hands back the same DocumentNode for the same text, and a trusted operation's document is
// pinned for as long as it is listed (gateway/trusted-operations/pinned-documents.ts), so a registered operation is
// compiled once; free-form text is compiled again whenever Apollo parses it again.
import {
  Kind,
  getNamedType,
  getOperationAST,
  isObjectType,
  print,
  type ArgumentNode,
  type DocumentNode,
  type FieldNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import { getArgumentValues } from 'graphql/execution/values.js';
import type { PermissionMap } from '../../access/permission-map.ts';
import { evaluate, type Policy, type PolicyInput } from '../../access/policy.ts';
import { fragmentsOf } from '../../common/operation-input.ts';
import type { EntityKeys } from './entity-keys.ts';

/** The introspection fields at the root; who may ask for them is a policy of its own (introspection.ts). */
const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** One check left for request time. */
interface Step {
  path: string[];
  /** Refused whatever the request carries: no rule, unknown to the schema, or a `deny`. */
  refuse?: true;
  /** Null for `allow`: nothing to ask, but the arguments may still describe what the field returns. */
  policy: Policy | null;
  introspection?: true;
  field?: GraphQLField<unknown, unknown>;
  node?: FieldNode;
  /** The arguments when the operation writes them as literals (the same for every request). */
  staticArgs?: Record<string, unknown>;
  /** The index of the root query step whose arguments tell what the parent is (knownFromArgs), or -1. */
  parentFrom: number;
  /** Set on a root query step whose arguments tell its children's parent: the type they describe. */
  describes?: GraphQLCompositeType;
}

export interface CompiledWalk {
  steps: readonly Step[];
}

export interface RuleWalkSettings {
  permissions: PermissionMap;
  keys: EntityKeys;
  introspection: Policy;
}

/** A field's or type's entry, never one inherited from Object.prototype (a field may be named `constructor`). */
function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

function mentionsVariable(value: ValueNode): boolean {
  switch (value.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return value.values.some(mentionsVariable);
    case Kind.OBJECT:
      return value.fields.some((field) => mentionsVariable(field.value));
    default:
      return false;
  }
}

/** A stable number per object, for the keys that tell two identical checks apart. */
function identities(): (value: object) => number {
  const ids = new WeakMap<object, number>();
  let next = 0;
  return (value) => {
    let id = ids.get(value);
    if (id === undefined) ids.set(value, (id = next++));
    return id;
  };
}

export function compileWalk(
  settings: RuleWalkSettings,
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
): CompiledWalk {
  const operation = getOperationAST(document, operationName);
  const root = operation ? schema.getRootType(operation.operation) : undefined;
  // The operation itself cannot be resolved: refused at the root.
  if (!operation || !root) return { steps: [{ path: [], refuse: true, policy: null, parentFrom: -1 }] };
  const fragments = fragmentsOf(document);
  const steps: Step[] = [];
  const seen = new Set<string>();
  const idOf = identities();

  function argumentsKey(args: readonly ArgumentNode[] | undefined): string {
    return (args ?? []).map((arg) => print(arg)).join(',');
  }

  /** False when the walk is over (a step refuses whatever the request carries). */
  function walk(
    selectionSet: SelectionSetNode,
    type: GraphQLCompositeType,
    path: string[],
    parentFrom: number,
  ): boolean {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const fieldPath = [...path, selection.alias?.value ?? name];
        const isRoot = path.length === 0;
        if (isRoot && INTROSPECTION_FIELDS.has(name)) {
          // Introspection's own rule is evaluated like any other; what it returns (the schema) is not walked.
          const key = `introspection|${parentFrom}`;
          if (!seen.has(key)) {
            seen.add(key);
            steps.push({ path: fieldPath, policy: settings.introspection, introspection: true, parentFrom });
          }
          continue;
        }
        const policy = own(own(settings.permissions, type.name), name);
        const field = isObjectType(type) || 'getFields' in type ? type.getFields()[name] : undefined;
        // Fail closed: a field without a rule (or unknown to the schema) is refused.
        if (!policy || !field || policy.kind === 'deny') {
          steps.push({ path: fieldPath, refuse: true, policy: null, parentFrom });
          return false;
        }
        const literal = !(selection.arguments ?? []).some((arg) => mentionsVariable(arg.value));
        let staticArgs: Record<string, unknown> | undefined;
        if (literal) {
          try {
            // Shared by every request that runs this operation: no policy may change it.
            staticArgs = Object.freeze(getArgumentValues(field, selection, {}));
          } catch {
            staticArgs = undefined; // Left to request time, which fails as the walk always has.
          }
        }
        const child = selection.selectionSet ? (getNamedType(field.type) as GraphQLCompositeType) : undefined;
        // Only a root query's key arguments are trusted to describe what it returns (a lookup by key).
        const describes =
          child && isRoot && type.name === 'Query' && settings.keys.has(child.name) ? child : undefined;
        const evaluated = policy.kind === 'allow' ? null : policy;
        const key = `${idOf(policy)}|${idOf(field)}|${argumentsKey(selection.arguments)}|${parentFrom}`;
        let index = -1;
        if (describes || (evaluated && !seen.has(key))) {
          seen.add(key);
          index = steps.length;
          steps.push({
            path: fieldPath,
            policy: evaluated,
            field,
            node: selection,
            ...(staticArgs ? { staticArgs } : {}),
            parentFrom,
            ...(describes ? { describes } : {}),
          });
        }
        if (selection.selectionSet && child) {
          const childParent = describes ? index : -1;
          if (!walk(selection.selectionSet, child, fieldPath, childParent)) return false;
        }
      } else {
        const condition =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection.typeCondition?.name.value
            : fragments.get(selection.name.value)?.typeCondition.name.value;
        const fragmentType = condition
          ? (schema.getType(condition) as GraphQLCompositeType | undefined)
          : type;
        const set =
          selection.kind === Kind.INLINE_FRAGMENT
            ? selection.selectionSet
            : fragments.get(selection.name.value)?.selectionSet;
        if (!fragmentType || !set) {
          steps.push({ path, refuse: true, policy: null, parentFrom });
          return false;
        }
        if (!walk(set, fragmentType, path, parentFrom)) return false;
      }
    }
    return true;
  }

  walk(operation.selectionSet, root, [], -1);
  return { steps };
}

function knownFromArgs(
  type: GraphQLCompositeType,
  args: Record<string, unknown>,
  keys: EntityKeys,
): Record<string, unknown> {
  const known: Record<string, unknown> = {};
  for (const key of keys.get(type.name) ?? []) {
    if (key.every((field) => typeof args[field] === 'string'))
      for (const field of key) known[field] = args[field];
  }
  return known;
}

const NOTHING_KNOWN: Record<string, unknown> = Object.freeze({});
const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Runs a compiled walk for one request: the path of the first field the caller may not ask for, or null when every
 * rule decidable here allows. `variables` must be the coerced ones.
 */
export async function runWalk(
  walk: CompiledWalk,
  settings: RuleWalkSettings,
  variables: Record<string, unknown>,
  input: Omit<PolicyInput, 'args'>,
): Promise<string[] | null> {
  const known: (Record<string, unknown> | undefined)[] = [];
  for (const [index, step] of walk.steps.entries()) {
    if (step.refuse) return step.path;
    const parent = (step.parentFrom >= 0 ? known[step.parentFrom] : undefined) ?? NOTHING_KNOWN;
    if (step.introspection) {
      const decision = await evaluate(step.policy!, { ...input, args: {}, parent }, NO_KEYS);
      if (decision !== 'allow') return step.path;
      continue;
    }
    const args = step.staticArgs ?? getArgumentValues(step.field!, step.node!, variables);
    if (step.policy) {
      const parentKeys = parent === NOTHING_KNOWN ? NO_KEYS : new Set(Object.keys(parent));
      const decision = await evaluate(step.policy, { ...input, args, parent }, parentKeys);
      if (decision !== 'allow' && decision !== 'defer') return step.path;
    }
    if (step.describes) known[index] = knownFromArgs(step.describes, args, settings.keys);
  }
  return null;
}

/** Compiled walks by schema and document: both are immutable, and a new schema starts afresh. */
export function createRuleWalk(settings: RuleWalkSettings) {
  const compiled = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, CompiledWalk>>>();
  return {
    findRefusal(
      schema: GraphQLSchema,
      document: DocumentNode,
      operationName: string | null | undefined,
      variables: Record<string, unknown>,
      input: Omit<PolicyInput, 'args'>,
    ): Promise<string[] | null> {
      let bySchema = compiled.get(schema);
      if (!bySchema) compiled.set(schema, (bySchema = new WeakMap()));
      let byName = bySchema.get(document);
      if (!byName) bySchema.set(document, (byName = new Map<string, CompiledWalk>()));
      const name = operationName ?? '';
      let walk = byName.get(name);
      if (!walk) byName.set(name, (walk = compileWalk(settings, schema, document, operationName)));
      return runWalk(walk, settings, variables, input);
    },
  };
}
