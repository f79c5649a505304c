// The operation limits and their defaults. The anchors are GraphQL Armor's defaults (depth 6, aliases 15, cost 5000,
// tokens 1000, directives 50) and Apollo Router's limit names (max_depth, max_aliases, max_root_fields); each is one
// variable in common/config.ts, whose defaults must equal these (a test compares them).

/** The most an operation may ask for before the gateway refuses it, unplanned and without calling any subgraph. */
export interface OperationLimits {
  /**
   * Deepest nesting of fields: `{ a { b } }` is 2. Fragments add no depth of their own; their fields count where
   * they are spread. Introspection fields count like any other.
   * @default 6
   */
  maxDepth?: number;
  /**
   * Most aliased fields in one operation, counted through fragments each time they are spread (`__typename` too).
   * @default 15
   */
  maxAliases?: number;
  /**
   * Most fields at the root of one operation, fragments expanded, duplicates counted.
   * @default 10
   */
  maxRootFields?: number;
  /**
   * Most directives in one operation (on the operation, its variables, fields, fragments and spreads), counted
   * through fragments each time they are spread.
   * @default 50
   */
  maxDirectives?: number;
  /**
   * Most lexical tokens in the whole document, enforced while parsing, so a huge document is never fully parsed.
   * @default 1000
   */
  maxTokens?: number;
  /**
   * Highest estimated cost: every field costs 1 plus its selection, times the estimated size of each list it
   * returns, multiplied through the nesting.
   * @default 5000
   */
  maxCost?: number;
  /**
   * Estimated size of a list a field returns, when `listSizes` names no estimate of its own.
   * @default 10
   */
  listSizeEstimate?: number;
  /**
   * Estimated list sizes per field, as `Type.field` → size, e.g. `{ 'Organization.resources': 50 }`.
   * @default {}
   */
  listSizes?: Readonly<Record<string, number>>;
}

export type ResolvedLimits = Required<OperationLimits>;

export const DEFAULT_OPERATION_LIMITS: ResolvedLimits = {
  maxDepth: 6,
  maxAliases: 15,
  maxRootFields: 10,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 5000,
  listSizeEstimate: 10,
  listSizes: {},
};

const FIELD_COORDINATE = /^[_A-Za-z][_0-9A-Za-z]*\.[_A-Za-z][_0-9A-Za-z]*$/;

/** The limits with defaults filled in; throws on a limit that is not a positive whole number. */
export function resolveOperationLimits(options: OperationLimits = {}): ResolvedLimits {
  const limits: ResolvedLimits = {
    ...DEFAULT_OPERATION_LIMITS,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  };
  for (const [name, value] of Object.entries(limits)) {
    if (name !== 'listSizes' && !isPositiveWhole(value)) {
      throw new TypeError(`operation limits: ${name} must be a positive whole number`);
    }
  }
  for (const [coordinate, size] of Object.entries(limits.listSizes)) {
    if (!FIELD_COORDINATE.test(coordinate) || !isPositiveWhole(size)) {
      throw new TypeError(
        `operation limits: list size ${coordinate} must be Type.field = a positive whole number`,
      );
    }
  }
  return limits;
}

function isPositiveWhole(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}
