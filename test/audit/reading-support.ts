// Shared by the audit-reading tests: events written straight into the log as the database owner (as
// audit.append_event does, but with the times a test needs), callers by name, and a fresh synthetic person.
import { AUDIT_READ_BASIS, freshPid, GRANT_AUDIT_READ } from '../authorization/matrix-world.ts';
import { asPerson, dataOf, type Headers } from '../privileges/support.ts';
import { DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import type { TestPlatform } from '../support/platform.ts';

export { freshPid };

export interface SeedEvent {
  at: string;
  actorType: 'PERSON' | 'INTEGRATION' | 'PLATFORM';
  actorId: string;
  orgnr: string | null;
  service: string;
  action: string;
  dataSubject?: string | null;
  legalBasis?: string | null;
  onBehalfOf?: string | null;
  payload?: Record<string, unknown> | null;
}

/** Appends the events in order (so seq follows the array) and answers their ids. */
export async function insertEvents(platform: TestPlatform, events: SeedEvent[]): Promise<string[]> {
  const ids: string[] = [];
  for (const e of events) {
    const rows = await platform.db.query<{ id: string }>(
      `insert into audit.event (occurred_at, actor_type, actor_id, on_behalf_of, orgnr, service, action,
         data_subject, legal_basis, payload)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [
        e.at,
        e.actorType,
        e.actorId,
        e.onBehalfOf ?? null,
        e.orgnr,
        e.service,
        e.action,
        e.dataSubject ?? null,
        e.legalBasis ?? null,
        e.payload ?? null,
      ],
    );
    ids.push(rows[0]!.id);
  }
  return ids;
}

/** Aud, granted AUDIT.READ on the organisation's root by its administrator, logged in. */
export async function auditReader(
  platform: TestPlatform,
  admin: Headers,
  rootResourceId: string = DEMO_RESOURCES.fjordvikRoot,
): Promise<{ pid: string; headers: Headers }> {
  const { pid } = DEMO_PERSONS.aud;
  dataOf(
    await platform.graphql(
      GRANT_AUDIT_READ,
      { resourceId: rootResourceId, pid, legalBasis: AUDIT_READ_BASIS },
      admin,
    ),
  );
  return { pid, headers: await asPerson(platform, pid) };
}

/** The audit events of one action by one actor, newest first, read as the database owner. */
export function eventsOf(platform: TestPlatform, action: string, actorId: string) {
  return platform.db.query<{
    orgnr: string | null;
    data_subject: string | null;
    request_id: string | null;
    payload: Record<string, unknown>;
  }>(
    `select orgnr, data_subject, request_id, payload from audit.event
      where action = $1 and actor_id = $2 order by seq desc`,
    [action, actorId],
  );
}
