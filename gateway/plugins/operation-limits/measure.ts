// Measures a parsed document against the operation limits (all but tokens, which the parser enforces). Pure: a
// document and a schema in, the first exceeded limit (or null) out, so it is unit-tested with tables.
//
// Bounded in time for any document: each named fragment is measured once, with its sizes kept relative to where it
// is spread (depth below the spread, cost before the enclosing lists multiply it), so spreading a fragment that
// spreads another fragment twice, and so on, costs a lookup per spread instead of doubling the walk. Every sum only
// grows as the walk goes on, so the walk stops at the first sum past its limit.
import {
  Kind,
  SchemaMetaFieldDef,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  getNamedType,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type SelectionSetNode,
} from 'graphql';
import type { ResolvedLimits } from './limits.ts';

export type LimitCode =
  | 'MAX_DEPTH_EXCEEDED'
  | 'MAX_ALIASES_EXCEEDED'
  | 'MAX_ROOT_FIELDS_EXCEEDED'
  | 'MAX_DIRECTIVES_EXCEEDED'
  | 'MAX_COST_EXCEEDED';

export interface Refusal {
  code: LimitCode;
  /** Which limit, in the words of the error message, and its value. */
  limit: string;
  value: number;
}

/** What a selection set asks for, relative to where it stands. */
interface Size {
  /** Deepest field nesting below this point (a set of leaves is 1). */
  depth: number;
  aliases: number;
  directives: number;
  /** Cost of the set, before any list above it multiplies it. */
  cost: number;
  /** Fields at this level (root fields, when the set is the operation's). */
  fields: number;
}

class Exceeded extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.code);
  }
}

const LIMIT_NAMES = {
  MAX_DEPTH_EXCEEDED: ['depth', 'maxDepth'],
  MAX_ALIASES_EXCEEDED: ['aliases', 'maxAliases'],
  MAX_ROOT_FIELDS_EXCEEDED: ['root fields', 'maxRootFields'],
  MAX_DIRECTIVES_EXCEEDED: ['directives', 'maxDirectives'],
  MAX_COST_EXCEEDED: ['cost', 'maxCost'],
} as const satisfies Record<LimitCode, readonly [string, keyof ResolvedLimits]>;

/** The first limit any operation of the document exceeds, or null. Every operation is measured, not only the one
 * asked for: the others were parsed and validated too, and a check of one alone could be dodged by naming another. */
export function measureDocument(
  document: DocumentNode,
  schema: GraphQLSchema,
  limits: ResolvedLimits,
): Refusal | null {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const walk = new Walk(schema, limits, fragments);
  try {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const root = schema.getRootType(definition.operation) ?? undefined;
      const variables = definition.variableDefinitions ?? [];
      const own = count(definition.directives) + variables.reduce((sum, v) => sum + count(v.directives), 0);
      const size = walk.selectionSet(definition.selectionSet, root, own, 0);
      walk.check('MAX_ROOT_FIELDS_EXCEEDED', size.fields);
      walk.check('MAX_DEPTH_EXCEEDED', size.depth);
      walk.check('MAX_COST_EXCEEDED', size.cost);
    }
    return null;
  } catch (error) {
    if (error instanceof Exceeded) return error.refusal;
    throw error;
  }
}

class Walk {
  private readonly measured = new Map<string, Size>();
  private readonly measuring = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly limits: ResolvedLimits,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
  ) {}

  check(code: LimitCode, value: number): void {
    const limit = this.limits[LIMIT_NAMES[code][1]];
    if (value > limit) throw new Exceeded({ code, limit: LIMIT_NAMES[code][0], value: limit });
  }

  /** `above` is how many fields deep the set stands, as far as is known (a fragment is measured from 0). */
  selectionSet(
    set: SelectionSetNode,
    type: GraphQLNamedType | undefined,
    directives: number,
    above: number,
  ): Size {
    const size: Size = { depth: 0, aliases: 0, directives, cost: 0, fields: 0 };
    for (const selection of set.selections) {
      let part: Size;
      if (selection.kind === Kind.FIELD) part = this.field(selection, type, above);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition?.name.value;
        part = this.selectionSet(
          selection.selectionSet,
          condition ? this.schema.getType(condition) : type,
          count(selection.directives),
          above,
        );
      } else {
        part = this.fragment(selection.name.value);
        part = { ...part, directives: part.directives + count(selection.directives) };
      }
      size.depth = Math.max(size.depth, part.depth);
      size.aliases += part.aliases;
      size.directives += part.directives;
      size.cost += part.cost;
      size.fields += part.fields;
      // Each sum only grows from here on, and a set's sums are part of every enclosing one's.
      this.check('MAX_DEPTH_EXCEEDED', above + size.depth);
      this.check('MAX_ALIASES_EXCEEDED', size.aliases);
      this.check('MAX_DIRECTIVES_EXCEEDED', size.directives);
      this.check('MAX_COST_EXCEEDED', size.cost);
    }
    return size;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined, above: number): Size {
    const definition = parent ? fieldOf(this.schema, parent, node.name.value) : undefined;
    const child = node.selectionSet
      ? this.selectionSet(
          node.selectionSet,
          definition ? getNamedType(definition.type) : undefined,
          count(node.directives),
          above + 1,
        )
      : undefined;
    return {
      depth: 1 + (child?.depth ?? 0),
      aliases: (node.alias ? 1 : 0) + (child?.aliases ?? 0),
      directives: child ? child.directives : count(node.directives),
      cost: this.listFactor(parent, node.name.value, definition?.type) * (1 + (child?.cost ?? 0)),
      fields: 1,
    };
  }

  /** A named fragment's size, measured once per document; a fragment that spreads itself is endlessly deep. */
  private fragment(name: string): Size {
    const known = this.measured.get(name);
    if (known) return known;
    const definition = this.fragments.get(name);
    // Validation refuses unknown fragments before this runs; if one got here, it adds nothing to execute.
    if (!definition) return { depth: 0, aliases: 0, directives: 0, cost: 0, fields: 0 };
    if (this.measuring.has(name)) this.check('MAX_DEPTH_EXCEEDED', Infinity);
    this.measuring.add(name);
    const size = this.selectionSet(
      definition.selectionSet,
      this.schema.getType(definition.typeCondition.name.value),
      count(definition.directives),
      0,
    );
    this.measuring.delete(name);
    this.measured.set(name, size);
    return size;
  }

  /** How many times a field's selection runs per parent: the estimated size of each list it returns. */
  private listFactor(
    parent: GraphQLNamedType | undefined,
    name: string,
    type: GraphQLType | undefined,
  ): number {
    const coordinate = `${parent?.name ?? ''}.${name}`;
    const estimate = this.limits.listSizes[coordinate] ?? this.limits.listSizeEstimate;
    // A field the schema does not know (validation refuses those first) is taken to be a list: fail closed.
    if (!type) return estimate;
    let factor = 1;
    for (let t: GraphQLType = type; isListType(t) || isNonNullType(t); t = t.ofType) {
      if (isListType(t)) factor *= estimate;
    }
    return factor;
  }
}

function fieldOf(
  schema: GraphQLSchema,
  parent: GraphQLNamedType,
  name: string,
): GraphQLField<unknown, unknown> | undefined {
  if (name === TypeNameMetaFieldDef.name) return TypeNameMetaFieldDef;
  if (parent === schema.getQueryType()) {
    if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
    if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
  }
  return isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
}

function count(directives: readonly DirectiveNode[] | undefined): number {
  return directives?.length ?? 0;
}
