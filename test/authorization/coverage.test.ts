// Every field of the composed supergraph has a rule in the subgraph that resolves it; no field is public; and the
// fields that hold tenant or personal data ask for more than a login.
import { readFileSync } from 'node:fs';
import { buildASTSchema, isObjectType, parse, type GraphQLObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { isPublic } from '../../access/policy.ts';
import { isAuthenticated } from '../../access/rules.ts';
import { SUBGRAPH_PERMISSIONS } from '../../subgraphs/permissions.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';

const supergraph = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));

/** Which subgraphs resolve type.field, read from the supergraph's join directives. */
function ownersOf(type: GraphQLObjectType, field: string): SubgraphName[] {
  const graphsOf = (
    directives:
      | readonly {
          name: { value: string };
          arguments?: readonly { name: { value: string }; value: unknown }[];
        }[]
      | undefined,
    name: string,
  ) =>
    (directives ?? [])
      .filter((d) => d.name.value === name)
      .map(
        (d) =>
          (d.arguments?.find((a) => a.name.value === 'graph')?.value as { value: string } | undefined)?.value,
      )
      .filter((g): g is string => g !== undefined)
      .map((g) => g.toLowerCase() as SubgraphName);
  const fieldNode = type.astNode?.fields?.find((f) => f.name.value === field);
  const fromField = graphsOf(fieldNode?.directives, 'join__field');
  return fromField.length > 0 ? fromField : graphsOf(type.astNode?.directives, 'join__type');
}

const dataTypes = Object.values(supergraph.getTypeMap()).filter(
  (t): t is GraphQLObjectType =>
    isObjectType(t) &&
    !t.name.startsWith('__') &&
    !t.name.startsWith('join__') &&
    !t.name.startsWith('link__'),
);

/** Types whose every field is tenant or personal data, and the tenant-data fields of Organization. */
const SENSITIVE: Record<string, string[] | 'all'> = {
  Resource: 'all',
  Grant: 'all',
  Integration: 'all',
  Document: 'all',
  AuditEvent: 'all',
  AuditEventProof: 'all',
  AuditLogVerification: 'all',
  AuditLogProblem: 'all',
  // Reading the audit log: pages of events, the snooping report's actors, a person's access log.
  AuditLogPage: 'all',
  SnoopingReport: 'all',
  SnoopingActor: 'all',
  AccessLogPage: 'all',
  AccessLogEntry: 'all',
  Organization: ['rootResource', 'resources', 'integrations', 'documents', 'auditEvents'],
};

describe('authorization / coverage', () => {
  it('has a rule for every field in every subgraph that resolves it', () => {
    const missing: string[] = [];
    for (const type of dataTypes) {
      for (const field of Object.keys(type.getFields())) {
        for (const owner of ownersOf(type, field)) {
          if (!SUBGRAPH_PERMISSIONS[owner][type.name]?.[field])
            missing.push(`${owner}: ${type.name}.${field}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(dataTypes.length).toBeGreaterThan(5);
  });

  it('lists no rule for a field that does not exist (a stale rule hides a missing one)', () => {
    const stale: string[] = [];
    for (const [name, permissions] of Object.entries(SUBGRAPH_PERMISSIONS)) {
      for (const [type, fields] of Object.entries(permissions)) {
        const schemaType = supergraph.getType(type);
        for (const field of Object.keys(fields)) {
          if (!isObjectType(schemaType) || !schemaType.getFields()[field])
            stale.push(`${name}: ${type}.${field}`);
        }
      }
    }
    expect(stale).toEqual([]);
  });

  it('makes no field public', () => {
    const open: string[] = [];
    for (const [name, permissions] of Object.entries(SUBGRAPH_PERMISSIONS)) {
      for (const [type, fields] of Object.entries(permissions)) {
        for (const [field, policy] of Object.entries(fields))
          if (isPublic(policy)) open.push(`${name}: ${type}.${field}`);
      }
    }
    expect(open).toEqual([]);
  });

  it('asks for more than a login for tenant and personal data', () => {
    const weak: string[] = [];
    for (const [name, permissions] of Object.entries(SUBGRAPH_PERMISSIONS)) {
      for (const [type, fields] of Object.entries(permissions)) {
        const sensitive = SENSITIVE[type];
        for (const [field, policy] of Object.entries(fields)) {
          const isSensitive = sensitive === 'all' || (Array.isArray(sensitive) && sensitive.includes(field));
          if (isSensitive && policy === isAuthenticated) weak.push(`${name}: ${type}.${field}`);
        }
      }
    }
    expect(weak).toEqual([]);
  });
});
