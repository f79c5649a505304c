// Operation limits on the whole platform: an operation past a limit is answered 400 with the limit's own code, the
// limit and its value, and the request id; before the authorization walk asks the privilege store anything, and
// without any subgraph being called. The operations the README and the explorer show still run.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEMO_PERSONS } from '../../../common/demo-identities.ts';
import { personAccessToken } from '../../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../../support/platform.ts';
import { cycle, explorerExample, readmeOperations, typenameAliases } from './operations.ts';

describe('gateway / operation limits', () => {
  let platform: TestPlatform;
  /** Per Saksbehandler: one narrow grant (SVARUT.SEND on Fjordvik's Oppvekst department). */
  let per: Record<string, string>;
  let kari: Record<string, string>;
  beforeAll(async () => {
    platform = await startTestPlatform();
    per = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.per.pid)}` };
    kari = { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}` };
  });
  afterAll(() => platform.stop());

  /** Requests the subgraphs received: each logs every request. */
  const subgraphRequests = () =>
    platform.logs.filter((l) => l.includes('"subgraph"') && l.includes('incoming request')).length;

  /**
   * Sends the operation and counts what it cost behind the gateway: subgraph requests and questions to the privilege
   * store (the `organizations.` functions the rule walk calls, access/privileges.ts). Only those: the one database
   * also takes statements this request did not cause — an earlier request's audit events committed in the
   * background, a session's touch — and counting them would make the test a race.
   */
  async function sendCounting(query: string, headers: Record<string, string>) {
    const sql = vi.spyOn(platform.db, 'query');
    const before = subgraphRequests();
    try {
      const response = await platform.graphql(query, {}, headers);
      const privilegeQueries = sql.mock.calls.filter(([text]) => text.includes('organizations.')).length;
      return { response, subgraphCalls: subgraphRequests() - before, sqlStatements: privilegeQueries };
    } finally {
      sql.mockRestore();
    }
  }

  function expectRefused(response: GraphQLResponse, code: string, limit: string, value: number) {
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    expect(response.body.errors).toHaveLength(1);
    const [error] = response.body.errors!;
    expect(error!.extensions?.code).toBe(code);
    expect(error!.message).toBe(`Operation exceeds the ${limit} limit: the maximum is ${value}.`);
    expect(error!.extensions?.requestId).toBe(response.headers.get('x-request-id'));
  }

  it('runs the cycle within the depth limit for a caller with one narrow grant', async () => {
    const { response, subgraphCalls, sqlStatements } = await sendCounting(cycle(6), per);
    expect(response.body.errors).toBeUndefined();
    expect(subgraphCalls).toBeGreaterThan(0);
    // The count below sees the privilege store's questions when there are some (the refusals' 0 means something).
    expect(sqlStatements).toBeGreaterThan(0);
  });

  it.each([7, 12, 60])(
    'refuses the cycle %i deep with MAX_DEPTH_EXCEEDED, before any privilege query or subgraph call',
    async (depth) => {
      const { response, subgraphCalls, sqlStatements } = await sendCounting(cycle(depth), per);
      expectRefused(response, 'MAX_DEPTH_EXCEEDED', 'depth', 6);
      expect(subgraphCalls).toBe(0);
      expect(sqlStatements).toBe(0);
    },
  );

  it.each(['named fragments', 'inline fragments', 'nested fragments'] as const)(
    'refuses the cycle hidden in %s',
    async (nesting) => {
      const { response, subgraphCalls } = await sendCounting(cycle(9, nesting), per);
      expectRefused(response, 'MAX_DEPTH_EXCEEDED', 'depth', 6);
      expect(subgraphCalls).toBe(0);
    },
  );

  it('refuses an alias flood with MAX_ALIASES_EXCEEDED, before any subgraph call', async () => {
    for (const query of [
      typenameAliases(16),
      typenameAliases(300),
      `{ ${Array.from({ length: 16 }, (_, i) => `m${i}: me { kind }`).join(' ')} }`,
    ]) {
      const { response, subgraphCalls, sqlStatements } = await sendCounting(query, per);
      expectRefused(response, 'MAX_ALIASES_EXCEEDED', 'aliases', 15);
      expect(subgraphCalls).toBe(0);
      expect(sqlStatements).toBe(0);
    }
  });

  it('refuses too many root fields, directives and too high a cost, each with its own code', async () => {
    const cases: [string, string, string, number][] = [
      [`{ ${'me { kind } '.repeat(11)}}`, 'MAX_ROOT_FIELDS_EXCEEDED', 'root fields', 10],
      [`{ me { ${'kind @include(if: true) '.repeat(51)}} }`, 'MAX_DIRECTIVES_EXCEEDED', 'directives', 50],
      [
        '{ organizations { resources { children { descendants { name } } } } }',
        'MAX_COST_EXCEEDED',
        'cost',
        5000,
      ],
    ];
    for (const [query, code, limit, value] of cases) {
      const { response, subgraphCalls } = await sendCounting(query, per);
      expectRefused(response, code, limit, value);
      expect(subgraphCalls).toBe(0);
    }
  });

  it('refuses a huge document with MAX_TOKENS_EXCEEDED while parsing, whether valid or not', async () => {
    for (const query of [
      `{ me { ${'kind '.repeat(1000)}} }`,
      `{ me { ${'kind '.repeat(20_000)}} }`,
      // Broken after the limit: parsing stopped before reaching the syntax error.
      `{ me { ${'kind '.repeat(1000)}} `,
      `query Q { me { kind } } ${'query Q { me { kind } } '.repeat(200)}`,
    ]) {
      const { response, subgraphCalls } = await sendCounting(query, per);
      expectRefused(response, 'MAX_TOKENS_EXCEEDED', 'tokens', 1000);
      expect(subgraphCalls).toBe(0);
    }
  });

  it('refuses past a limit over GET too', async () => {
    const response = await fetch(`${platform.gatewayUrl}/graphql?query=${encodeURIComponent(cycle(8))}`, {
      headers: { ...per, 'apollo-require-preflight': 'true' },
    });
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(response.status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_EXCEEDED');
  });

  it("runs the explorer's example for the organisation's administrator", async () => {
    const response = await platform.graphql(explorerExample(), {}, kari);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.organization).toBeTruthy();
  });

  it("runs the README's operations for the demo integration", async () => {
    const integration = await platform.asIntegration();
    for (const [name, query] of Object.entries(readmeOperations())) {
      const response = await platform.graphql(query, {}, integration);
      expect(response.body.errors, name).toBeUndefined();
      expect(response.body.data, name).toBeTruthy();
    }
  });
});
