// npm run start:gateway: the gateway alone, calling the subgraphs at the configured *_URL addresses.
import { buildGateway } from '../gateway/index.ts';
import { openDatabase } from '../db/database.ts';
import { run } from './run.ts';

await run('fiks-gateway', async (config, logger) => {
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: `${config.pgliteDir}-gateway` },
  );
  const { app } = await buildGateway(config, logger, { db });
  const address = await app.listen({ host: config.gateway.host, port: config.gateway.port });
  console.log(`Fiks Gateway is running at ${address}/graphql`);
  return async () => {
    await app.close();
    await db.close();
  };
});
