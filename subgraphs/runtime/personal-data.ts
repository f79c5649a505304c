// Which fields hold a person's data, read from the subgraph's own SDL: every field marked `@personalData`. Resolver
// authors mark the field and write nothing else; the subgraph says once per type whom a row is about and where it
// lives (`personalData` on its module), and the runtime does the rest: the legal-basis rule (shield.ts) and the
// audit of each read (personal-data-audit.ts).
import type { GraphQLSchema } from 'graphql';
import { isObjectType } from 'graphql';

export const PERSONAL_DATA_DIRECTIVE = 'personalData';

/** Where a row lives: the audited resource, and where in Fiks its legal basis is looked up. */
export interface AuditedResource {
  /** The GraphQL type, e.g. Grant, Document, AuditEvent. */
  type: string;
  id: string;
  /** The organisation whose log the read belongs to. */
  orgnr: string | null;
  /** The Fiks resources (nodes of the organisation's tree) through which the row is reached, nearest first: the
   * legal basis is that of the first the reader holds a grant with a basis on; without any, the organisation's. */
  resourceIds?: readonly string[];
}

/** Whom a type's rows are about, declared once per type by the subgraph that owns it. */
export interface PersonalDataOwner {
  /** The persons (fødselsnummer) whose data this field of this row is; empty when it is about nobody. */
  subjects(row: never, field: string): readonly (string | null | undefined)[];
  resource(row: never): AuditedResource;
}

export type PersonalDataOwners = Record<string, PersonalDataOwner>;

/** Type name → the fields marked @personalData. */
export type PersonalFields = ReadonlyMap<string, ReadonlySet<string>>;

export function personalFields(schema: GraphQLSchema): PersonalFields {
  const marked = new Map<string, Set<string>>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const directives = field.astNode?.directives ?? [];
      if (!directives.some((d) => d.name.value === PERSONAL_DATA_DIRECTIVE)) continue;
      let fields = marked.get(type.name);
      if (!fields) marked.set(type.name, (fields = new Set()));
      fields.add(field.name);
    }
  }
  return marked;
}

/** Fails at start-up, never at request time: a marked field on a type nobody said whom it is about. */
export function assertOwned(fields: PersonalFields, owners: PersonalDataOwners, subgraph: string): void {
  for (const type of fields.keys()) {
    if (!owners[type]) {
      throw new Error(`${subgraph}: ${type} has @personalData fields but no personalData owner for the type`);
    }
  }
}
