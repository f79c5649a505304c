// Bad input stops at the door (issue #9 item 5): for every argument of every root field in the supergraph, each bad
// value of the argument's kind — ids that only look like UUIDs, NUL and other control characters, lone surrogates,
// over-long text, malformed organisation and personal numbers — answers 400 BAD_USER_INPUT with the request id,
// before any subgraph is called and without an error-level log line.
import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { BAD } from '../support/argument-values.ts';
import { badArgumentCases, caseOperation, rootFields } from '../support/bad-argument-cases.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
const CASES = badArgumentCases(schema);

describe('gateway / bad arguments stop at the door', () => {
  let platform: TestPlatform;
  let headers: Record<string, string>;
  beforeAll(async () => {
    platform = await startTestPlatform();
    headers = await platform.asIntegration();
  });
  afterAll(() => platform.stop());

  async function expectRefusedAtTheDoor(query: string, variables: Record<string, unknown>) {
    const logged = platform.logs.length;
    const response = await platform.graphql(query, variables, headers);
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    const error = response.body.errors![0]!;
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.requestId).toBe(response.headers.get('x-request-id'));
    const lines = platform.logs
      .slice(logged)
      .map((line) => JSON.parse(line) as { level: number; msg: string });
    // One request came in — the caller's. A subgraph call would be a second.
    expect(lines.filter((line) => line.msg === 'incoming request')).toHaveLength(1);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  }

  it('has a case for every root field that takes arguments', () => {
    const withArgs = rootFields(schema).filter(({ field }) => field.args.length > 0);
    expect(new Set(CASES.map((c) => c.field.name))).toEqual(new Set(withArgs.map(({ field }) => field.name)));
  });

  it.each(CASES.map((c) => [c.title, c] as const))('refuses %s', async (_, c) => {
    await expectRefusedAtTheDoor(caseOperation(c), c.args);
  });

  // No root field takes an Int; a nested one does, and is checked the same way.
  it.each(Object.entries(BAD.int))('refuses a nested Int argument %s', async (_, limit) => {
    await expectRefusedAtTheDoor(
      'query($orgnr: String!, $limit: Int) { organization(orgnr: $orgnr) { auditEvents(limit: $limit) { id } } }',
      { orgnr: '910000004', limit },
    );
  });
});
