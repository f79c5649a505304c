// Introspection and field suggestions (issue #12 item 5). In development any authenticated caller may introspect
// and errors keep graphql-js's "Did you mean …?". In production (FIKS_MODE=production) only persons who administer
// something, and the platform's operators, may introspect; everyone else gets FORBIDDEN; and no suggestion leaves the
// gateway, neither from its own validation nor inside a subgraph's error.
//
// A production gateway cannot log anyone in through the local stand-ins (it requires https identity providers), so
// the production cases run the gateway's GraphQL layer as buildGateway assembles it — createGatewayApollo with
// gatewayPlugins(config) for a production config — on the test platform's database and subgraphs, with the principal
// that authentication would have produced. The development cases also go through HTTP with real credentials.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import type { Config } from '../../common/config.ts';
import { DEMO_DOCUMENTS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { createLogger } from '../../common/logger.ts';
import type { SubgraphName } from '../../common/subgraph-names.ts';
import { createGatewayApollo } from '../../gateway/apollo.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { gatewayParseOptions, gatewayPlugins } from '../../gateway/plugins/index.ts';
import { SUPERGRAPH_FILE } from '../../schema/supergraph-file.ts';
import { asPerson } from '../privileges/support.ts';
import { caseSystem } from '../support/access.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const SCHEMA_QUERY = '{ __schema { queryType { name } } }';
const TYPE_QUERY = '{ __type(name: "Organization") { name } }';
const TYPO = '{ organizaton(orgnr: "910000004") { name } }';
const SUBGRAPH_SUGGESTION = 'Cannot query field "titel" on type "Document". Did you mean "title"?';

const person = (pid: string): Principal => ({ kind: 'person', pid, acr: 'idporten-loa-high' });
const PRINCIPALS: Record<string, Principal> = {
  'Kari (ADMIN on Fjordvik)': person(DEMO_PERSONS.kari.pid),
  'Siri (ADMIN on one service account)': person(DEMO_PERSONS.siri.pid),
  'Olga (platform operator)': person(DEMO_PERSONS.operator.pid),
  'Per (one narrow privilege)': person(DEMO_PERSONS.per.pid),
  'Ola (a citizen)': person(DEMO_PERSONS.ola.pid),
  'the demo case system (an integration)': caseSystem,
};
const ADMINISTRATORS = new Set([
  'Kari (ADMIN on Fjordvik)',
  'Siri (ADMIN on one service account)',
  'Olga (platform operator)',
]);

interface Answer {
  status: number;
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

describe('gateway / introspection and field suggestions', () => {
  let platform: TestPlatform;
  /** A "documents subgraph" that answers every call with a validation error carrying a suggestion. */
  let suggesting: Server;
  let suggestingUrl: string;
  const apollos: ApolloServer<GatewayContext>[] = [];
  const logger = createLogger({ level: 'silent', name: 'test', destination: { write: () => undefined } });

  beforeAll(async () => {
    platform = await startTestPlatform();
    suggesting = createServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          data: null,
          errors: [{ message: SUBGRAPH_SUGGESTION, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
        }),
      );
    });
    await new Promise<void>((resolve) => suggesting.listen(0, '127.0.0.1', resolve));
    suggestingUrl = `http://127.0.0.1:${(suggesting.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    for (const apollo of apollos) await apollo.stop();
    await new Promise((resolve) => suggesting?.close(resolve));
    await platform?.stop();
  });

  /** The gateway's GraphQL layer as buildGateway assembles it, for a configuration in `mode`. */
  async function gatewayIn(
    mode: Config['mode'],
    subgraphUrls: Partial<Record<SubgraphName, string>> = {},
  ): Promise<(principal: Principal, query: string) => Promise<Answer>> {
    const config: Config = { ...platform.config, mode };
    const supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
    const apollo = await createGatewayApollo({
      subgraphUrls: { ...platform.subgraphUrls, ...subgraphUrls },
      subgraphCalls: config.subgraphCalls,
      signer: platform.signer,
      logger,
      supergraphSdl,
      plugins: gatewayPlugins(config, { db: platform.db, supergraphSdl }),
      parseOptions: gatewayParseOptions(config),
    });
    apollos.push(apollo);
    return async (principal, query) => {
      const contextValue = { requestId: randomUUID(), principal, log: logger };
      const response = await apollo.executeOperation({ query }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = response.body.singleResult;
      return { status: response.http.status ?? 200, data, errors } as Answer;
    };
  }

  describe('in production', () => {
    let run: Awaited<ReturnType<typeof gatewayIn>>;
    beforeAll(async () => {
      run = await gatewayIn('production');
    });

    it.each(Object.keys(PRINCIPALS))('lets %s introspect only if they administer something', async (name) => {
      const principal = PRINCIPALS[name]!;
      for (const query of [SCHEMA_QUERY, TYPE_QUERY]) {
        const answer = await run(principal, query);
        if (ADMINISTRATORS.has(name)) {
          expect(answer.errors, query).toBeUndefined();
          expect(answer.data, query).toBeTruthy();
        } else {
          expect(answer.status, query).toBe(403);
          expect(answer.data ?? null, query).toBeNull();
          expect(answer.errors?.[0]?.extensions?.code, query).toBe('FORBIDDEN');
        }
      }
    });

    it('still lets anyone ask for __typename', async () => {
      const answer = await run(PRINCIPALS['Ola (a citizen)']!, '{ __typename }');
      expect(answer).toMatchObject({ status: 200, data: { __typename: 'Query' } });
    });

    it("answers GraphiQL's whole introspection query for an administrator", async () => {
      const answer = await run(PRINCIPALS['Kari (ADMIN on Fjordvik)']!, getIntrospectionQuery());
      expect(answer.errors).toBeUndefined();
      const types = (answer.data?.__schema as { types: { name: string }[] }).types.map((type) => type.name);
      expect(types).toContain('Organization');
    });

    it('names no field in a validation error, for an administrator either', async () => {
      const answer = await run(PRINCIPALS['Kari (ADMIN on Fjordvik)']!, TYPO);
      expect(answer.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(answer.errors?.[0]?.message).toBe('Cannot query field "organizaton" on type "Query".');
    });

    it("strips the suggestion from a subgraph's error", async () => {
      const through = await gatewayIn('production', { documents: suggestingUrl });
      const answer = await through(caseSystem, `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title } }`);
      const messages = answer.errors?.map((error) => error.message) ?? [];
      expect(messages).toContain('Cannot query field "titel" on type "Document".');
      expect(JSON.stringify(answer)).not.toContain('Did you mean');
    });
  });

  describe('in development', () => {
    let run: Awaited<ReturnType<typeof gatewayIn>>;
    beforeAll(async () => {
      run = await gatewayIn('development');
    });

    it.each(Object.keys(PRINCIPALS))('lets %s introspect', async (name) => {
      for (const query of [SCHEMA_QUERY, TYPE_QUERY]) {
        const answer = await run(PRINCIPALS[name]!, query);
        expect(answer.errors, query).toBeUndefined();
      }
    });

    it('lets a person without privileges and an integration introspect over HTTP, and nobody unauthenticated', async () => {
      const per = await platform.graphql(SCHEMA_QUERY, {}, await asPerson(platform, DEMO_PERSONS.per.pid));
      expect(per.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const integration = await platform.graphql(SCHEMA_QUERY, {}, await platform.asIntegration());
      expect(integration.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
      const anonymous = await platform.graphql(SCHEMA_QUERY);
      expect(anonymous.status).toBe(401);
    });

    it('keeps the suggestions, from the gateway and from a subgraph', async () => {
      const kari = PRINCIPALS['Kari (ADMIN on Fjordvik)']!;
      expect((await run(kari, TYPO)).errors?.[0]?.message).toBe(
        'Cannot query field "organizaton" on type "Query". Did you mean "organization" or "organizations"?',
      );
      const through = await gatewayIn('development', { documents: suggestingUrl });
      const answer = await through(caseSystem, `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title } }`);
      expect(answer.errors?.map((error) => error.message)).toContain(SUBGRAPH_SUGGESTION);
    });
  });
});
