// npm run bench [-- --write]: our gateway against a bare @apollo/gateway on the same subgraphs, and the
// documents subgraph alone, all in this one process. Prints the results; --write also writes bench/RESULTS.md.
// Everything started here is stopped again, and the process exits by itself.
import { writeFileSync } from 'node:fs';
import { loadConfig } from '../common/config.ts';
import { createLogger } from '../common/logger.ts';
import { integrationHeaders } from '../platform/demo.ts';
import { startPlatform } from '../platform/start.ts';

import { startBareGateway } from './bare-gateway.ts';
import { generateSigningKey, staticCallerTokens } from './caller-tokens.ts';
import { measure, warmUp, type Measurement } from './load.ts';
import { parseOptions, type BenchOptions } from './options.ts';
import { RESULTS_FILE, badResponses, renderMarkdown, renderResults, type BenchReport } from './report.ts';
import { benchTargets, verifyTarget, type Target } from './targets.ts';

let options: BenchOptions;
try {
  options = parseOptions(process.argv.slice(2), process.env);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
}
const logger = createLogger({ level: 'silent', name: 'bench' });
const stops: (() => Promise<void>)[] = [];

async function stopAll() {
  for (const stop of stops.splice(0).reverse()) await stop();
}

async function bench(): Promise<BenchReport> {
  const signingKey = generateSigningKey();
  const platform = await startPlatform({
    config: loadConfig({ SEED_DEMO_DATA: 'true', LOG_LEVEL: 'silent', CALLER_SIGNING_KEY: signingKey }),
    logger,
    database: { kind: 'pglite' },
    ephemeralPorts: true,
  });
  stops.push(() => platform.stop());

  // Minted once; valid for every run (priming, warm-up, measured) plus a generous margin.
  const ttlSeconds = 3 * (2 * options.warmupSeconds + options.seconds) + 300;
  const tokens = await staticCallerTokens(signingKey, ttlSeconds);
  const bare = await startBareGateway({ subgraphUrls: platform.subgraphUrls, tokens, logger });
  stops.push(() => bare.stop());

  const targets = benchTargets({
    documentsSubgraph: platform.subgraphUrls.documents,
    documentsToken: tokens.documents,
    bareGateway: bare.url,
    ourGateway: `${platform.gatewayUrl}/graphql`,
  });
  // Our gateway is called as the demo integration, so the whole door is measured: Maskinporten token verification,
  // the integration's id, password and organisation, caller tokens. Maskinporten tokens live 120 s, so each phase
  // gets a fresh one.
  const fresh = async (target: Target): Promise<Target> =>
    target.key === 'c'
      ? { ...target, headers: { ...target.headers, ...(await integrationHeaders(platform)) } }
      : target;
  const verified: { target: Target; body: string }[] = [];
  for (const target of targets) verified.push({ target, body: await verifyTarget(await fresh(target)) });

  // Both gateways run the same @apollo/gateway code: whichever is measured first would otherwise also pay for
  // warming it up. So every target is primed once before any is measured.
  console.log(`priming a, b, c (${options.warmupSeconds} s each) ...`);
  for (const { target, body } of verified) await warmUp(await fresh(target), body, options);

  const rows: { target: Target; measurement: Measurement }[] = [];
  for (const { target, body } of verified) {
    console.log(
      `measuring ${target.key}. ${target.label} (${options.warmupSeconds} s warm-up, ${options.seconds} s) ...`,
    );
    rows.push({ target, measurement: await measure(await fresh(target), body, options) });
  }
  return { date: new Date(), options, rows, rssBytes: process.memoryUsage().rss };
}

process.once('SIGINT', () => {
  console.error('interrupted; stopping');
  void stopAll().finally(() => process.exit(130));
});

try {
  const report = await bench();
  console.log(`\n${renderResults(report)}`);
  if (options.write) {
    writeFileSync(RESULTS_FILE, await renderMarkdown(report));
    console.log(`\nwrote ${RESULTS_FILE.pathname}`);
  }
  if (badResponses(report) > 0) process.exitCode = 1;
} catch (error) {
  console.error('bench failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stopAll();
}

// Everything is stopped; if some handle still keeps the process alive, say so and leave anyway.
setTimeout(() => {
  console.error('bench: something still holds the event loop after stopping; exiting');
  process.exit(process.exitCode ?? 1);
}, 5_000).unref();
