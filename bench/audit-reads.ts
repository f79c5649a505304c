// The price of the read audit (issue #10, item 5): the same read-heavy query, through our gateway, against two
// platforms in this one process that differ only in the read audit — one as deployed, one started with the bench-only
// `benchWithoutReadAudit` (no audit plugin, no legal-basis rule). Measured in interleaved rounds like `npm run bench`.
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../common/config.ts';
import { BENCH_UNTHROTTLED } from './rate-limit-settings.ts';
import { benchAuditLogSettings } from './audit-log-settings.ts';
import { DEMO_ORGS, DEMO_PERSONS } from '../common/demo-identities.ts';
import type { Logger } from '../common/logger.ts';
import { createScratchDatabase } from '../db/scratch-database.ts';
import { startPlatform, type RunningPlatform } from '../platform/start.ts';
import { personAccessToken } from '../test/support/identity.ts';
import { generateSigningKey } from './caller-tokens.ts';
import { measure, warmUp, type Measurement } from './load.ts';
import { waitForQuiet } from './machine.ts';
import { BUSY_NEIGHBOURS } from './report.ts';
import type { Target } from './targets.ts';

/** An administrator (Kari, Fjordvik) reading her organisation: the documents with the persons they are exposed to,
 * and every resource's grants. Each answer reads three other persons' data (Ola's document, Per's and Siri's
 * grants) in two subgraphs, so the audited platform stores three PERSONAL_DATA_READ events per request. */
export const AUDITED_QUERY = `query AuditedReads { organization(orgnr: "${DEMO_ORGS.fjordvik.orgnr}") {
  name documents { title exposedTo { kind value } } resources { name grants { actorType actorId privilege } } } }`;

export type Variant = 'unaudited' | 'audited';
export const VARIANTS: readonly Variant[] = ['unaudited', 'audited'];

export interface ReadsSettings {
  databaseUrl: string | undefined;
  rounds: number;
  seconds: number;
  primeSeconds: number;
  connections: number;
  quietWaitSeconds: number;
  logger: Logger;
  log: (line: string) => void;
}

export interface ReadsRound {
  round: number;
  order: Variant[];
  measurements: Record<Variant, Measurement>;
}

export interface ReadsResult {
  database: 'PGlite' | 'PostgreSQL';
  rounds: ReadsRound[];
  /** PERSONAL_DATA_READ events each request stored, checked before measuring (20 requests, one at a time). */
  eventsPerRequest: Record<Variant, number>;
  /** Every PERSONAL_DATA_READ event the audited platform held after the runs; the (request, subgraph) pairs they came
   * from, each of which appends once; and the transactions that stored them (rows of one transaction share its xmin):
   * appends / commits is the mean group. */
  stored: { events: number; appends: number; commits: number };
}

const storedReads = async (platform: RunningPlatform) =>
  (
    await platform.db.query<ReadsResult['stored']>(
      `select count(*)::int as events, count(distinct (request_id, service))::int as appends,
              count(distinct xmin::text)::int as commits
         from audit.event where action = 'PERSONAL_DATA_READ'`,
    )
  )[0]!;

const countReads = async (platform: RunningPlatform) =>
  (
    await platform.db.query<{ n: number }>(
      `select count(*)::int as n from audit.event where action = 'PERSONAL_DATA_READ'`,
    )
  )[0]!.n;

