// The shapes an argument must have, by type and name (common/argument-rules.ts): what passes as well as what not.
import {
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLString,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { argumentProblem, MAX_STRING_LENGTH } from '../../common/argument-rules.ts';
import { DEMO_INTEGRATIONS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';

const pass = (name: string, type: Parameters<typeof argumentProblem>[1], value: unknown) =>
  expect(argumentProblem(name, type, value)).toBeNull();

describe('argument rules / what passes', () => {
  it('lets ordinary text through, letters beyond Latin-1 and emoji (surrogate pairs) included', () => {
    pass('name', GraphQLString, 'Ærlig Øvre Åsen — 📄');
    pass('name', GraphQLString, 'x'.repeat(MAX_STRING_LENGTH));
    pass('description', GraphQLString, null);
  });
  it('takes an actorId as a fødselsnummer or an integration id', () => {
    pass('actorId', GraphQLString, DEMO_PERSONS.ola.pid);
    pass('actorId', GraphQLString, DEMO_INTEGRATIONS.innsyn.id);
  });
  it('takes IDs as UUIDs in either case, Ints across int4', () => {
    pass('id', new GraphQLNonNull(GraphQLID), DEMO_RESOURCES.fjordvikRoot.toUpperCase());
    pass('limit', GraphQLInt, 2 ** 31 - 1);
    pass('limit', GraphQLInt, -(2 ** 31));
  });
});

describe('argument rules / what is refused, and where', () => {
  const input = new GraphQLInputObjectType({
    name: 'In',
    fields: { ownerOrgnr: { type: GraphQLString }, ids: { type: new GraphQLList(GraphQLID) } },
  });
  it('names the path into input objects and lists, never the value', () => {
    expect(argumentProblem('input', input, { ownerOrgnr: '91000000' })?.[0]).toBe('input.ownerOrgnr');
    const problem = argumentProblem('input', input, { ids: [DEMO_RESOURCES.fjordvikRoot, 'nope'] });
    expect(problem?.[0]).toBe('input.ids[1]');
    expect(problem?.join(' ')).not.toContain('nope');
  });
  it('refuses NUL, other control characters, lone surrogates and over-long text in any string', () => {
    for (const bad of [
      'a\u0000',
      'a\u001b',
      'a\u007f',
      'a\u009f',
      'a\ud800',
      '\udc00a',
      'x'.repeat(MAX_STRING_LENGTH + 1),
    ])
      expect(argumentProblem('name', GraphQLString, bad)).not.toBeNull();
  });
  it('refuses ids that only look like UUIDs, by type or by name', () => {
    expect(argumentProblem('anything', GraphQLID, '-'.repeat(36))).not.toBeNull();
    expect(
      argumentProblem('grantId', GraphQLString, DEMO_RESOURCES.fjordvikRoot.replaceAll('-', '')),
    ).not.toBeNull();
  });
  it('refuses Ints beyond int4 and numbers that are not integers', () => {
    for (const bad of [2 ** 31, -(2 ** 31) - 1, 1.5, Number.NaN])
      expect(argumentProblem('limit', GraphQLInt, bad)).not.toBeNull();
  });
});
