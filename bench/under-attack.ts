// npm run bench:attack [-- --write]: how our gateway serves ordinary requests (the bench's two-subgraph query, as
// the demo integration) while one client sends, over one connection and back to back, the most expensive operation
// the operation limits allow; and, for comparison, while it sends one the limits refuse. Reports the ordinary
// requests' p99 latency as a ratio to the idle platform's. Loopback only, about a minute on a quiet machine; --write also writes
// bench/RESULTS-attack.md.
import { writeFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { format, resolveConfig } from 'prettier';
import { createLogger } from '../common/logger.ts';
import { loadConfig } from '../common/config.ts';
import { resolveOperationLimits } from '../gateway/plugins/operation-limits/limits.ts';
import { allowedAttacks, refusedAttack } from './attack-operations.ts';
import { measure, warmUp, type Measurement } from './load.ts';
import { machineFacts } from './machine.ts';
import { startBenchSetup } from './setup.ts';
import { verifyTarget, type Target } from './targets.ts';

const RESULTS_FILE = new URL('./RESULTS-attack.md', import.meta.url);
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = 5;
const write = process.argv.includes('--write');
if (!Number.isInteger(SECONDS) || SECONDS < 1 || SECONDS > 60) {
  console.error('BENCH_SECONDS: must be a whole number from 1 to 60');
  process.exit(2);
}

interface Phase {
  name: string;
  ordinary: Measurement;
  attacker?: { completed: number; non2xx: number; meanMs: number };
}

/** Sends the operation once; its latency in ms, and whether it was answered 200 without errors. */
async function once(target: Target, query: string): Promise<{ ms: number; ok: boolean; status: number }> {
  const started = performance.now();
  const response = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown };
  return {
    ms: performance.now() - started,
    ok: response.status === 200 && !body.errors,
    status: response.status,
  };
}

const limits = resolveOperationLimits(loadConfig({}).limits);
const setup = await startBenchSetup({
  logger: createLogger({ level: 'silent', name: 'bench' }),
  databaseUrl: process.env.BENCH_DATABASE_URL || undefined,
  tokenSeconds: 600,
});
try {
  const ordinaryTarget = setup.targets.find((t) => t.key === 'c')!;
  const expectBody = await verifyTarget(await setup.fresh(ordinaryTarget));

  // The most expensive allowed operation: of the candidate shapes, the one slowest alone (median of three).
  const attacker = await setup.fresh(ordinaryTarget);
  const alone: { name: string; query: string; ms: number }[] = [];
  for (const [name, query] of Object.entries(allowedAttacks(limits))) {
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const answer = await once(attacker, query);
      if (!answer.ok)
        throw new Error(`${name}: answered ${answer.status} or with errors; not an allowed attack`);
      times.push(answer.ms);
    }
    alone.push({ name, query, ms: times.sort((a, b) => a - b)[1]! });
  }
  const heaviest = alone.reduce((a, b) => (b.ms > a.ms ? b : a));
  const refused = await once(attacker, refusedAttack(limits));
  if (refused.status !== 400) {
    throw new Error(`the deeper operation answered ${refused.status}, not 400: ${refusedAttack(limits)}`);
  }

  const phases: Phase[] = [];
  for (const [name, query] of [
    ['idle', undefined],
    [`under attack: ${heaviest.name}`, heaviest.query],
    ['under refused attack: the same shape one level deeper', refusedAttack(limits)],
  ] as const) {
    const ordinary = await setup.fresh(ordinaryTarget);
    await warmUp(ordinary, expectBody, { connections: CONNECTIONS }, 2);
    const attack = query
      ? autocannon({
          url: attacker.url,
          method: 'POST',
          headers: (await setup.fresh(ordinaryTarget)).headers,
          body: JSON.stringify({ query }),
          connections: 1,
          duration: SECONDS + 1,
          workers: 1,
        })
      : undefined;
    const measured = await measure(ordinary, expectBody, {
      seconds: SECONDS,
      warmupSeconds: 1,
      connections: CONNECTIONS,
    });
    const result = await attack;
    phases.push({
      name,
      ordinary: measured,
      attacker: result && {
        completed: result.requests.total,
        non2xx: result.non2xx,
        meanMs: result.latency.mean,
      },
    });
    console.log(`${name}: ordinary p99 ${measured.p99} ms, ${measured.requestsPerSecond.toFixed(0)} req/s`);
  }

  const idle = phases[0]!.ordinary.p99;
  const rows = phases.map((p) =>
    [
      p.name,
      p.ordinary.requestsPerSecond.toFixed(0),
      `${p.ordinary.p50}`,
      `${p.ordinary.p99}`,
      (p.ordinary.p99 / idle).toFixed(2),
      p.ordinary.mismatches + p.ordinary.errors,
      p.attacker
        ? `${p.attacker.completed} (${p.attacker.non2xx} refused), ${p.attacker.meanMs.toFixed(0)} ms`
        : '–',
      p.ordinary.otherCpu === undefined ? '?' : `${(p.ordinary.otherCpu * 100).toFixed(0)} %`,
    ].join(' | '),
  );
  const markdown = `# Ordinary requests while one client attacks (\`npm run bench:attack\`)

Run ${new Date().toISOString().slice(0, 10)}: ${machineFacts()}; ${process.env.BENCH_DATABASE_URL ? 'PostgreSQL' : 'in-memory PGlite'}.
The machine is shared with other engineers' work, so the figures move from run to run; the last column says how much
of the CPU other processes took while the ordinary requests were measured.

Ordinary requests: the bench's two-subgraph query through our gateway as the demo integration, ${CONNECTIONS}
connections, ${SECONDS} s measured after a warm-up. The attacker: one connection, back to back, as the same
integration (which holds one narrow grant), with the default limits (depth ${limits.maxDepth}, aliases
${limits.maxAliases}, root fields ${limits.maxRootFields}, cost ${limits.maxCost}). Of the allowed shapes
(${alone.map((a) => `${a.name}: ${a.ms.toFixed(0)} ms alone`).join('; ')}) the slowest alone is sent.

How to read it: p99 / idle is what one client holding one narrow grant does to everyone else's slowest requests by
sending the heaviest operation the limits let through; the refused row is the same client one level deeper, which
the gateway answers 400 before planning. The allowed row is the price of the defaults: lower limits, or larger list
size estimates (so the cost limit bites sooner), shrink it; nothing here limits how often a client sends.

| phase | ordinary req/s | p50 ms | p99 ms | p99 / idle | bad answers | attacker requests, mean latency | other processes |
| --- | --- | --- | --- | --- | --- | --- | --- |
${rows.map((r) => `| ${r} |`).join('\n')}
`;
  console.log(`\n${markdown}`);
  if (write) {
    // Formatted as `prettier --check` (npm run lint) wants it.
    const config = await resolveConfig(RESULTS_FILE);
    writeFileSync(RESULTS_FILE, await format(markdown, { ...config, parser: 'markdown' }));
    console.log(`wrote ${RESULTS_FILE.pathname}`);
  }
} catch (error) {
  console.error('bench:attack failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await setup.stop();
}
setTimeout(() => process.exit(process.exitCode ?? 0), 5_000).unref();
