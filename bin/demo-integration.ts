// npm run demo:integration: calls the running platform (npm start) as the demo integration, the way a vendor's case
// system would: a Maskinporten token from the local stand-in (JWT-bearer grant signed with the client's key), then
// the gateway with Authorization, IntegrasjonId and IntegrasjonPassord. `npm start` writes the credentials it needs
// to data/demo/integration.json (development only; never committed).
//
//   npm run demo:integration [-- '<operation text>' | -- --id <sha256>]
import { getMaskinportenToken } from '../common/maskinporten-client.ts';
import { readDemoCredentials } from './demo-credentials.ts';
import { WHO_AM_I } from './demo-operations.ts';
import { run } from './run.ts';

// Like every integration, the demo one runs only trusted operations: its own and the global list's
// (schema/operations/demo.json holds this one and the README's).
// `--id <sha256>` sends a trusted operation by its id (GraphQL over HTTP's documentId) instead of its text.
const [first, second] = process.argv.slice(2);
const body = first === '--id' ? { documentId: second } : { query: first ?? WHO_AM_I };

await run('fiks-demo-integration', async (config) => {
  const credentials = await readDemoCredentials(config.pgliteDir);
  const { access_token: token } = await getMaskinportenToken({
    issuer: credentials.maskinporten.issuer,
    clientId: credentials.maskinporten.clientId,
    privateKey: credentials.maskinporten.privateJwk,
    scope: credentials.maskinporten.scope,
  });
  console.log(
    `Got a Maskinporten token (scope ${credentials.maskinporten.scope}) for ${credentials.maskinporten.clientId}.`,
  );
  const response = await fetch(`${credentials.gatewayUrl}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      IntegrasjonId: credentials.integrationId,
      IntegrasjonPassord: credentials.password,
    },
    body: JSON.stringify(body),
  });
  console.log(`POST ${credentials.gatewayUrl}/graphql → ${response.status}`);
  console.log(JSON.stringify(await response.json(), null, 2));
  process.exit(response.ok ? 0 : 1);
});
