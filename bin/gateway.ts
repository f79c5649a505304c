// npm run start:gateway: the gateway alone, calling the subgraphs at the configured *_URL addresses.
import { buildGateway } from '../gateway/index.ts';
import { closeServer, listenEarly } from '../common/listen.ts';
import { openDatabase } from '../db/database.ts';
import { run } from './run.ts';

await run('fiks-gateway', async (config, logger) => {
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: `${config.pgliteDir}-gateway` },
  );
  // Listened on first, as in npm start: the same server serves HTTPS when TLS_CERT_FILE and TLS_KEY_FILE are set.
  const { server, url } = await listenEarly(config.gateway.host, config.gateway.port, config.gateway.tls);
  const { app } = await buildGateway(config, logger, { db, server });
  await app.ready();
  console.log(`Fiks Gateway is running at ${url}/graphql`);
  return async () => {
    await app.close();
    await closeServer(server);
    await db.close();
  };
});
