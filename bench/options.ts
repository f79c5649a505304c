// What one bench run is asked to do: from the command line (`--write`) and the environment (BENCH_SECONDS).
export interface BenchOptions {
  /** Length of each measured run. */
  seconds: number;
  /** Length of the priming run of each target, and of the warm-up run before each measured run. */
  warmupSeconds: number;
  /** Concurrent connections of the load generator. */
  connections: number;
  /** Write bench/RESULTS.md besides printing. */
  write: boolean;
  /** The command as it was typed, for RESULTS.md. */
  command: string;
}

const MAX_SECONDS = 600;

export function parseOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): BenchOptions {
  const unknown = argv.filter((arg) => arg !== '--write');
  if (unknown.length > 0)
    throw new Error(`unknown argument(s): ${unknown.join(' ')} (only --write is understood)`);
  const write = argv.includes('--write');

  const raw = env.BENCH_SECONDS;
  const seconds = raw === undefined || raw === '' ? 10 : Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SECONDS) {
    throw new Error(`BENCH_SECONDS: must be a whole number of seconds from 1 to ${MAX_SECONDS}`);
  }

  const prefix = raw ? `BENCH_SECONDS=${seconds} ` : '';
  const viaNpm = env.npm_lifecycle_event === 'bench';
  const command = viaNpm
    ? `${prefix}npm run bench${write ? ' -- --write' : ''}`
    : `${prefix}npx tsx bench/run.ts${write ? ' --write' : ''}`;

  return { seconds, warmupSeconds: Math.min(5, seconds), connections: 10, write, command };
}
