// Every field that holds a person's data is marked @personalData (issue #10, item 1), so that its reads are audited
// and need a legal basis. Checked two ways over the composed supergraph: the hand-kept list next to this test, and
// by asking every root field, with everything beneath it selected, as an administrator, a citizen, an operator and
// an integration, and looking for fødselsnummer-shaped values in fields that are not marked. A marked field must
// also need at least a login.
import { readFileSync } from 'node:fs';
import {
  buildASTSchema,
  getNamedType,
  isLeafType,
  isObjectType,
  isNonNullType,
  parse,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublic } from '../../access/policy.ts';
import { hasValidPersonNumberCheckDigits } from '../../common/identifiers.ts';
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { SUPERGRAPH_PERMISSIONS } from '../../subgraphs/permissions.ts';
import { asPerson, type Headers } from '../privileges/support.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';
import { PERSONAL_FIELDS } from './personal-fields.ts';

const supergraph: GraphQLSchema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));

function markedFields(): Set<string> {
  const marked = new Set<string>();
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (field.astNode?.directives?.some((d) => d.name.value === 'personalData')) {
        marked.add(`${type.name}.${field.name}`);
      }
    }
  }
  return marked;
}

/** Everything beneath a type, to `depth` levels, skipping fields whose required arguments we cannot guess. */
function selectAll(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) parts.push(field.name);
    else if (isObjectType(named) && depth > 1) parts.push(`${field.name} { ${selectAll(named, depth - 1)} }`);
  }
  return parts.length > 0 ? parts.join(' ') : '__typename';
}

/** The case system's reference (korrelasjonsid) of a document it uploaded to Fjordvik's document account. */
const CORRELATION_ID = 'c0000000-0000-4000-8000-00000000c0c0';

/** A value for each required argument, by name (and, for `id`, by what the field answers). */
function argumentValue(
  field: GraphQLField<unknown, unknown>,
  name: string,
  eventId: string,
): string | undefined {
  const ids: Record<string, string> = {
    Document: DEMO_DOCUMENTS.kindergartenDecision,
    Resource: DEMO_RESOURCES.fjordvikRoot,
    Integration: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
    AuditEvent: eventId,
    AuditEventProof: eventId,
  };
  const values: Record<string, string> = {
    orgnr: DEMO_ORGS.fjordvik.orgnr,
    privilege: 'SVARUT.SEND',
    resourceId: DEMO_RESOURCES.fjordvikSvarUt,
    actorType: 'PERSON',
    actorId: DEMO_PERSONS.per.pid,
    // The snooping report's period: all of it.
    from: '2000-01-01T00:00:00Z',
    to: '2100-01-01T00:00:00Z',
    // Fjordvik's document account, and the uploader's reference of the document beforeAll puts there.
    accountId: DEMO_RESOURCES.fjordvikDocuments,
    correlationId: CORRELATION_ID,
  };
  if (name === 'id') return ids[getNamedType(field.type).name];
  return values[name];
}

/** Type.field of every fødselsnummer-shaped value in a response, JSON scalars searched too. */
function fieldsAnsweringPersonNumbers(type: GraphQLObjectType, value: unknown, found: Set<string>): void {
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const field = type.getFields()[key];
    if (!field) continue;
    const named = getNamedType(field.type);
    for (const item of Array.isArray(child) ? child : [child]) {
      if (isObjectType(named)) fieldsAnsweringPersonNumbers(named, item, found);
      else if (containsPersonNumber(item)) found.add(`${type.name}.${key}`);
    }
  }
}

function containsPersonNumber(value: unknown): boolean {
  // Eleven digits standing alone (not a run inside a UUID or a longer number), with valid check digits.
  if (typeof value === 'string') {
    return (value.match(/(?<![0-9a-fA-F-])\d{11}(?![0-9a-fA-F-])/g) ?? []).some(
      (digits) => !/^(\d)\1+$/.test(digits) && hasValidPersonNumberCheckDigits(digits),
    );
  }
  if (value && typeof value === 'object') return Object.values(value).some(containsPersonNumber);
  return false;
}

