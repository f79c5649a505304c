// npm run demo:documents -- <command>: the document store against the running platform (npm start), as its users
// use it. The case system (the demo integration) sends a citizen a document; the citizen (Ola Innbygger, logged in
// through the gateway's browser login at the local ID-porten's test login) lists, reads and deletes it.
//
//   send <file> [--level 4]   as the case system: upload <file> for Ola into Fjordvik's document account
//   status <id>               as the case system: what the uploader sees (delivered, read, deleted — no title)
//   inbox                     as Ola: her documents
//   read <id> <out-file>      as Ola: download the content to <out-file>
//   delete <id>               as Ola: delete it (its key is destroyed at once)
//
// Content moves through the gateway's /documents/content/<link>, streamed both ways; GraphQL carries metadata only.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { getMaskinportenToken } from '../common/maskinporten-client.ts';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../common/demo-identities.ts';
import { readDemoCredentials } from './demo-credentials.ts';
import { DOCUMENT_STATUS, START_UPLOAD } from './demo-operations.ts';
import { loginWithTestId, TestBrowser } from '../simulators/idporten-browser.ts';
import { run } from './run.ts';

const [command = '', ...args] = process.argv.slice(2);
const MIME: Record<string, string> = { '.pdf': 'application/pdf', '.txt': 'text/plain', '.png': 'image/png' };

await run('fiks-demo-documents', async (config) => {
  const credentials = await readDemoCredentials(config.pgliteDir);
  const gateway = credentials.gatewayUrl;

  async function asCaseSystem(): Promise<Record<string, string>> {
    const { access_token: token } = await getMaskinportenToken({
      issuer: credentials.maskinporten.issuer,
      clientId: credentials.maskinporten.clientId,
      privateKey: credentials.maskinporten.privateJwk,
      scope: credentials.maskinporten.scope,
    });
    return {
      authorization: `Bearer ${token}`,
      IntegrasjonId: credentials.integrationId,
      IntegrasjonPassord: credentials.password,
    };
  }

  /** Ola's browser login through the gateway; the level 4 documents need `high`. */
  async function asOla(): Promise<Record<string, string>> {
    const browser = new TestBrowser();
    const start = await browser.request(new URL('/auth/login?acr=idporten-loa-high', gateway));
    const location = start.headers.get('location');
    if (!location) throw new Error(`login did not start: ${start.status}`);
    const landed = await browser.request(
      await loginWithTestId(location, { pid: DEMO_PERSONS.ola.pid, level: 'high' }, browser),
    );
    const session = landed.headers.getSetCookie().find((line) => line.startsWith('fiks_session='));
    if (!session) throw new Error(`login failed: ${landed.status}`);
    return { cookie: session.split(';')[0]!, 'x-requested-with': 'demo-documents' };
  }

  async function graphql(
    headers: Record<string, string>,
    query: string,
    variables: Record<string, unknown> = {},
  ) {
    const response = await fetch(`${gateway}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown };
    if (body.errors) {
      console.log(JSON.stringify(body.errors, null, 2));
      process.exit(1);
    }
    return body.data!;
  }

  await act();
  process.exit(0);

  async function act(): Promise<void> {
    switch (command) {
      case 'send': {
        const path = args[0];
        if (!path) throw new Error('usage: send <file> [--level 4]');
        const level = args.includes('--level') && args[args.indexOf('--level') + 1] === '4' ? 4 : 3;
        const headers = await asCaseSystem();
        const data = await graphql(
          headers,
          START_UPLOAD, // a trusted operation (schema/operations/demo.json)
          {
            input: {
              accountId: DEMO_RESOURCES.fjordvikDocuments,
              title: basename(path),
              mimeType: MIME[extname(path).toLowerCase()] ?? 'application/octet-stream',
              securityLevel: level,
              exposedTo: [{ kind: 'PERSON', value: DEMO_PERSONS.ola.pid }],
            },
          },
        );
        const link = data.startDocumentUpload as { documentId: string; path: string };
        const size = (await stat(path)).size;
        const response = await fetch(new URL(link.path, gateway), {
          method: 'PUT',
          headers: { ...headers, 'content-type': 'application/octet-stream', 'content-length': String(size) },
          body: Readable.toWeb(createReadStream(path)) as ReadableStream,
          duplex: 'half',
        });
        console.log(`PUT ${link.path.slice(0, 28)}… → ${response.status}`);
        console.log(JSON.stringify(await response.json(), null, 2));
        return;
      }
      case 'status': {
        const data = await graphql(
          await asCaseSystem(),
          DOCUMENT_STATUS, // a trusted operation (schema/operations/demo.json)
          { id: args[0] },
        );
        console.log(JSON.stringify(data, null, 2));
        return;
      }
      case 'inbox': {
        const data = await graphql(
          await asOla(),
          '{ myDocuments { id title mimeType sizeBytes securityLevel createdAt readAt } }',
        );
        console.log(JSON.stringify(data, null, 2));
        return;
      }
      case 'read': {
        const [id, out] = args;
        if (!id || !out) throw new Error('usage: read <id> <out-file>');
        const headers = await asOla();
        const data = await graphql(
          headers,
          'mutation ($id: ID!) { startDocumentDownload(id: $id) { path } }',
          { id },
        );
        const link = data.startDocumentDownload as { path: string };
        const response = await fetch(new URL(link.path, gateway), { headers });
        if (!response.ok || !response.body) {
          console.log(`GET → ${response.status}`, await response.text());
          process.exit(1);
        }
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            done(null, chunk);
          },
        });
        await pipeline(Readable.fromWeb(response.body as never), tap, createWriteStream(out));
        console.log(`GET → ${response.status}; wrote ${out}; sha256 ${hash.digest('hex')}`);
        return;
      }
      case 'delete': {
        const data = await graphql(
          await asOla(),
          'mutation ($id: ID!) { deleteDocument(id: $id) { id contentDestroyed } }',
          { id: args[0] },
        );
        console.log(JSON.stringify(data, null, 2));
        return;
      }
      default:
        console.error(
          'usage: npm run demo:documents -- send <file> [--level 4] | status <id> | inbox | read <id> <out> | delete <id>',
        );
        process.exit(2);
    }
  }
});
