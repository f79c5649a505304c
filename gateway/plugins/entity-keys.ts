// The entity keys of the supergraph, read from its `@join__type(key: …)` directives: the fields that identify an
// object. The authorization walk trusts a root query's arguments to describe the object it returns only when they
// are that object's key (`organization(orgnr: X)` returns the Organization whose orgnr is X); an argument that
// merely shares a field's name (`whoMay(privilege)` returning Authorization.privilege) says nothing.
import { Kind, parse, type ConstDirectiveNode } from 'graphql';

/** Type name → its keys, each a list of field names (a compound key lists several). */
export type EntityKeys = ReadonlyMap<string, readonly (readonly string[])[]>;

function keyOf(directive: ConstDirectiveNode): string[] | null {
  if (directive.name.value !== 'join__type') return null;
  const key = directive.arguments?.find((argument) => argument.name.value === 'key')?.value;
  if (key?.kind !== Kind.STRING) return null;
  // A key that selects into a nested object (`fields: "a { b }"`) cannot be matched by plain arguments.
  if (/[{}]/.test(key.value)) return null;
  const fields = key.value.split(/[\s,]+/).filter(Boolean);
  return fields.length > 0 ? fields : null;
}

export function entityKeys(supergraphSdl: string): EntityKeys {
  const keys = new Map<string, string[][]>();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      const key = keyOf(directive);
      if (!key) continue;
      const known = keys.get(definition.name.value) ?? [];
      if (!known.some((k) => k.join(' ') === key.join(' '))) known.push(key);
      keys.set(definition.name.value, known);
    }
  }
  return keys;
}
