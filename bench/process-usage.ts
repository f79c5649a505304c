// What another process (a gateway or subgraph the bench started) costs while it is under load, read from Linux's
// /proc like `ps` and `top` do: its CPU time (all threads) and its resident memory. No dependency: two small files.
import { readFileSync } from 'node:fs';

/** Linux reports utime and stime in USER_HZ ticks, 100 a second on every common architecture. */
const TICKS_PER_SECOND = 100;
/** How often the resident set is sampled during a measured run. */
const RSS_SAMPLE_MS = 100;

/**
 * CPU seconds (user + system, all threads) from the text of /proc/<pid>/stat. The second field, the command name,
 * is in parentheses and may itself hold spaces and parentheses, so the fields are counted from the last `)`:
 * after it come state (field 3) … utime (14) and stime (15) — proc(5).
 */
export function cpuSecondsFromStat(stat: string): number {
  const fields = stat
    .slice(stat.lastIndexOf(')') + 1)
    .trim()
    .split(/\s+/);
  // fields[0] is field 3 (state), so field n is fields[n - 3].
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('unreadable /proc/<pid>/stat');
  return (utime + stime) / TICKS_PER_SECOND;
}

/** A `Name:   123 kB` line of /proc/<pid>/status, in bytes. */
export function statusBytes(status: string, name: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!match) throw new Error(`no ${name} in /proc/<pid>/status`);
  return Number(match[1]) * 1024;
}

export function cpuSecondsOf(pid: number): number {
  return cpuSecondsFromStat(procFile(pid, 'stat'));
}

/** A file of /proc/<pid>; a process that has exited has none, which is said in words. */
function procFile(pid: number, name: 'stat' | 'status'): string {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch (error) {
    throw new Error(`process ${pid} has exited (no /proc/${pid}/${name})`, { cause: error });
  }
}

function statusOf(pid: number): string {
  return procFile(pid, 'status');
}

/** The process's resident high-water mark since it started (VmHWM), in bytes. */
export function highWaterOf(pid: number): number {
  return statusBytes(statusOf(pid), 'VmHWM');
}

export interface ProcessRun {
  /** CPU seconds the process spent during the run. */
  cpuSeconds: number;
  /** Highest resident set size sampled during the run (every ~100 ms, and at its start and end). */
  rssPeakBytes: number;
  /** The kernel's high-water mark of the resident set since the process started (VmHWM): warm-up included. */
  rssHighWaterBytes: number;
}

export interface ProcessWatch {
  stop(): ProcessRun;
}

/** Starts watching process `pid`; `stop()` answers what it spent and held since. */
export function watchProcess(pid: number): ProcessWatch {
  const cpuBefore = cpuSecondsOf(pid);
  let rssPeak = statusBytes(statusOf(pid), 'VmRSS');
  const sample = () => {
    try {
      rssPeak = Math.max(rssPeak, statusBytes(statusOf(pid), 'VmRSS'));
    } catch {
      // The process is gone: the run's failed requests say so, and stop() throws.
    }
  };
  // The load generator runs in a worker thread, so this timer's event loop stays free during the run.
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const status = statusOf(pid);
      rssPeak = Math.max(rssPeak, statusBytes(status, 'VmRSS'));
      return {
        cpuSeconds: cpuSecondsOf(pid) - cpuBefore,
        rssPeakBytes: rssPeak,
        rssHighWaterBytes: statusBytes(status, 'VmHWM'),
      };
    },
  };
}
