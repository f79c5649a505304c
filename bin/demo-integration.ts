// npm run demo:integration: calls the running platform (npm start) as the demo integration, the way a vendor's case
// system would: a Maskinporten token from the local stand-in (JWT-bearer grant signed with the client's key), then
// the gateway with Authorization, IntegrasjonId and IntegrasjonPassord. `npm start` writes the credentials it needs
// to data/demo/integration.json (development only; never committed).
import { getMaskinportenToken } from '../common/maskinporten-client.ts';
import { readDemoCredentials } from './demo-credentials.ts';
import { run } from './run.ts';

const query = process.argv[2] ?? '{ me { kind integrationId organization { orgnr name } } }';

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
    body: JSON.stringify({ query }),
  });
  console.log(`POST ${credentials.gatewayUrl}/graphql → ${response.status}`);
  console.log(JSON.stringify(await response.json(), null, 2));
  process.exit(response.ok ? 0 : 1);
});
