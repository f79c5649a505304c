// npm run operations:register -- <integrationId> <manifest.json> [--as <fødselsnummer>]: registers an integration's
// trusted operations from a manifest, against the running platform (npm start), as an administrator of the
// integration's owning organisation would: logged in through the gateway's browser login at the local ID-porten's
// test login (Kari Testadmin, Fjordvik's administrator, unless --as names another synthetic person), then
// registerTrustedOperations through GraphQL. The manifest is either format clients produce — Apollo's persisted
// query manifest or graphql-codegen's persisted-documents.json — and is checked here first: a manifest whose ids are
// not the SHA-256 of their bodies is refused before anything is sent (the subgraph checks again).
import { readFile } from 'node:fs/promises';
import { DEMO_PERSONS } from '../common/demo-identities.ts';
import { parseManifest } from '../gateway/trusted-operations/manifest.ts';
import { loginWithTestId, TestBrowser } from '../simulators/idporten-browser.ts';
import { readDemoCredentials } from './demo-credentials.ts';
import { run } from './run.ts';

const REGISTER = `mutation Register($id: ID!, $operations: [TrustedOperationInput!]!) {
  registerTrustedOperations(integrationId: $id, operations: $operations) { id operationsMode operationsVersion }
}`;

const [integrationId, manifestFile, ...rest] = process.argv.slice(2);
const asPid = rest[0] === '--as' && rest[1] ? rest[1] : DEMO_PERSONS.kari.pid;

await run('fiks-operations-register', async (config) => {
  if (!integrationId || !manifestFile) {
    console.error(
      'usage: npm run operations:register -- <integrationId> <manifest.json> [--as <fødselsnummer>]',
    );
    process.exit(2);
  }
  let operations;
  try {
    operations = parseManifest(JSON.parse(await readFile(manifestFile, 'utf8')));
  } catch (error) {
    console.error(`${manifestFile} is refused: ${error instanceof Error ? error.message : 'unreadable'}`);
    process.exit(1);
  }
  const { gatewayUrl } = await readDemoCredentials(config.pgliteDir);

  // The administrator's browser login through the gateway (development: the local ID-porten's test login).
  const browser = new TestBrowser();
  const start = await browser.request(new URL('/auth/login', gatewayUrl));
  const location = start.headers.get('location');
  if (!location) throw new Error(`login did not start: ${start.status}`);
  const landed = await browser.request(
    await loginWithTestId(location, { pid: asPid, level: 'substantial' }, browser),
  );
  const session = landed.headers.getSetCookie().find((line) => line.startsWith('fiks_session='));
  if (!session) throw new Error(`login failed: ${landed.status}`);

  const response = await fetch(`${gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: session.split(';')[0]!,
      'x-requested-with': 'operations-register',
    },
    body: JSON.stringify({
      query: REGISTER,
      variables: {
        id: integrationId,
        operations: operations.map(({ id, body, name, limits }) => ({
          sha256: id,
          body,
          name,
          limits: Object.keys(limits).length > 0 ? limits : null,
        })),
      },
    }),
  });
  console.log(
    `POST ${gatewayUrl}/graphql → ${response.status}: ${operations.length} operation(s) from ${manifestFile}`,
  );
  const body = (await response.json()) as { errors?: unknown };
  console.log(JSON.stringify(body, null, 2));
  process.exit(response.ok && !body.errors ? 0 : 1);
});
