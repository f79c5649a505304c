// npm run bench:trusted [-- --write]: what a trusted operation costs against free-form text (#12 item 3, #13 item 6).
// The bench's integration query through our gateway, on the same platform as `npm run bench` (the demo integration in
// audit mode, so that unregistered text runs too), sent four ways in interleaved rounds:
//
//   by id            `documentId` of the registered operation: no text read or hashed; its document, plan and
//                    compiled rule walk are pinned while it is trusted (gateway/trusted-operations/pinned-cache.ts)
//   by its text      the registered operation's exact text, which the safelist admits and runs by id
//   free-form, same  unregistered text, the same in every request: Apollo's document store and the gateway's plan
//                    cache (LRUs keyed by the text's hash) do the work once, as long as nothing evicts it
//   free-form, new   unregistered text that differs in every request (a comment with a random id): what parsing,
//                    validation, planning and compiling the rule walk cost when no cache helps — clients that inline
//                    values, or someone flooding the caches
//
// BENCH_SECONDS / BENCH_ROUNDS as for `npm run bench`. --write writes bench/RESULTS-trusted.md.
import { writeFileSync } from 'node:fs';
import { createLogger } from '../common/logger.ts';
import { operationId } from '../common/operation-id.ts';
import { measure, warmUp, type Measurement } from './load.ts';
import { machineFacts } from './machine.ts';
import { loadSeconds, parseOptions } from './options.ts';
import { startBenchSetup } from './setup.ts';
import { GATEWAY_QUERY, verifyTarget, type Target } from './targets.ts';

const RESULTS_FILE = new URL('./RESULTS-trusted.md', import.meta.url);
const options = parseOptions(process.argv.slice(2), process.env);
if (options.processes) throw new Error('bench:trusted runs in one process; --processes is for npm run bench');
const setup = await startBenchSetup({
  logger: createLogger({ level: 'silent', name: 'bench' }),
  databaseUrl: options.databaseUrl,
  tokenSeconds: loadSeconds(options) + 300,
  integrationOperationsMode: 'audit',
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  const ours = setup.targets.find((target) => target.key === 'c')!;
  const variant = (name: string, body: Record<string, unknown>): { name: string; target: Target } => ({
    name,
    target: { ...ours, label: `our gateway, ${name}`, body: JSON.stringify(body) },
  });
  const variants = [
    variant('trusted, by id', { documentId: operationId(GATEWAY_QUERY) }),
    variant('trusted, by its text', { query: GATEWAY_QUERY, operationName: 'Bench' }),
    variant('free-form, the same text', { query: `${GATEWAY_QUERY} # free`, operationName: 'Bench' }),
    variant('free-form, new text each request', {
      query: `${GATEWAY_QUERY} # [<id>]`,
      operationName: 'Bench',
    }),
  ];
  // The answer is the same for every variant; verify each with a body autocannon would send (no `[<id>]` left).
  const bodies = await Promise.all(
    variants.map(async (v) =>
      verifyTarget(await setup.fresh({ ...v.target, body: v.target.body.replace('[<id>]', 'check') })),
    ),
  );
  for (const [i, v] of variants.entries())
    await warmUp(await setup.fresh(v.target), bodies[i]!, options, options.primeSeconds);
  const results: Measurement[][] = variants.map(() => []);
  for (let round = 1; round <= options.rounds; round++) {
    // Each round starts with a different variant, so none always follows the same one.
    const order = variants.map((_, i) => (i + round - 1) % variants.length);
    for (const i of order)
      results[i]!.push(await measure(await setup.fresh(variants[i]!.target), bodies[i]!, options));
    console.log(`round ${round}/${options.rounds} done`);
  }
  const byIdCpu = median(results[0]!.map((m) => m.cpuMicrosPerRequest));
  const lines = [
    `| our gateway, integration query | req/s (median of ${options.rounds}) | p50 ms | p99 ms | CPU µs/request | CPU vs by id | bad |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...variants.map((v, i) => {
      const m = results[i]!;
      const cpu = median(m.map((x) => x.cpuMicrosPerRequest));
      const bad = m.reduce((sum, x) => sum + x.mismatches + x.non2xx + x.errors, 0);
      return `| ${v.name} | ${median(m.map((x) => x.requestsPerSecond)).toFixed(0)} | ${median(
        m.map((x) => x.p50),
      )} | ${median(m.map((x) => x.p99))} | ${cpu.toFixed(0)} | ${(cpu / byIdCpu).toFixed(2)} | ${bad} |`;
    }),
  ];
  console.log(`\n${lines.join('\n')}`);
  if (options.write) {
    const others = results.flat().map((m) => m.otherCpu ?? 0);
    writeFileSync(
      RESULTS_FILE,
      [
        '# Trusted operations against free-form text',
        '',
        `Written by \`npm run bench:trusted -- --write\` on ${new Date().toISOString().slice(0, 10)} (${machineFacts()}),`,
        `${options.rounds} rounds of ${options.seconds} s per variant, ${options.connections} connections, ` +
          `${options.databaseUrl ? 'PostgreSQL' : 'PGlite'}. Other processes took up to ` +
          `${Math.round(Math.max(...others) * 100)} % of the CPU during a measured run. What each variant is: ` +
          'bench/trusted-operations.ts. CPU is this whole process (load generator, gateway, subgraphs, database) ' +
          'per request; "bad" counts answers that were not the expected 200 (for new text each request, autocannon can check only the status).',
        '',
        ...lines,
        '',
      ].join('\n'),
    );
    console.log(`written to ${RESULTS_FILE.pathname}`);
  }
} finally {
  await setup.stop();
}
setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
