// The standard introspection query (what GraphiQL sends for its schema) is exempt from the shape limits, and only
// it: the measurement alone refuses it (its TypeRef fragment is deeper than the depth limit), a query that differs
// from it in any field is measured as usual, and an operation hidden beside it in the same document is too.
import { readFileSync } from 'node:fs';
import { buildASTSchema, getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { resolveOperationLimits } from '../../../gateway/plugins/operation-limits/limits.ts';
import { measureDocument } from '../../../gateway/plugins/operation-limits/measure.ts';
import { isStandardIntrospection } from '../../../gateway/plugins/operation-limits/standard-introspection.ts';
import { SUPERGRAPH_FILE } from '../../../schema/supergraph-file.ts';
import { cycle } from './operations.ts';

const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));

describe('operation limits / the standard introspection query', () => {
  it.each([
    [
      'as GraphiQL sends it',
      getIntrospectionQuery({ schemaDescription: false, inputValueDeprecation: false }),
    ],
    [
      'with every GraphiQL option',
      getIntrospectionQuery({ schemaDescription: true, inputValueDeprecation: true }),
    ],
    [
      'retried without the subscription type',
      getIntrospectionQuery().replace('subscriptionType { name }', ''),
    ],
    ['written on one line', getIntrospectionQuery().replace(/\s+/g, ' ')],
  ])('is recognised %s, which the measurement alone would refuse', (_, query) => {
    const document = parse(query);
    expect(measureDocument(document, schema, resolveOperationLimits({}))?.code).toBe('MAX_DEPTH_EXCEEDED');
    expect(isStandardIntrospection(document)).toBe(true);
  });

  it.each([
    [
      'one more level of ofType',
      getIntrospectionQuery().replace(
        '                        kind\n                      }',
        '                        kind ofType { name }\n                      }',
      ),
    ],
    [
      'fields of a field type',
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    ],
    ['another operation beside it', `${getIntrospectionQuery()} query Deep ${cycle(7)}`],
    ['another name', getIntrospectionQuery().replace('query IntrospectionQuery', 'query Other')],
  ])('is not stretched to %s', (_, query) => {
    expect(isStandardIntrospection(parse(query))).toBe(false);
  });
});
