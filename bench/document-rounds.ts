// What `npm run bench:documents` measures in one round: the in-memory reference (plain AES-256-GCM over 64 KiB
// segments, and our segmented format), then for each size the uploads through the gateway, timed together, then the
// downloads of the same documents, timed together. The client, the gateway, the subgraphs and the database all run in
// this one process, so the CPU time is the whole path's, the client's share included.
import os from 'node:os';
import { formatThroughput, rawAesGcmThroughput } from './content-crypto.ts';
import { deleteDocument, downloadDocument, uploadDocument, type Door } from './document-transfers.ts';
import { otherProcessesShare, sampleCpu, waitForQuiet } from './machine.ts';
import { collectGarbage, watchMemory, type MemoryGrowth } from './memory-peaks.ts';

export const MiB = 2 ** 20;

export interface SizeSetting {
  label: string;
  bytes: number;
  /** Documents of this size moved one after the other, timed as one run. */
  count: number;
  /** Sample memory during its transfers (the 1 GiB one). */
  watchMemory: boolean;
}

export const SIZES: readonly SizeSetting[] = [
  { label: '1 MiB', bytes: MiB, count: 32, watchMemory: false },
  { label: '64 MiB', bytes: 64 * MiB, count: 2, watchMemory: false },
  { label: '1 GiB', bytes: 1024 * MiB, count: 1, watchMemory: true },
];

/** Bytes the in-memory references encrypt (and decrypt) each round. */
export const RAW_BYTES = 256 * MiB;
/** The format's reference keeps the ciphertext in memory to decrypt it: kept smaller, so it leaves little behind. */
export const FORMAT_BYTES = 64 * MiB;
/** During the big transfer, memory is also sampled from the stream after about every this many bytes. */
const SAMPLE_EVERY_BYTES = 4 * MiB;

export type Direction = 'upload' | 'download';

export interface TransferRun {
  direction: Direction;
  size: SizeSetting;
  /** Wall-clock seconds for all `size.count` documents: the GraphQL call for the link and the content transfer. */
  seconds: number;
  /** CPU seconds this process used (all threads) over the run. */
  cpuSeconds: number;
  /** Share of the machine's CPU other processes took meanwhile; undefined where it cannot be seen. */
  otherCpu: number | undefined;
  memory?: { growth: MemoryGrowth; rssBefore: number; rssPeak: number };
}

export interface DocumentsRound {
  round: number;
  /** os.loadavg()[0] when the round began, and how long it waited for other processes to quieten (false: never). */
  loadAverage: number;
  waitedForQuiet: number | false;
  /** MB/s of one direction of plain AES-256-GCM, in memory. */
  raw: number;
  format: { encrypt: number; decrypt: number };
  transfers: TransferRun[];
}

export interface Callers {
  /** Fresh headers: Maskinporten and ID-porten tokens live 120 s, so each size gets new ones (untimed). */
  caseSystem: () => Promise<Record<string, string>>;
  ola: () => Promise<Record<string, string>>;
}

/** 1 MB = 10^6 bytes, as the in-memory references count. */
export const megabytesPerSecond = (run: TransferRun) => (run.size.bytes * run.size.count) / 1e6 / run.seconds;
export const cpuMillisPerMiB = (run: TransferRun) =>
  (run.cpuSeconds * 1000) / ((run.size.bytes * run.size.count) / MiB);

async function timed(
  direction: Direction,
  size: SizeSetting,
  work: (sample: (() => void) | undefined) => Promise<void>,
): Promise<TransferRun> {
  collectGarbage();
  const watch = size.watchMemory ? watchMemory() : undefined;
  const cpuBefore = sampleCpu();
  const startedAt = process.hrtime.bigint();
  let memory: TransferRun['memory'];
  try {
    await work(watch?.sample);
  } finally {
    // Stopped even when the transfer failed: a live timer would keep the process from exiting.
    memory = watch?.stop();
  }
  const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
  const cpuAfter = sampleCpu();
  return {
    direction,
    size,
    seconds,
    cpuSeconds: cpuAfter.own - cpuBefore.own,
    otherCpu: otherProcessesShare(cpuBefore, cpuAfter),
    ...(memory ? { memory } : {}),
  };
}

export async function measureRound(
  round: number,
  door: Door,
  callers: Callers,
  quietWaitSeconds: number,
): Promise<DocumentsRound> {
  const waitedForQuiet = await waitForQuiet(0.1, quietWaitSeconds);
  const loadAverage = os.loadavg()[0] ?? 0;
  const raw = await rawAesGcmThroughput(RAW_BYTES);
  const format = await formatThroughput(FORMAT_BYTES);
  const transfers: TransferRun[] = [];
  for (const size of SIZES) {
    const caseSystem = await callers.caseSystem();
    const ids: string[] = [];
    transfers.push(
      await timed('upload', size, async (sample) => {
        const onProgress = sample ? { everyBytes: SAMPLE_EVERY_BYTES, call: sample } : undefined;
        for (let i = 0; i < size.count; i++)
          ids.push(await uploadDocument(door, caseSystem, size.bytes, { onProgress }));
      }),
    );
    const ola = await callers.ola();
    transfers.push(
      await timed('download', size, async (sample) => {
        const onProgress = sample ? { everyBytes: SAMPLE_EVERY_BYTES, call: sample } : undefined;
        for (const id of ids) await downloadDocument(door, ola, id, size.bytes, { onProgress });
      }),
    );
    for (const id of ids) await deleteDocument(door, ola, id);
  }
  return { round, loadAverage, waitedForQuiet, raw, format, transfers };
}
