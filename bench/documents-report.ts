// Turns `npm run bench:documents`'s rounds into what it prints and into bench/RESULTS-documents.md.
import { format, resolveConfig } from 'prettier';
import {
  cpuMillisPerMiB,
  megabytesPerSecond,
  MiB,
  SIZES,
  FORMAT_BYTES,
  RAW_BYTES,
  type Direction,
  type DocumentsRound,
  type TransferRun,
} from './document-rounds.ts';
import { machineFacts } from './machine.ts';
import { median } from './report.ts';

export const DOCUMENTS_RESULTS_FILE = new URL('./RESULTS-documents.md', import.meta.url);

/** Issue #11: content through the gateway at no less than this share of plain AES-256-GCM's throughput. */
export const RAW_SHARE_AIM = 0.8;

export interface DocumentsReport {
  date: Date;
  command: string;
  database: string;
  rounds: DocumentsRound[];
}

const DIRECTIONS: readonly Direction[] = ['upload', 'download'];
const percent = (share: number | undefined) =>
  share === undefined ? 'n/a' : `${(share * 100).toFixed(0)} %`;
const mib = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / MiB).toFixed(1)}`;

function runOf(round: DocumentsRound, label: string, direction: Direction): TransferRun {
  const run = round.transfers.find((t) => t.size.label === label && t.direction === direction);
  if (!run) throw new Error(`round ${round.round} has no ${direction} of ${label}`);
  return run;
}

const busiest = (round: DocumentsRound) => {
  const shares = round.transfers.map((t) => t.otherCpu);
  return shares.some((s) => s === undefined) ? undefined : Math.max(...shares.map((s) => s ?? 0));
};

function roundsTable(rounds: DocumentsRound[]): string[] {
  const columns = SIZES.flatMap((s) => DIRECTIONS.map((d) => `${d} ${s.label}`));
  return [
    `| Round | Load average (1 min) at start | CPU taken by other processes (max of the transfers) | raw AES-GCM | format encrypt | format decrypt | ${columns.join(' | ')} |`,
    `| ---: | ---: | ---: | ---: | ---: | ---: | ${columns.map(() => '---:').join(' | ')} |`,
    ...rounds.map((r) => {
      const cells = SIZES.flatMap((s) =>
        DIRECTIONS.map((d) => megabytesPerSecond(runOf(r, s.label, d)).toFixed(0)),
      );
      return `| ${r.round} | ${r.loadAverage.toFixed(2)} | ${percent(busiest(r))} | ${r.raw.toFixed(0)} | ${r.format.encrypt.toFixed(0)} | ${r.format.decrypt.toFixed(0)} | ${cells.join(' | ')} |`;
    }),
  ];
}

/** Per size and direction: medians over the rounds; the ratio to raw is taken within each round, then the median. */
export function summary(rounds: DocumentsRound[]) {
  return SIZES.flatMap((size) =>
    DIRECTIONS.map((direction) => {
      const runs = rounds.map((r) => runOf(r, size.label, direction));
      const ratios = rounds.map((r) => megabytesPerSecond(runOf(r, size.label, direction)) / r.raw);
      return {
        size,
        direction,
        megabytesPerSecond: median(runs.map(megabytesPerSecond)),
        ratio: median(ratios),
        minRatio: Math.min(...ratios),
        maxRatio: Math.max(...ratios),
        cpuMillisPerMiB: median(runs.map(cpuMillisPerMiB)),
      };
    }),
  );
}

function summaryTable(rounds: DocumentsRound[]): string[] {
  return [
    `| Transfer | Documents a round | MB/s (median) | / raw AES-GCM (median of the rounds) | Rounds ranged | Aim >= ${RAW_SHARE_AIM} | CPU ms per MiB (median, whole process) |`,
    '| --- | ---: | ---: | ---: | ---: | --- | ---: |',
    ...summary(rounds).map(
      (s) =>
        `| ${s.direction} ${s.size.label} | ${s.size.count} | ${s.megabytesPerSecond.toFixed(0)} | ${s.ratio.toFixed(2)} | ${s.minRatio.toFixed(2)}–${s.maxRatio.toFixed(2)} | ${s.ratio >= RAW_SHARE_AIM ? 'met' : 'NOT met'} | ${s.cpuMillisPerMiB.toFixed(2)} |`,
    ),
  ];
}

function memoryTable(rounds: DocumentsRound[]): string[] {
  const watched = SIZES.filter((s) => s.watchMemory);
  const rows = rounds.flatMap((r) =>
    watched.flatMap((s) =>
      DIRECTIONS.map((d) => ({
        round: r.round,
        label: `${d} ${s.label}`,
        memory: runOf(r, s.label, d).memory,
      })),
    ),
  );
  const cells = (m: TransferRun['memory']) =>
    m
      ? [
          `${(m.rssBefore / MiB).toFixed(0)} → ${(m.rssPeak / MiB).toFixed(0)}`,
          ...[m.growth.rss, m.growth.heapUsed, m.growth.external, m.growth.arrayBuffers].map(mib),
        ].join(' | ')
      : 'n/a | n/a | n/a | n/a | n/a';
  return [
    '| Round | Transfer | rss before → peak MiB | rss MiB | heapUsed MiB | external MiB | of which arrayBuffers MiB |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((row) => `| ${row.round} | ${row.label} | ${cells(row.memory)} |`),
  ];
}

export function renderDocumentsResults(report: DocumentsReport): string {
  const rows = summary(report.rounds);
  const met = rows.filter((s) => s.ratio >= RAW_SHARE_AIM).map((s) => `${s.direction} ${s.size.label}`);
  const loads = report.rounds.map((r) => r.loadAverage.toFixed(2)).join(', ');
  return [
    `Machine: ${machineFacts()}; load average (1 min) at the start of the rounds: ${loads}. Database: ${report.database}. ${report.database.startsWith('in-memory') ? 'The client, the gateway, the four subgraphs and the database' : 'The client, the gateway and the four subgraphs'} all run in this one Node process.`,
    '',
    `Method: ${report.rounds.length} round${report.rounds.length === 1 ? '' : 's'}; each measures, in this order, plain AES-256-GCM over 64 KiB segments in memory (${RAW_BYTES / MiB} MiB encrypted and decrypted; MB/s of one direction), our segmented format's streams in memory (${FORMAT_BYTES / MiB} MiB), then for each size the uploads (${SIZES.map((s) => `${s.count} × ${s.label}`).join(', ')}), one after the other, each a startDocumentUpload call and a streaming PUT through the gateway, and then the downloads of the same documents as Ola (startDocumentDownload and a streaming GET, bytes counted and dropped). MB/s = 10^6 bytes a second, link calls included.`,
    '',
    '### Each round (MB/s)',
    '',
    ...roundsTable(report.rounds),
    '',
    '### Medians',
    '',
    ...summaryTable(report.rounds),
    '',
    `- Aim (issue #11): content through the gateway at >= ${RAW_SHARE_AIM} of plain AES-256-GCM: ${met.length === rows.length ? 'met for every size and direction' : met.length === 0 ? 'NOT met for any size or direction' : `met only for ${met.join(', ')}`}.`,
    '',
    '### Memory during the 1 GiB transfers (peak minus just before, garbage collected first)',
    '',
    ...memoryTable(report.rounds),
    '',
  ].join('\n');
}

export async function renderDocumentsMarkdown(report: DocumentsReport, howToRead: string): Promise<string> {
  const markdown = `# Document content bench results (\`npm run bench:documents\`)

- Command: \`${report.command}\`
- Date: ${report.date.toISOString()}

${renderDocumentsResults(report)}
${howToRead}`;
  const config = await resolveConfig(DOCUMENTS_RESULTS_FILE);
  return format(markdown, { ...config, parser: 'markdown' });
}
