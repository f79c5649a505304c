// The highest memory the process reaches while something runs, relative to just before it. A timer samples every
// ~50 ms, but a busy event loop delays timers, so the streams also call `sample()` as bytes pass (throttled by the
// caller): a peak between two timer ticks is still seen.

export interface MemoryGrowth {
  /** Resident set size: everything the process holds, native buffers and the heap included. */
  rss: number;
  /** The JavaScript heap. */
  heapUsed: number;
  /** Memory of Buffers and other objects outside the heap (`external`, which includes `arrayBuffers`). */
  external: number;
  /** Of which ArrayBuffers (Buffer contents). */
  arrayBuffers: number;
}

export interface MemoryWatch {
  /** Takes one sample now. Cheap enough for every few MiB of a stream, not for every chunk. */
  sample: () => void;
  /** Stops the timer; answers each measure's peak minus its value when the watch started, in bytes. */
  stop: () => { growth: MemoryGrowth; rssBefore: number; rssPeak: number; samples: number };
}

const SAMPLE_INTERVAL_MS = 50;

function current(): MemoryGrowth {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers };
}

/** Starts watching. Call with the garbage collector just run (if exposed), so "before" is not leftover garbage. */
export function watchMemory(): MemoryWatch {
  const before = current();
  const peak = { ...before };
  let samples = 0;
  const sample = () => {
    const now = current();
    samples++;
    for (const key of Object.keys(peak) as (keyof MemoryGrowth)[]) peak[key] = Math.max(peak[key], now[key]);
  };
  const timer = setInterval(sample, SAMPLE_INTERVAL_MS);
  return {
    sample,
    stop: () => {
      clearInterval(timer);
      sample();
      return {
        growth: {
          rss: peak.rss - before.rss,
          heapUsed: peak.heapUsed - before.heapUsed,
          external: peak.external - before.external,
          arrayBuffers: peak.arrayBuffers - before.arrayBuffers,
        },
        // RSS seldom shrinks after earlier work, so its growth can read ~0 although the transfer used memory:
        // the absolute values show how high it stood.
        rssBefore: before.rss,
        rssPeak: peak.rss,
        samples,
      };
    },
  };
}

/** Runs the collector if the process was started with --expose-gc (npm run bench:documents is); otherwise nothing. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