export async function startVariant(
  variant: Variant,
  settings: Pick<ReadsSettings, 'databaseUrl' | 'logger'>,
) {
  const scratch = settings.databaseUrl
    ? await createScratchDatabase(settings.databaseUrl, 'fiks_bench')
    : undefined;
  try {
    const platform = await startPlatform({
      config: loadConfig({
        SEED_DEMO_DATA: 'true',
        LOG_LEVEL: 'silent',
        CALLER_SIGNING_KEY: generateSigningKey(),
        ...benchAuditLogSettings(),
        ...BENCH_UNTHROTTLED,
      }),
      logger: settings.logger,
      database: scratch?.target ?? { kind: 'pglite' },
      ephemeralPorts: true,
      benchWithoutReadAudit: variant === 'unaudited',
    });
    // ID-porten access tokens live 120 s: each run gets a fresh login.
    const fresh = async (): Promise<Target> => ({
      key: variant === 'audited' ? 'c' : 'b',
      label: variant,
      url: `${platform.gatewayUrl}/graphql`,
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}`,
      },
      body: JSON.stringify({ query: AUDITED_QUERY, operationName: 'AuditedReads' }),
      expectedData: undefined,
    });
    const stop = async () => {
      await platform.stop();
      await scratch?.drop();
    };
    return { platform, fresh, stop };
  } catch (error) {
    await scratch?.drop();
    throw error;
  }
}

/** Sends the query `times` times, one at a time; every answer must be a 200 with the same body and no errors. */
export async function check(target: Target, times: number): Promise<string> {
  let first: string | undefined;
  for (let i = 0; i < times; i++) {
    const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body });
    const text = await response.text();
    const parsed = JSON.parse(text) as { errors?: unknown; data?: unknown };
    if (response.status !== 200 || parsed.errors !== undefined || !parsed.data) {
      throw new Error(`${target.label} answered ${response.status}: ${text}`);
    }
    if (first !== undefined && text !== first) throw new Error(`${target.label} answered differently`);
    first = text;
  }
  return first!;
}

export async function benchReads(settings: ReadsSettings): Promise<ReadsResult> {
  const database = settings.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const started: Partial<Record<Variant, Awaited<ReturnType<typeof startVariant>>>> = {};
  try {
    for (const variant of VARIANTS) started[variant] = await startVariant(variant, settings);
    const run = (variant: Variant) => started[variant]!;

    // Both must answer exactly the same data; the audited one stores its events, the other none.
    const bodies = {} as Record<Variant, string>;
    const eventsPerRequest = {} as Record<Variant, number>;
    const CHECKS = 20;
    for (const variant of VARIANTS) {
      const before = await countReads(run(variant).platform);
      bodies[variant] = await check(await run(variant).fresh(), CHECKS);
      eventsPerRequest[variant] = ((await countReads(run(variant).platform)) - before) / CHECKS;
    }
    if (!isDeepStrictEqual(JSON.parse(bodies.audited), JSON.parse(bodies.unaudited))) {
      throw new Error('the audited and the unaudited platform answered different data');
    }
    if (eventsPerRequest.audited < 1 || eventsPerRequest.unaudited !== 0) {
      throw new Error(
        `events per request: ${JSON.stringify(eventsPerRequest)}; the switch does not do its job`,
      );
    }

    settings.log(`${database}: priming both (${settings.primeSeconds} s each) ...`);
    for (const variant of VARIANTS) {
      await warmUp(await run(variant).fresh(), bodies[variant], settings, settings.primeSeconds);
    }
    const rounds: ReadsRound[] = [];
    for (let round = 1; round <= settings.rounds; round++) {
      const waited = await waitForQuiet(BUSY_NEIGHBOURS, settings.quietWaitSeconds);
      if (waited === false)
        settings.log(`machine still busy after ${settings.quietWaitSeconds} s; measuring anyway`);
      // Every other round the other goes first, so neither always follows the other.
      const order: Variant[] = round % 2 === 1 ? ['unaudited', 'audited'] : ['audited', 'unaudited'];
      const measurements = {} as Record<Variant, Measurement>;
      for (const variant of order) {
        measurements[variant] = await measure(await run(variant).fresh(), bodies[variant], {
          seconds: settings.seconds,
          warmupSeconds: 1,
          connections: settings.connections,
        });
      }
      rounds.push({ round, order, measurements });
      const rps = (v: Variant) => measurements[v].requestsPerSecond;
      settings.log(
        `${database} round ${round}/${settings.rounds}: unaudited ${rps('unaudited').toFixed(0)}/s, ` +
          `audited ${rps('audited').toFixed(0)}/s, ratio ${(rps('audited') / rps('unaudited')).toFixed(2)}`,
      );
    }
    return { database, rounds, eventsPerRequest, stored: await storedReads(run('audited').platform) };
  } finally {
    for (const variant of [...VARIANTS].reverse()) await started[variant]?.stop();
  }
}
