// npm start: the whole platform in one process on embedded PGlite (or DATABASE_URL), with synthetic demo data.
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
  console.log(
    `\nFiks Gateway is running at ${platform.gatewayUrl}/  (GraphQL: ${platform.gatewayUrl}/graphql)`,
  );
  console.log('Stop with Ctrl-C.\n');
  return () => platform.stop();
});
