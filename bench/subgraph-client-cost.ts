// npx tsx bench/subgraph-client-cost.ts: what one subgraph call costs the gateway's process, by HTTP client. A
// loopback server in a child process (so that its work is not counted) answers every POST with the same subgraph
// answer (about 1.5 KB of JSON); each client makes SUBGRAPH_CALLS calls, IN_FLIGHT at a time, each call sending a
// GraphQL request with a caller token and reading the answer as JSON. Reports CPU time per call of this process (all
// threads, process.cpuUsage) and calls per second, the median of ROUNDS rounds in which the clients take turns.
//
// The clients: (1) the gateway's createSubgraphFetch (undici's Pool.dispatch with a handler of its own, the answer
// handed over as a WHATWG Response, as Apollo's RemoteGraphQLDataSource needs it), (2) what it replaced
// (bench/node-http-subgraph-fetch.ts: node:http with a keep-alive Agent, also a Response), (3) undici's
// pool.request() alone, body read directly, with no deadline and no Response: the floor, (4) Node's global fetch.
import { fork } from 'node:child_process';
import http from 'node:http';
import os from 'node:os';
import { Pool } from 'undici';
import { createSubgraphFetch } from '../gateway/subgraph-http.ts';
import { createNodeHttpSubgraphFetch } from './node-http-subgraph-fetch.ts';

const CALLS = Number(process.env.SUBGRAPH_CALLS ?? 5000);
const ROUNDS = Number(process.env.SUBGRAPH_ROUNDS ?? 7);
const IN_FLIGHT = Number(process.env.SUBGRAPH_IN_FLIGHT ?? 8);

/** A documents-subgraph answer of the bench query's size: a page of documents with their exposures. */
const ANSWER = JSON.stringify({
  data: {
    documents: Array.from({ length: 6 }, (_, i) => ({
      __typename: 'Document',
      id: `9f1c2d3e-4b5a-4c6d-8e7f-${(0xa1b2c3d4e5f0 + i).toString(16)}`,
      title: `Vedtak om barnehageplass ${i}`,
      securityLevel: 3,
      createdAt: '2026-11-28T10:15:00.000Z',
      holder: { __typename: 'Organization', orgnr: '921234567' },
      exposures: [{ __typename: 'Exposure', kind: 'PERSON', subject: 'redacted' }],
    })),
  },
});

/** What the gateway sends: the query plan's fetch with representations, and a caller token. */
const REQUEST_BODY = JSON.stringify({
  query:
    'query($representations:[_Any!]!){_entities(representations:$representations){...on Organization{documents{id title securityLevel createdAt holder{orgnr} exposures{kind subject}}}}}',
  variables: { representations: [{ __typename: 'Organization', orgnr: '921234567' }] },
});
const HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json',
  authorization: `Bearer ${'e'.repeat(36)}.${'p'.repeat(420)}.${'s'.repeat(86)}`,
};

if (process.argv[2] === '--server') {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(ANSWER),
      });
      response.end(ANSWER);
    });
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    if (address && typeof address === 'object') process.send?.(address.port);
  });
  process.on('disconnect', () => server.close(() => process.exit(0)));
} else {
  await main();
}

type Call = () => Promise<unknown>;

async function measure(call: Call): Promise<{ cpuMicros: number; callsPerSecond: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next++ < CALLS) await call();
    }),
  );
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return { cpuMicros: (used.user + used.system) / CALLS, callsPerSecond: CALLS / seconds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main() {
  const server = fork(new URL(import.meta.url).pathname, ['--server'], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => server.once('message', (m) => resolve(Number(m))));
  const url = `http://127.0.0.1:${port}/graphql`;
  const origin = `http://127.0.0.1:${port}`;

  const options = { connectTimeoutMs: 1000, timeoutMs: 5000 };
  const subgraphFetch = createSubgraphFetch(options);
  const nodeHttpFetch = createNodeHttpSubgraphFetch(options);
  const pool = new Pool(origin);
  const init = { method: 'POST', headers: HEADERS, body: REQUEST_BODY };

  const clients: Record<string, Call> = {
    'createSubgraphFetch (undici Pool.dispatch → Response)': async () =>
      (await subgraphFetch(url, init)).json(),
    'node:http keep-alive Agent → Response (before)': async () => (await nodeHttpFetch(url, init)).json(),
    'undici Pool.request alone': async () => (await pool.request({ path: '/graphql', ...init })).body.json(),
    'global fetch': async () => (await fetch(url, init)).json(),
  };

  const load = os.loadavg().map((l) => l.toFixed(2));
  console.log(`Node ${process.version}, ${os.cpus().length} cores, load average at start ${load.join(' ')}`);
  console.log(`${CALLS} calls × ${ROUNDS} rounds, ${IN_FLIGHT} in flight, answer ${ANSWER.length} bytes\n`);
  const results = new Map<string, { cpu: number[]; rate: number[] }>();
  for (const [name, call] of Object.entries(clients)) {
    for (let i = 0; i < 1000; i++) await call(); // warm the JIT and the connections
    results.set(name, { cpu: [], rate: [] });
  }
  const names = Object.keys(clients);
  for (let round = 0; round < ROUNDS; round++) {
    // A different client goes first each round, so that none always runs on a machine warmed by the one before.
    const order = names.map((_, i) => names[(i + round) % names.length]!);
    for (const name of order) {
      const { cpuMicros, callsPerSecond } = await measure(clients[name]!);
      results.get(name)!.cpu.push(cpuMicros);
      results.get(name)!.rate.push(callsPerSecond);
    }
  }
  console.log('| client | CPU µs per call (median, range) | calls/s (median) |');
  console.log('| --- | --- | --- |');
  for (const [name, { cpu, rate }] of results) {
    const range = `${Math.min(...cpu).toFixed(0)}–${Math.max(...cpu).toFixed(0)}`;
    console.log(`| ${name} | ${median(cpu).toFixed(0)} (${range}) | ${median(rate).toFixed(0)} |`);
  }
  console.log(
    `\nload average at end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  await pool.close();
  server.disconnect();
}