describe('audit / every field holding personal data is marked', () => {
  it('marks every field on the list kept next to this test', () => {
    const marked = markedFields();
    expect(PERSONAL_FIELDS.filter((f) => !marked.has(f))).toEqual([]);
  });

  it('gives every marked field a rule that needs at least a login', () => {
    const weak = [...markedFields()].filter((coordinate) => {
      const [type, field] = coordinate.split('.') as [string, string];
      const policy = SUPERGRAPH_PERMISSIONS[type]?.[field];
      return !policy || isPublic(policy);
    });
    expect(weak).toEqual([]);
  });

  describe('over the running platform', () => {
    let platform: TestPlatform;
    let callers: Record<string, Headers>;
    let eventId: string;

    beforeAll(async () => {
      // Everything beneath every root field is selected at once: past the limits a caller gets, not past the schema.
      platform = await startTestPlatform({ MAX_OPERATION_COST: '10000000', MAX_OPERATION_DEPTH: '5' });
      callers = {
        administrator: await asPerson(platform, DEMO_PERSONS.kari.pid, 'high'),
        citizen: await asPerson(platform, DEMO_PERSONS.ola.pid, 'high'),
        operator: await asPerson(platform, DEMO_PERSONS.operator.pid, 'high'),
        integration: await platform.asIntegration(),
      };
      // Events that name persons: a grant to a person, and reads of personal data.
      await platform.graphql(
        `mutation { grantPrivilege(resourceId: "${DEMO_RESOURCES.fjordvikOppvekst}", actorType: PERSON,
           actorId: "${DEMO_PERSONS.ola.pid}", privilege: "SKOLE.LES", legalBasis: "opplæringslova § 15-1") { id } }`,
        {},
        callers.administrator,
      );
      // A document the case system uploaded for Ola, found by its correlation id (documentsByCorrelationId).
      const [document] = await platform.db.query<{ id: string }>(
        `insert into documents.document (orgnr, title, mime_type, size_bytes, security_level, account_id,
           correlation_id, uploader_type, uploader_id)
         values ($1, 'Vedtak til Ola', 'application/pdf', 100, 3, $2, $3, 'INTEGRATION', $4) returning id`,
        [
          DEMO_ORGS.fjordvik.orgnr,
          DEMO_RESOURCES.fjordvikDocuments,
          CORRELATION_ID,
          DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
        ],
      );
      await platform.db.query(
        `insert into documents.exposure (document_id, kind, value) values ($1, 'PERSON', $2)`,
        [document!.id, DEMO_PERSONS.ola.pid],
      );
      const [event] = await platform.db.query<{ id: string }>(
        `select id from audit.event where data_subject is not null order by seq limit 1`,
      );
      eventId = event!.id;
    });
    afterAll(() => platform.stop());

    it('finds no fødselsnummer in a field that is not marked', async () => {
      const marked = markedFields();
      const query = supergraph.getQueryType()!;
      const unguessable: string[] = [];
      const found = new Set<string>();
      for (const field of Object.values(query.getFields())) {
        const args: string[] = [];
        for (const arg of field.args) {
          if (!isNonNullType(arg.type) || arg.defaultValue !== undefined) continue;
          const value = argumentValue(field, arg.name, eventId);
          if (value === undefined) unguessable.push(`Query.${field.name}(${arg.name})`);
          else
            args.push(
              `${arg.name}: ${isLeafType(getNamedType(arg.type)) && arg.name === 'actorType' ? value : JSON.stringify(value)}`,
            );
        }
        const named = getNamedType(field.type);
        const selection = isObjectType(named) ? ` { ${selectAll(named, 4)} }` : '';
        const operation = `{ ${field.name}${args.length > 0 ? `(${args.join(', ')})` : ''}${selection} }`;
        for (const headers of Object.values(callers)) {
          const response = await platform.graphql(operation, {}, headers);
          fieldsAnsweringPersonNumbers(query, response.body.data, found);
        }
      }
      // A root field this test cannot call is one it cannot check: give it a value above.
      expect(unguessable).toEqual([]);
      // The test is not vacuous: it does see person numbers, in the marked fields.
      expect(found.size).toBeGreaterThan(3);
      expect([...found].filter((f) => !marked.has(f))).toEqual([]);
    });
  });
});
