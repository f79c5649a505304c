// npm run bench:trusted: the bench's integration query through our gateway sent two ways — as free-form text (which,
// being registered in schema/operations/demo.json, the safelist admits by its exact text) and as a trusted
// operation named by id (`documentId`) — in interleaved rounds, on the same platform as `npm run bench`. By id, the
// gateway reads no query text from the request, hashes nothing (Apollo's document store and @apollo/gateway's plan
// cache are keyed by the registered id), and sends no operation name to add to the plan cache's key.
// BENCH_SECONDS / BENCH_ROUNDS shorten or lengthen it, as for `npm run bench`. Prints; writes nothing.
import { createLogger } from '../common/logger.ts';
import { operationId } from '../common/operation-id.ts';
import { measure, warmUp, type Measurement } from './load.ts';
import { loadSeconds, parseOptions } from './options.ts';
import { startBenchSetup } from './setup.ts';
import { GATEWAY_QUERY, verifyTarget, type Target } from './targets.ts';

const options = parseOptions(process.argv.slice(2), process.env);
if (options.processes) throw new Error('bench:trusted runs in one process; --processes is for npm run bench');
const setup = await startBenchSetup({
  logger: createLogger({ level: 'silent', name: 'bench' }),
  databaseUrl: options.databaseUrl,
  tokenSeconds: loadSeconds(options) + 300,
});

try {
  const freeForm = setup.targets.find((target) => target.key === 'c')!;
  const byId: Target = {
    ...freeForm,
    label: 'our gateway, trusted operation by id',
    body: JSON.stringify({ documentId: operationId(GATEWAY_QUERY) }),
  };
  const variants = [
    { name: 'free-form text', target: { ...freeForm, label: 'our gateway, free-form text' } },
    { name: 'by id', target: byId },
  ];
  const bodies = await Promise.all(variants.map(async (v) => verifyTarget(await setup.fresh(v.target))));
  for (const [i, v] of variants.entries())
    await warmUp(await setup.fresh(v.target), bodies[i]!, options, options.primeSeconds);
  const results: Measurement[][] = [[], []];
  for (let round = 1; round <= options.rounds; round++) {
    const order = round % 2 === 1 ? [0, 1] : [1, 0];
    for (const i of order)
      results[i]!.push(await measure(await setup.fresh(variants[i]!.target), bodies[i]!, options));
    console.log(`round ${round}/${options.rounds} done`);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `\n| our gateway, integration query | req/s (median of ${options.rounds}) | p99 ms | CPU µs/request | bad |`,
  );
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [i, v] of variants.entries()) {
    const m = results[i]!;
    const bad = m.reduce((sum, x) => sum + x.mismatches + x.errors, 0);
    console.log(
      `| ${v.name} | ${median(m.map((x) => x.requestsPerSecond)).toFixed(0)} | ${median(m.map((x) => x.p99))} | ${median(
        m.map((x) => x.cpuMicrosPerRequest),
      ).toFixed(0)} | ${bad} |`,
    );
  }
} finally {
  await setup.stop();
}
setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
