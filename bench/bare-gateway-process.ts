// The bare @apollo/gateway (bench/bare-gateway.ts) as a process of its own, for `npm run bench -- --processes`: it
// calls the subgraphs at the configured *_URL addresses with the static caller tokens in BENCH_CALLER_TOKENS (JSON,
// one per subgraph), listens on an ephemeral loopback port and prints its URL.
import { run } from '../bin/run.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/subgraph-names.ts';
import { startBareGateway } from './bare-gateway.ts';

const tokens = JSON.parse(process.env.BENCH_CALLER_TOKENS ?? '{}') as Partial<Record<SubgraphName, string>>;

await run('bench-bare-gateway', async (config, logger) => {
  const missing = SUBGRAPH_NAMES.filter((name) => !tokens[name]);
  if (missing.length > 0) throw new Error(`BENCH_CALLER_TOKENS: no token for ${missing.join(', ')}`);
  const bare = await startBareGateway({
    subgraphUrls: config.subgraphUrls,
    tokens: tokens as Record<SubgraphName, string>,
    logger,
  });
  console.log(`bare gateway is running at ${bare.url}`);
  return () => bare.stop();
});
