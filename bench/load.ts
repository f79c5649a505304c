// One target under load with autocannon: warm-up runs and the measured run. The load generator runs in a worker
// thread of this process, so it competes with the servers for CPU but not for their event loop (with `--processes`
// the servers are other processes). Every response
// must be a 2xx with exactly the verified body; anything else is counted and reported.
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { otherProcessesShare, sampleCpu } from './machine.ts';
import { watchProcess } from './process-usage.ts';
import type { Target } from './targets.ts';

export interface LoadSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
}

export interface Measurement {
  /** Mean of the per-second samples of completed requests. */
  requestsPerSecond: number;
  /** Latency percentiles in milliseconds (autocannon's resolution is 1 ms). */
  p50: number;
  p99: number;
  completed: number;
  non2xx: number;
  /** Responses whose body differed from the verified one: a 200 carrying GraphQL errors, and every non-2xx. */
  mismatches: number;
  /** Connection errors, timeouts included. */
  errors: number;
  /** Share of the machine's CPU that other processes took during the measured run; undefined if unknown. */
  otherCpu: number | undefined;
  /** CPU time this process (servers, load generator, thread pool) spent per completed request, in µs. */
  cpuMicrosPerRequest: number;
  /** When the target is served by a process of its own (`--processes`): what that process spent and held. */
  server?: ServerUsage;
}

export interface ServerUsage {
  /** CPU time of the serving process per completed request, in µs. */
  cpuMicrosPerRequest: number;
  /** Its highest resident set size sampled during the measured run. */
  rssPeakBytes: number;
  /** Its resident high-water mark since it started (VmHWM), priming and warm-ups included. */
  rssHighWaterBytes: number;
}

const DISTINCT_TEXT = fileURLToPath(new URL('./distinct-text-request.cjs', import.meta.url));

function load(target: Target, expectBody: string, connections: number, seconds: number) {
  return autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: seconds,
    workers: 1,
    // `[<id>]` in a body becomes an id unique to each request (bench/trusted-operations.ts: distinct text).
    // autocannon cannot compare bodies then: only the status is checked (non2xx), as the verified first answer was.
    ...(target.body.includes('[<id>]') ? { requests: [{ setupRequest: DISTINCT_TEXT }] } : { expectBody }),
  });
}

/** Load whose results are thrown away: lets the JIT, caches and connection pools settle. */
export async function warmUp(
  target: Target,
  expectBody: string,
  settings: Pick<LoadSettings, 'connections'>,
  seconds: number,
): Promise<void> {
  await load(target, expectBody, settings.connections, seconds);
}

/** A warm-up run, then the measured run; with `serverPid`, also what the process serving the target spent. */
export async function measure(
  target: Target,
  expectBody: string,
  settings: LoadSettings,
  serverPid?: number,
): Promise<Measurement> {
  await warmUp(target, expectBody, settings, settings.warmupSeconds);
  const watch = serverPid === undefined ? undefined : watchProcess(serverPid);
  const before = sampleCpu();
  const result = await load(target, expectBody, settings.connections, settings.seconds);
  const after = sampleCpu();
  const run = watch?.stop();
  const otherCpu = otherProcessesShare(before, after);
  const perRequest = (seconds: number) => (seconds * 1e6) / Math.max(1, result.requests.total);
  return {
    requestsPerSecond: result.requests.mean,
    p50: result.latency.p50,
    p99: result.latency.p99,
    completed: result.requests.total,
    non2xx: result.non2xx,
    mismatches: result.mismatches,
    errors: result.errors,
    otherCpu,
    cpuMicrosPerRequest: perRequest(after.own - before.own),
    server: run && {
      cpuMicrosPerRequest: perRequest(run.cpuSeconds),
      rssPeakBytes: run.rssPeakBytes,
      rssHighWaterBytes: run.rssHighWaterBytes,
    },
  };
}
