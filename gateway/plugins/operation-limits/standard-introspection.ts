// The standard introspection query, exactly as graphql-js's getIntrospectionQuery() writes it (and GraphiQL sends
// it), is held to no shape limit: its TypeRef fragment nests `ofType` deeper than the depth limit, and its cost is
// that of reading the schema once, bounded by the schema's size and answered by the gateway from memory. It is known
// in advance, like a trusted operation carrying its own limits; any other introspection — a hand-written query that
// nests `fields { type { fields … } }` — is measured like every operation. Who may introspect at all is the
// authorization walk's rule (gateway/plugins/authorization.ts), which still applies.
import { getIntrospectionQuery, parse, print, type DocumentNode } from 'graphql';

/** GraphiQL's settings (schemaDescription, inputValueDeprecation), each way, and its retry without the
 * subscription type for servers that lack it. */
function variants(): Set<string> {
  const texts = new Set<string>();
  for (const schemaDescription of [false, true])
    for (const inputValueDeprecation of [false, true]) {
      const query = getIntrospectionQuery({ schemaDescription, inputValueDeprecation });
      texts.add(print(parse(query)));
      texts.add(print(parse(query.replace('subscriptionType { name }', ''))));
    }
  return texts;
}

const STANDARD = variants();

/** The document is one of the standard introspection queries, whitespace and commas aside. */
export function isStandardIntrospection(document: DocumentNode): boolean {
  return STANDARD.has(print(document));
}
