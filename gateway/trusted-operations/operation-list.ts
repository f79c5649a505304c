// One list of trusted operations, looked up by id or by exact text. Each operation is parsed once, when the list is
// built: a body that is not a GraphQL document refuses the list, and the name of a document's only operation lets a
// request that names it run without an operation name (so @apollo/gateway keys its plan cache by the id alone).
// Limits above the gateway's defaults are cut to the configured ceiling here, once.
import { Kind, parse } from 'graphql';
import type { TrustedLimitName, TrustedOperationLimits } from '../../common/operation-id.ts';
import { ManifestError, type ManifestOperation } from './manifest.ts';

export type LimitCeiling = Record<TrustedLimitName, number>;

export interface TrustedOperation {
  id: string;
  body: string;
  name: string | null;
  /** Its own limits, each at most the ceiling; null when it has none (the defaults apply). */
  limits: TrustedOperationLimits | null;
  /** The name of the document's only operation (null when anonymous); undefined with several operations. */
  soleOperationName: string | null | undefined;
}

export interface OperationList {
  byId: ReadonlyMap<string, TrustedOperation>;
  byText: ReadonlyMap<string, TrustedOperation>;
}

export const EMPTY_LIST: OperationList = { byId: new Map(), byText: new Map() };

export function buildOperationList(
  operations: readonly ManifestOperation[],
  ceiling: LimitCeiling,
): OperationList {
  const byId = new Map<string, TrustedOperation>();
  const byText = new Map<string, TrustedOperation>();
  for (const operation of operations) {
    const trusted = toTrusted(operation, ceiling);
    byId.set(trusted.id, trusted);
    byText.set(trusted.body, trusted);
  }
  return { byId, byText };
}

/** Merged lists, by the integration's list they were made for: lists never change once built, so a merge is made
 * once per (global list, integration list) rather than copied on every request. Dropped with the list. */
const merged = new WeakMap<OperationList, { first: OperationList; list: OperationList }>();

/** Two lists as one (the global list and an integration's own); the second wins on the same id, its limits. */
export function mergeLists(first: OperationList, second: OperationList): OperationList {
  if (second.byId.size === 0) return first;
  if (first.byId.size === 0) return second;
  const known = merged.get(second);
  if (known?.first === first) return known.list;
  const list = {
    byId: new Map([...first.byId, ...second.byId]),
    byText: new Map([...first.byText, ...second.byText]),
  };
  merged.set(second, { first, list });
  return list;
}

function toTrusted(operation: ManifestOperation, ceiling: LimitCeiling): TrustedOperation {
  let definitions;
  try {
    definitions = parse(operation.body, { noLocation: true }).definitions;
  } catch {
    throw new ManifestError(`${operation.id}: the body is not a GraphQL document`);
  }
  const operations = definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const limits: TrustedOperationLimits = {};
  for (const [name, value] of Object.entries(operation.limits) as [TrustedLimitName, number][]) {
    limits[name] = Math.min(value, ceiling[name]);
  }
  return {
    id: operation.id,
    body: operation.body,
    name: operation.name,
    limits: Object.keys(limits).length > 0 ? limits : null,
    soleOperationName: operations.length === 1 ? (operations[0]!.name?.value ?? null) : undefined,
  };
}
