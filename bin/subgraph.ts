// npm run start:subgraph -- <name>: one subgraph alone, with its own port and database URL.
import { isSubgraphName, SUBGRAPH_NAMES } from '../common/subgraph-names.ts';
import { ConfigError } from '../common/config.ts';
import { SUBGRAPHS } from '../subgraphs/index.ts';
import { openDatabase } from '../db/database.ts';
import { buildSubgraph, subgraphSettingsFrom } from '../subgraphs/runtime/start.ts';
import { run } from './run.ts';

const name = process.argv[2] ?? '';
/** Bench only (`npm run bench -- --processes`), never configuration: the ids of the bare gateway's static caller
 * tokens, comma-separated, which this subgraph then accepts more than once (see platform/start.ts). */
const benchReusable = process.env.BENCH_REUSABLE_TOKEN_IDS;
await run(`fiks-subgraph-${name}`, async (config, logger) => {
  if (!isSubgraphName(name))
    throw new ConfigError(`usage: npm run start:subgraph -- <${SUBGRAPH_NAMES.join('|')}>`);
  if (benchReusable && config.mode === 'production')
    throw new ConfigError(
      'BENCH_REUSABLE_TOKEN_IDS is for the bench only; a production subgraph accepts a token once',
    );
  // The gateway reaches this subgraph by the same *_URL: serving TLS under an http URL would fail every call.
  if (config.subgraph.tls && new URL(config.subgraphUrls[name]).protocol !== 'https:')
    throw new ConfigError(
      `${name.toUpperCase()}_URL: must be an https URL when SUBGRAPH_TLS_CERT_FILE is set`,
    );
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
    benchReusableTokenIds: benchReusable ? new Set(benchReusable.split(',')) : undefined,
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
