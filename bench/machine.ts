// Facts about the machine, and how much of it other processes took while we measured: on a shared machine a busy
// neighbour moves the numbers more than the differences we look for, so each run reports it.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export function machineFacts(): string {
  const cpus = os.cpus();
  return `Node ${process.version}, ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores (${os.platform()} ${os.arch()})`;
}

export interface CpuSample {
  /** Busy and total CPU seconds of the whole machine since boot; undefined where /proc/stat is not available. */
  machine: { busy: number; total: number } | undefined;
  /** CPU seconds used by this process, all threads. */
  own: number;
}

/** Linux reports /proc/stat in USER_HZ ticks, 100 a second on every common architecture. */
const TICKS_PER_SECOND = 100;

function machineCpu(): CpuSample['machine'] {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const [label, ...fields] = line.trim().split(/\s+/);
    if (label !== 'cpu') return undefined;
    // user nice system idle iowait irq softirq steal (guest time is already counted in user and nice)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
    const busy = [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? 0), 0);
    const total = busy + (idle ?? 0) + (iowait ?? 0);
    return { busy: busy / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
  } catch {
    return undefined;
  }
}

export function sampleCpu(): CpuSample {
  const { user, system } = process.cpuUsage();
  return { machine: machineCpu(), own: (user + system) / 1e6 };
}

/** Share (0..1) of the machine's CPU capacity that other processes used between two samples, if known. */
export function otherProcessesShare(from: CpuSample, to: CpuSample): number | undefined {
  if (!from.machine || !to.machine) return undefined;
  const total = to.machine.total - from.machine.total;
  if (total <= 0) return undefined;
  const others = to.machine.busy - from.machine.busy - (to.own - from.own);
  return Math.min(1, Math.max(0, others / total));
}

/**
 * Waits, up to maxSeconds, for a second in which other processes took no more than `share` of the machine's CPU.
 * Returns how long it waited; false if the machine never got that quiet (or cannot be watched).
 */
export async function waitForQuiet(share: number, maxSeconds: number): Promise<number | false> {
  for (let waited = 0; waited < maxSeconds; waited++) {
    const before = sampleCpu();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const others = otherProcessesShare(before, sampleCpu());
    if (others === undefined) return false;
    if (others <= share) return waited;
  }
  return false;
}
