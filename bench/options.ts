// What one bench run is asked to do: from the command line (`--write`, `--processes`) and the environment
// (BENCH_SECONDS, BENCH_ROUNDS, BENCH_DATABASE_URL).
export interface BenchOptions {
  /** How many rounds; each round measures every target once, one after the other. */
  rounds: number;
  /** Length of each measured run. */
  seconds: number;
  /** Length of the warm-up run before each measured run (lets connections and pools settle). */
  warmupSeconds: number;
  /** Length of the priming run each target gets once before the first round (lets the JIT settle). */
  primeSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Write bench/RESULTS.md besides printing. */
  write: boolean;
  /** The command as it was typed, for RESULTS.md (without the database URL, which may hold a password). */
  command: string;
  /** BENCH_DATABASE_URL: a PostgreSQL server to run on (in a scratch database); unset, in-memory PGlite (or, with
   * `processes`, PROCESSES_DATABASE_URL). */
  databaseUrl: string | undefined;
  /** `--processes`: every subgraph, each gateway and the load generator in a process of its own, on PostgreSQL,
   * as production runs them. @default false */
  processes: boolean;
}

/** The PostgreSQL server `--processes` runs on when BENCH_DATABASE_URL is not set: this machine's. */
export const PROCESSES_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const FLAGS = ['--write', '--processes'];

const MAX_SECONDS = 600;
const MAX_ROUNDS = 50;
/** Defaults: 7 rounds of 3 targets × (1 s warm-up + 5 s measured), after 3 × 5 s priming: about 2.5 minutes. */
const DEFAULT_SECONDS = 5;
const DEFAULT_ROUNDS = 7;

function wholeNumber(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  max: number,
) {
  const raw = env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new Error(`${name}: must be a whole number from 1 to ${max}`);
  }
  return { value, given: raw !== undefined && raw !== '' };
}

export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchOptions {
  const unknown = argv.filter((arg) => !FLAGS.includes(arg));
  if (unknown.length > 0)
    throw new Error(`unknown argument(s): ${unknown.join(' ')} (only ${FLAGS.join(' and ')} are understood)`);
  const write = argv.includes('--write');
  const processes = argv.includes('--processes');

  const seconds = wholeNumber(env, 'BENCH_SECONDS', DEFAULT_SECONDS, MAX_SECONDS);
  const rounds = wholeNumber(env, 'BENCH_ROUNDS', DEFAULT_ROUNDS, MAX_ROUNDS);

  const givenDatabaseUrl = env.BENCH_DATABASE_URL || undefined;
  if (givenDatabaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(givenDatabaseUrl))
    throw new Error('BENCH_DATABASE_URL: must be a postgres:// URL');
  const databaseUrl = givenDatabaseUrl ?? (processes ? PROCESSES_DATABASE_URL : undefined);
  const prefix =
    (givenDatabaseUrl ? 'BENCH_DATABASE_URL=… ' : '') +
    (rounds.given ? `BENCH_ROUNDS=${rounds.value} ` : '') +
    (seconds.given ? `BENCH_SECONDS=${seconds.value} ` : '');
  const viaNpm = env.npm_lifecycle_event === 'bench';
  const flags = argv.filter((arg) => FLAGS.includes(arg)).join(' ');
  const command = viaNpm
    ? `${prefix}npm run bench${flags ? ` -- ${flags}` : ''}`
    : `${prefix}npx tsx bench/run.ts${flags ? ` ${flags}` : ''}`;

  return {
    rounds: rounds.value,
    seconds: seconds.value,
    warmupSeconds: 1,
    primeSeconds: Math.min(5, seconds.value),
    connections: 10,
    write,
    command,
    databaseUrl,
    processes,
  };
}

/** Seconds of load the whole bench applies (priming, warm-ups, measured runs), for three targets. */
export function loadSeconds(options: BenchOptions): number {
  return 3 * options.primeSeconds + options.rounds * 3 * (options.warmupSeconds + options.seconds);
}
