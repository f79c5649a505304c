// npm run start:subgraph -- <name>: one subgraph alone, with its own port and database URL.
import { isSubgraphName, SUBGRAPH_NAMES } from '../common/subgraph-names.ts';
import { ConfigError } from '../common/config.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { openDatabase } from '../db/database.ts';
import { buildSubgraph, subgraphSettingsFrom } from '../subgraphs/runtime/start.ts';
import { run } from './run.ts';

const name = process.argv[2] ?? '';
await run(`fiks-subgraph-${name}`, async (config, logger) => {
  if (!isSubgraphName(name))
    throw new ConfigError(`usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  const db = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl }
      : { kind: 'pglite', dir: `${config.pgliteDir}-${name}` },
  );
  const { app } = await buildSubgraph(SUBGRAPHS[name], {
    db,
    callerKeys: { jwksUrl: config.callerToken.jwksUrl },
    logger,
    ...subgraphSettingsFrom(config),
  });
  const url = new URL(config.subgraphUrls[name]);
  const address = await app.listen({
    host: config.subgraph.host,
    port: config.subgraph.port ?? Number(url.port),
  });
  console.log(`subgraph ${name} is running at ${address}${url.pathname}`);
  return async () => {
    await app.close();
    await db.close();
  };
});
