// npm start: the whole platform in one process on embedded PGlite (or DATABASE_URL), with synthetic demo data and,
// in development, the local stand-ins for ID-porten, Maskinporten and Altinn.
import { demoCredentialsFile, writeDemoCredentials } from '../platform/demo.ts';
import { startPlatform } from '../platform/start.ts';
import { run } from './run.ts';

await run('fiks-platform', async (config, logger) => {
  const platform = await startPlatform({
    config,
    logger,
    database: config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: config.pgliteDir },
  });
  const url = platform.gatewayUrl;
  const lines = [
    '',
    `Fiks Gateway is running at ${url}/  (GraphQL: ${url}/graphql)`,
    `  Explorer (GraphiQL; log in there as a synthetic person): ${url}/explorer`,
  ];
  const { simulators, demoIntegration } = platform;
  if (simulators && demoIntegration) {
    const file = demoCredentialsFile(config.pgliteDir);
    await writeDemoCredentials(file, {
      gatewayUrl: url,
      integrationId: demoIntegration.id,
      password: demoIntegration.password,
      maskinporten: {
        issuer: simulators.maskinporten.issuer,
        clientId: simulators.demoClients.integration.clientId,
        privateJwk: simulators.demoClients.integration.privateJwk,
        scope: 'ks:fiks',
      },
    });
    lines.push(
      `  Call it as the demo integration: npm run demo:integration   (credentials in ${file})`,
      `  Local stand-ins: ID-porten ${simulators.idporten.issuer}, Maskinporten ${simulators.maskinporten.issuer}, Altinn ${simulators.altinn.url}`,
    );
  }
  lines.push('Stop with Ctrl-C.', '');
  console.log(lines.join('\n'));
  return () => platform.stop();
});
