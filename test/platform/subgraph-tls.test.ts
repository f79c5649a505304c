// TLS between the gateway and its subgraphs: subgraphs serve HTTPS with a certificate from the platform's own CA
// (SUBGRAPH_TLS_CERT_FILE), and the gateway trusts that CA and no other (SUBGRAPH_CA_FILE) on every way it reaches
// them — GraphQL calls, the streamed audit export, /readyz — presenting its own certificate from that CA, which the
// subgraphs require (SUBGRAPH_CLIENT_CERT_FILE, SUBGRAPH_CLIENT_CA_FILE). A gateway that does not trust their
// certificate, or that they do not trust, gets nothing from them and says so with its usual codes, naming no
// certificate to the caller.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { asPerson } from '../privileges/support.ts';
import { startGatewayWith } from '../support/gateway.ts';
import { integrationHeaders } from '../support/identity.ts';
import { issueCertificate, makeTestCa, type TestCa } from '../support/certificates.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const ME = JSON.stringify({ query: '{ me { kind organization { orgnr } } }' });

describe('platform / TLS between gateway and subgraphs', () => {
  let dir: string;
  let platformCa: TestCa;
  let otherCa: TestCa;
  let platform: TestPlatform;
  let gatewayCertificate: { certFile: string; keyFile: string };
  let otherGatewayCertificate: { certFile: string; keyFile: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fiks-subgraph-tls-'));
    platformCa = makeTestCa(dir, 'platform-ca');
    otherCa = makeTestCa(dir, 'other-ca');
    const subgraph = issueCertificate(dir, platformCa, 'subgraph');
    gatewayCertificate = issueCertificate(dir, platformCa, 'fiks-gateway', 'clientAuth');
    otherGatewayCertificate = issueCertificate(dir, otherCa, 'other-gateway', 'clientAuth');
    platform = await startTestPlatform({
      SUBGRAPH_TLS_CERT_FILE: subgraph.certFile,
      SUBGRAPH_TLS_KEY_FILE: subgraph.keyFile,
      SUBGRAPH_CLIENT_CA_FILE: platformCa.certFile,
      SUBGRAPH_CA_FILE: platformCa.certFile,
      SUBGRAPH_CLIENT_CERT_FILE: gatewayCertificate.certFile,
      SUBGRAPH_CLIENT_KEY_FILE: gatewayCertificate.keyFile,
    });
  });
  afterAll(async () => {
    await platform?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The integration's query through `gateway` is answered 503 SERVICE_UNAVAILABLE, naming no certificate. */
  async function expectUnavailable(gateway: string) {
    const answer = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await integrationHeaders(platform)) },
      body: ME,
    });
    const text = await answer.text();
    expect(answer.status).toBe(503);
    const body = JSON.parse(text) as { errors: { extensions: Record<string, unknown> }[] };
    expect(body.errors.map((error) => error.extensions.code)).toContain('SERVICE_UNAVAILABLE');
    expect(text).not.toMatch(/certificate|CERT|issuer|self.signed/i);
  }

  const readiness = async (base: string) => {
    const response = await fetch(`${base}/readyz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('serves every subgraph over HTTPS only, and the gateway answers through them', async () => {
    for (const url of Object.values(platform.subgraphUrls))
      expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//);

    const answer = await fetch(`${platform.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await integrationHeaders(platform)) },
      body: ME,
    });
    expect(await answer.json()).toEqual({
      data: { me: { kind: 'INTEGRATION', organization: { orgnr: DEMO_ORGS.vendor.orgnr } } },
    });
    expect(await readiness(platform.gatewayUrl)).toMatchObject({ status: 200, body: { status: 'ready' } });

    // The streamed route too: Kari exports Fjordvik's audit log through the gateway.
    const exported = await fetch(
      `${platform.gatewayUrl}/audit/export?${new URLSearchParams({
        orgnr: DEMO_ORGS.fjordvik.orgnr,
        from: '2000-01-01T00:00:00Z',
        to: '2100-01-01T00:00:00Z',
      }).toString()}`,
      { headers: await asPerson(platform, DEMO_PERSONS.kari.pid) },
    );
    expect(exported.status).toBe(200);
    expect(exported.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    await exported.body?.cancel();

    // Plain HTTP to a subgraph's port gets no HTTP answer: TLS or nothing.
    const { port } = new URL(platform.subgraphUrls.organizations);
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () =>
        socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
      );
      let received = '';
      socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
      socket.on('close', () => resolve(received));
      socket.on('error', () => resolve(received));
    });
    expect(reply).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('refuses subgraphs whose certificate another CA signed: not ready, 503 SERVICE_UNAVAILABLE, no certificate named', async () => {
    const gateway = await startGatewayWith(platform, {}, { SUBGRAPH_CA_FILE: otherCa.certFile });
    try {
      expect(await readiness(gateway.url)).toEqual({
        status: 503,
        body: {
          status: 'not ready',
          checks: {
            database: 'ready',
            organizations: 'not ready',
            integrations: 'not ready',
            documents: 'not ready',
            audit: 'not ready',
            'credential-notifications': 'ready',
          },
        },
      });
      await expectUnavailable(gateway.url);
      // The operator's log says why.
      expect(gateway.logs.join('\n')).toContain('certificate refused');
    } finally {
      await gateway.stop();
    }
  });

  /** Asks a subgraph directly over HTTPS, trusting the platform's CA, with the client certificate given (if any). */
  function askSubgraph(
    path: string,
    init: {
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      client?: { certFile: string; keyFile: string };
    },
  ): Promise<{ status: number; body: string }> {
    const url = new URL(path, platform.subgraphUrls.documents);
    return new Promise((resolve, reject) => {
      const outgoing = httpsRequest(
        url,
        {
          method: init.method ?? 'GET',
          headers: init.headers,
          ca: readFileSync(platformCa.certFile),
          ...(init.client
            ? { cert: readFileSync(init.client.certFile), key: readFileSync(init.client.keyFile) }
            : {}),
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(init.body);
    });
  }

  it("refuses at each subgraph's door a request without the gateway's client certificate, before its caller token", async () => {
    const graphql = (client?: { certFile: string; keyFile: string }) =>
      askSubgraph('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${platform.signer.tokenFor({ kind: 'integration', integrationId: platform.demoIntegration!.id, orgnr: DEMO_ORGS.vendor.orgnr }, 'documents', randomUUID())}`,
        },
        body: JSON.stringify({ query: '{ __typename }' }),
        client,
      });
    for (const client of [undefined, otherGatewayCertificate]) {
      const refused = await graphql(client);
      expect(refused.status).toBe(401);
      expect(
        (JSON.parse(refused.body) as { errors: { message: string; extensions: { code: string } }[] })
          .errors[0],
      ).toMatchObject({
        message: 'A valid client certificate is required.',
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    // With the gateway's certificate the same kind of call is served.
    expect(await graphql(gatewayCertificate)).toMatchObject({
      status: 200,
      body: '{"data":{"__typename":"Query"}}\n',
    });
    // An orchestrator's probes need no certificate.
    expect((await askSubgraph('/healthz', {})).status).toBe(200);
    expect((await askSubgraph('/readyz', {})).status).toBe(200);
  });

  it('gets nothing from subgraphs that do not take its client certificate: 503 SERVICE_UNAVAILABLE', async () => {
    for (const client of <Record<string, string>[]>[
      {},
      {
        SUBGRAPH_CLIENT_CERT_FILE: otherGatewayCertificate.certFile,
        SUBGRAPH_CLIENT_KEY_FILE: otherGatewayCertificate.keyFile,
      },
    ]) {
      const gateway = await startGatewayWith(
        platform,
        {},
        { SUBGRAPH_CA_FILE: platformCa.certFile, ...client },
      );
      try {
        await expectUnavailable(gateway.url);
      } finally {
        await gateway.stop();
      }
    }
  });
});
