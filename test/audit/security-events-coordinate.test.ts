// A refusal's response path (aliases the caller chose, list indices) back to the field that refused, as the
// OPERATION_REFUSED event names it.
import { buildSchema, getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { fieldCoordinate } from '../../gateway/audit/field-coordinate.ts';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Organization implements Node { id: ID! name: String! grants: [Grant!]! }
  type Grant implements Node { id: ID! actorId: String! }
  type Query { organization(id: ID!): Organization node(id: ID!): Node }
`);

function coordinate(query: string, path: (string | number)[]): string | undefined {
  const document = parse(query);
  return fieldCoordinate(schema, document, getOperationAST(document)!, path);
}

describe('audit / security events / field coordinate', () => {
  it('names the field behind an alias', () => {
    expect(coordinate('{ o: organization(id: "1") { n: name } }', ['o', 'n'])).toBe('Organization.name');
    expect(coordinate('{ o: organization(id: "1") { id } }', ['o'])).toBe('Query.organization');
  });

  it('skips list indices and follows named and inline fragments to the type they are on', () => {
    const query = `
      query Q { node(id: "1") { ...OnOrganization } }
      fragment OnOrganization on Organization { grants { ... on Grant { who: actorId } } }`;
    expect(coordinate(query, ['node', 'grants', 3, 'who'])).toBe('Grant.actorId');
    expect(coordinate(query, ['node', 'grants'])).toBe('Organization.grants');
  });

  it('answers nothing for a path the operation does not select', () => {
    expect(coordinate('{ organization(id: "1") { name } }', ['organization', 'grants'])).toBeUndefined();
    expect(coordinate('{ organization(id: "1") { name } }', [])).toBeUndefined();
  });

  it('does not loop on a fragment that spreads itself', () => {
    const query = `{ organization(id: "1") { ...A } } fragment A on Organization { ...A name }`;
    expect(coordinate(query, ['organization', 'missing'])).toBeUndefined();
  });
});
