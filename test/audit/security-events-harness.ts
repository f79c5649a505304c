// A second gateway in front of a running test platform whose security events the test can flush: counted events are
// written when their window closes, and a test never waits for that. Shares the platform's database, signer and
// identity stand-ins; `env` sets what is under test (login rate, window).
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/logger.ts';
import type { Db } from '../../db/database.ts';
import { buildGateway } from '../../gateway/index.ts';
import type { SecurityEvents } from '../../gateway/audit/security-events.ts';
import type { RunningPlatform } from '../../platform/start.ts';

export interface AuditedGateway {
  url: string;
  securityEvents: SecurityEvents;
  logs: string[];
  graphql(
    query: string,
    headers?: Record<string, string>,
    variables?: Record<string, unknown>,
  ): Promise<{ status: number; body: { data?: unknown; errors?: { extensions?: { code?: string } }[] } }>;
  stop(): Promise<void>;
}

export async function startAuditedGateway(
  platform: RunningPlatform,
  env: Record<string, string> = {},
): Promise<AuditedGateway> {
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', name: 'test', destination: { write: (l) => logs.push(l) } });
  const own = loadConfig(env);
  const config = {
    ...platform.config,
    session: { ...platform.config.session, loginRate: own.session.loginRate },
    securityEvents: own.securityEvents,
  };
  const { app, securityEvents } = await buildGateway(config, logger, {
    db: platform.db,
    subgraphUrls: platform.subgraphUrls,
    signer: platform.signer,
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    securityEvents,
    logs,
    async graphql(query, headers = {}, variables) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as never };
    },
    stop: () => app.close(),
  };
}

export interface StoredEvent {
  actor_type: string;
  actor_id: string;
  on_behalf_of: string | null;
  orgnr: string | null;
  service: string;
  action: string;
  data_subject: string | null;
  request_id: string | null;
  payload: Record<string, unknown>;
}

/** The stored events of one action, oldest first (read as the database owner, past row-level security). */
export function storedEvents(db: Db, action: string): Promise<StoredEvent[]> {
  return db.query<StoredEvent>(
    `select actor_type, actor_id, on_behalf_of, orgnr, service, action, data_subject, request_id, payload
       from audit.event where action = $1 order by seq`,
    [action],
  );
}

/** Every stored event as text, to search for secrets that must never be in one. */
export async function everyEventAsText(db: Db): Promise<string> {
  const rows = await db.query('select * from audit.event');
  return JSON.stringify(rows);
}
