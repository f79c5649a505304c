// Which field a refusal's response path names, as a schema coordinate (`Organization.integrationGrants`): the path
// spells aliases the caller chose, the coordinate names the field and so the rule that refused it.
import {
  Kind,
  getNamedType,
  isCompositeType,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { fragmentsOf } from '../../common/operation-input.ts';
import type { DocumentNode } from 'graphql';

interface Found {
  type: GraphQLCompositeType;
  fieldName: string;
  selectionSet: SelectionSetNode | undefined;
}

/** The field selected under `responseKey` in this selection set, fragments included, with the type it is on. */
function findField(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  set: SelectionSetNode,
  type: GraphQLCompositeType,
  responseKey: string,
  seen: Set<string>,
): Found | undefined {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if ((selection.alias?.value ?? selection.name.value) === responseKey) {
        return { type, fieldName: selection.name.value, selectionSet: selection.selectionSet };
      }
      continue;
    }
    let fragment: { condition: string | undefined; set: SelectionSetNode } | undefined;
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      fragment = { condition: selection.typeCondition?.name.value, set: selection.selectionSet };
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const definition = fragments.get(selection.name.value);
      if (definition)
        fragment = { condition: definition.typeCondition.name.value, set: definition.selectionSet };
    }
    if (!fragment) continue;
    const conditionType = fragment.condition ? schema.getType(fragment.condition) : type;
    if (!conditionType || !isCompositeType(conditionType)) continue;
    const found = findField(schema, fragments, fragment.set, conditionType, responseKey, seen);
    if (found) return found;
  }
  return undefined;
}

/** `Type.field` of the field at `path` (list indices skipped), or undefined when the path leads nowhere. */
export function fieldCoordinate(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  path: readonly (string | number)[],
): string | undefined {
  const keys = path.filter((key): key is string => typeof key === 'string');
  const fragments = fragmentsOf(document);
  let type: GraphQLCompositeType | undefined | null = schema.getRootType(operation.operation);
  let set: SelectionSetNode | undefined = operation.selectionSet;
  for (const [index, key] of keys.entries()) {
    if (!type || !set) return undefined;
    const found = findField(schema, fragments, set, type, key, new Set());
    if (!found) return undefined;
    if (index === keys.length - 1) return `${found.type.name}.${found.fieldName}`;
    const field = 'getFields' in found.type ? found.type.getFields()[found.fieldName] : undefined;
    const next = field ? getNamedType(field.type) : undefined;
    type = next && isCompositeType(next) ? next : undefined;
    set = found.selectionSet;
  }
  return undefined;
}
