// The platform never phones home: while it starts and answers, every connection this process opens goes to a
// loopback address of its own (the gateway, its subgraphs, the test database) and nowhere else.
import dc from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS } from '../../common/demo-identities.ts';
import { POSTGRES_URL } from '../support/database.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

describe('gateway / no phone home', () => {
  // Each client socket, and where it connected (recorded at connect time: a closed socket forgets its peer).
  const created: { target?: string }[] = [];
  const fetchTargets: string[] = [];
  const onSocket = (message: unknown) => {
    const { socket } = message as { socket: Socket };
    const record: { target?: string } = {};
    created.push(record);
    socket.once('connect', () => (record.target = `${socket.remoteAddress}:${socket.remotePort}`));
  };
  const onFetchConnect = (message: unknown) => {
    const { connectParams } = message as { connectParams: { hostname: string; port: string } };
    fetchTargets.push(`${connectParams.hostname}:${connectParams.port}`);
  };
  let platform: TestPlatform;

  beforeAll(async () => {
    dc.subscribe('net.client.socket', onSocket);
    dc.subscribe('undici:client:beforeConnect', onFetchConnect);
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    dc.unsubscribe('net.client.socket', onSocket);
    dc.unsubscribe('undici:client:beforeConnect', onFetchConnect);
    await platform.stop();
  });

  it('switches Apollo telemetry off before the gateway is built', () => {
    expect(process.env.APOLLO_TELEMETRY_DISABLED).toBe('true');
  });

  it('connects only to its own loopback servers', async () => {
    const response = await platform.graphql(
      `{ document(id: "${DEMO_DOCUMENTS.caseFile}") { title organization { name } } }`,
      {},
      await platform.asIntegration(),
    );
    expect(response.body).toEqual({
      data: { document: { title: 'Saksframlegg, sak 2026/114', organization: { name: 'Fjordvik kommune' } } },
    });

    const allowed = new Set(
      [platform.gatewayUrl, ...Object.values(platform.subgraphUrls)].map((u) => new URL(u).host),
    );
    // The configured issuers (here the local stand-ins) are the only other places the gateway may reach.
    const { idporten, maskinporten, altinn } = platform.config;
    for (const url of [idporten.issuer, maskinporten.issuer, altinn.url]) allowed.add(new URL(url!).host);
    if (POSTGRES_URL) allowed.add(`127.0.0.1:${new URL(POSTGRES_URL).port || '5432'}`);

    expect(created.length).toBeGreaterThan(0);
    for (const socket of created) {
      // A socket that never connected would be an attempt somewhere unreachable (a metadata address, say).
      expect(socket.target, 'a socket never connected').toBeDefined();
      expect(allowed).toContain(socket.target);
    }
    for (const target of fetchTargets) expect(allowed).toContain(target);
  });
});
