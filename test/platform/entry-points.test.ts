// The commands a user runs: the whole platform, one subgraph alone, and a bad configuration.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runEntryPoint, type Child } from '../support/child.ts';
import { createTestDatabase } from '../support/database.ts';

const EPHEMERAL = {
  GATEWAY_PORT: '0',
  ORGANIZATIONS_URL: 'http://127.0.0.1:0/graphql',
  INTEGRATIONS_URL: 'http://127.0.0.1:0/graphql',
  DOCUMENTS_URL: 'http://127.0.0.1:0/graphql',
  AUDIT_URL: 'http://127.0.0.1:0/graphql',
  LOG_LEVEL: 'warn',
};

// Child processes start tsx and PGlite from scratch; on a busy 2-core machine that takes a while.
describe('entry points', { timeout: 120_000 }, () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const fn of cleanup.reverse()) await fn();
  });
  async function databaseEnv(): Promise<Record<string, string>> {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    // The data folder (demo credentials, the audit log's key and witness) is the test's own, on PostgreSQL too.
    const dir = await mkdtemp(join(tmpdir(), 'fiks-start-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    if (db.target.kind === 'postgres')
      return { DATABASE_URL: db.target.url, PGLITE_DIR: join(dir, 'pglite') };
    return { PGLITE_DIR: join(dir, 'pglite') };
  }
  function track(child: Child): Child {
    cleanup.push(() => child.stop('SIGKILL'));
    return child;
  }

  it('npm start runs the platform with demo data and the stand-ins, and stops cleanly on Ctrl-C', async () => {
    const env = { ...EPHEMERAL, ...(await databaseEnv()) };
    const child = track(runEntryPoint('bin/start.ts', [], env));
    const [, url] = await child.waitFor(/GraphQL: (http:\/\/127\.0\.0\.1:\d+\/graphql)/);
    await child.waitFor(/Stop with Ctrl-C/);

    // Without credentials: refused, with the way to log in.
    const anonymous = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ organizations { name } }' }),
    });
    expect(anonymous.status).toBe(401);

    // The documented command: a token from the local Maskinporten, then the gateway as the demo integration.
    const demo = track(
      runEntryPoint(
        'bin/demo-integration.ts',
        ['{ document(id: "d0000000-0000-4000-8000-000000000004") { title organization { name } } }'],
        env,
      ),
    );
    expect(await demo.exited).toBe(0);
    expect(demo.output()).toContain('Got a Maskinporten token (scope ks:fiks)');
    expect(demo.output()).toContain('"title": "Saksframlegg, sak 2026/114"');
    expect(demo.output()).toContain('"name": "Fjordvik kommune"');

    const page = await fetch(url!.replace('/graphql', '/'));
    expect(page.headers.get('content-type')).toContain('text/html');
    const login = await fetch(url!.replace('/graphql', '/auth/login'), { redirect: 'manual' });
    expect(login.status).toBe(303);
    expect(await child.stop('SIGINT')).toBe(0);
  });

  it('starts one subgraph alone on its own port, closed to calls without a caller token', async () => {
    const child = track(
      runEntryPoint('bin/subgraph.ts', ['documents'], {
        SUBGRAPH_PORT: '0',
        CALLER_JWKS_URL: 'http://127.0.0.1:9/.well-known/caller-jwks.json',
        LOG_LEVEL: 'warn',
        ...(await databaseEnv()),
      }),
    );
    const [, url] = await child.waitFor(
      /subgraph documents is running at (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
    );
    expect((await fetch(url!.replace('/graphql', '/healthz'))).status).toBe(200);
    const refused = await fetch(url!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ document(id: "x") { title } }' }),
    });
    expect(refused.status).toBe(401);
    expect(await child.stop('SIGTERM')).toBe(0);
  });

  it('refuses to serve a subgraph over TLS under an http URL, naming the variable', async () => {
    const child = track(
      runEntryPoint('bin/subgraph.ts', ['documents'], {
        SUBGRAPH_TLS_CERT_FILE: '/nonexistent/subgraph.pem',
        SUBGRAPH_TLS_KEY_FILE: '/nonexistent/subgraph.key',
        DOCUMENTS_URL: 'http://127.0.0.1:4003/graphql',
      }),
    );
    // 1, as every refusal found once the configuration is read (bin/run.ts); 2 is a value that does not parse.
    expect(await child.exited).toBe(1);
    expect(child.output()).toContain(
      'DOCUMENTS_URL: must be an https URL when SUBGRAPH_TLS_CERT_FILE is set',
    );
  });

  it('refuses to start with a bad value and names the variable', async () => {
    const child = track(runEntryPoint('bin/start.ts', [], { GATEWAY_PORT: 'eighty' }));
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain('GATEWAY_PORT');
  });

  it('refuses to start in production without a database', async () => {
    const child = track(
      runEntryPoint('bin/gateway.ts', [], { FIKS_MODE: 'production', SEED_DEMO_DATA: 'false' }),
    );
    expect(await child.exited).toBe(2);
    expect(child.output()).toContain('DATABASE_URL');
  });
});
