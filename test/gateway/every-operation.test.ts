// Every operation gets an answer (issue #9 items 4 and 5): generated operations over every root field of the schema
// the gateway serves, sent by an administrator, a citizen, the integration and a platform operator. Whatever the arguments — literal or
// variable, with defaults, valid or hostile — and however the selection is spread over fragments and directives, the
// answer is never a 5xx, never INTERNAL_SERVER_ERROR, and nothing is logged at error level.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { buildASTSchema, parse, type GraphQLField } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import { ERROR_CODES } from '../../common/errors.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { personAccessToken } from '../support/identity.ts';
import { operationOn, type Operation } from '../support/operations.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

/** Fixed, so a failure is reproduced exactly; fast-check prints it with the counterexample. */
const SEED = 20_261_209;
/** Runs per root field: about 20 fields, four callers each — about 800 requests. */
const RUNS_PER_FIELD = 10;

/** pino's level number for `error`; `fatal` is above it. */
const ERROR_LEVEL = 50;

describe('gateway / every valid operation gets an answer', () => {
  let platform: TestPlatform;
  let callers: Record<string, Record<string, string>>;
  let roots: { kind: 'query' | 'mutation'; field: GraphQLField<unknown, unknown> }[];

  beforeAll(async () => {
    platform = await startTestPlatform();
    const person = async (pid: string) => ({
      authorization: `Bearer ${await personAccessToken(platform, pid)}`,
    });
    callers = {
      administrator: await person(DEMO_PERSONS.kari.pid),
      citizen: await person(DEMO_PERSONS.ola.pid),
      integration: await platform.asIntegration(),
      // The only caller who reaches createOrganization's store.
      operator: await person(DEMO_PERSONS.operator.pid),
    };
    // The root fields the gateway serves, read from the checked-in supergraph it serves (its root fields and their
    // arguments are the API schema's; the full introspection query itself is deeper than the operation limits allow).
    const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
    roots = [
      ...Object.values(schema.getQueryType()!.getFields()).map((field) => ({
        kind: 'query' as const,
        field,
      })),
      ...Object.values(schema.getMutationType()!.getFields()).map((field) => ({
        kind: 'mutation' as const,
        field,
      })),
    ];
  });
  afterAll(() => platform.stop());

  function errorLines(from: number): string[] {
    return platform.logs
      .slice(from)
      .filter((line) => (JSON.parse(line) as { level: number }).level >= ERROR_LEVEL);
  }

  async function answer(operation: Operation, caller: string): Promise<string[]> {
    const logged = platform.logs.length;
    const response = await platform.graphql(operation.query, operation.variables, callers[caller]);
    const problems: string[] = [];
    if (response.status >= 500) problems.push(`${caller}: status ${response.status}`);
    for (const error of response.body.errors ?? []) {
      const code = error.extensions?.code as string;
      if (!(ERROR_CODES as readonly string[]).includes(code) || code === 'INTERNAL_SERVER_ERROR')
        problems.push(`${caller}: ${String(code)} at ${error.path?.join('.') ?? '(operation)'}`);
    }
    for (const line of errorLines(logged)) problems.push(`${caller}: logged ${line.slice(0, 300)}`);
    return problems;
  }

  it('answers generated operations on every root field, for every kind of caller, without a server error', async () => {
    expect(roots.length).toBeGreaterThanOrEqual(15);
    for (const { kind, field } of roots) {
      await fc.assert(
        fc.asyncProperty(operationOn(kind, field), async (operation) => {
          const problems: string[] = [];
          for (const caller of Object.keys(callers)) problems.push(...(await answer(operation, caller)));
          if (problems.length > 0) throw new Error(`${kind} ${field.name}:\n  ${problems.join('\n  ')}`);
        }),
        // Shrinking re-runs the platform many times; the first counterexample, with its seed, is enough.
        { seed: SEED, numRuns: RUNS_PER_FIELD, endOnFailure: true },
      );
    }
  }, 180_000);
});
