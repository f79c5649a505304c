// The authorization matrix's rows for reading the audit log (issue #10 items 9–11): the organisation's search and
// snooping report for its administrator and AUDIT.READ holder only, and each person's own access log — for the
// citizen and an integration acting for the citizen the citizen's events, for every other person their own, for an
// integration on its own nothing. Each row checks what came back too: nothing of another organisation or person.
import { expect } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { appendAuditEvent } from '../../auditlog/append.ts';
import type { TestPlatform } from '../support/platform.ts';
import {
  FJ,
  FJORDVIK_LOG_READERS,
  freshPid,
  HEIBERG,
  HEIBERG_ADMIN_ONLY,
  NOBODY,
  type Actor,
  type Outcome,
  type Row,
  type World,
} from './matrix-world.ts';

/** Whose access log each caller reads: a person their own; an integration acting for the citizen, his. */
const LOG_OF: Partial<Record<Actor, string>> = {
  citizen: DEMO_PERSONS.ola.pid,
  integrationForPerson: DEMO_PERSONS.ola.pid,
  actsForWithRole: DEMO_PERSONS.liv.pid,
  orgAdmin: DEMO_PERSONS.kari.pid,
  serviceAdmin: DEMO_PERSONS.siri.pid,
  narrowPrivilege: DEMO_PERSONS.per.pid,
  otherOrgAdmin: DEMO_PERSONS.hans.pid,
  platformOperator: DEMO_PERSONS.operator.pid,
  auditReader: DEMO_PERSONS.aud.pid,
};

/** Reads of persons' data, as the audit plugin records them: two about Ola (in Fjordvik by Kari, in Heiberg by
 * Hans), one about somebody else in Fjordvik by Kari; and one about each person caller, so that every person's log
 * holds something of theirs whatever the other rows did. Written once per platform, before the first row asks. */
interface Reads {
  olaInFjordvik: string;
  olaInHeiberg: string;
  someoneElse: string;
  /** pid → the event about that person. */
  about: Map<string, string>;
}
const written = new WeakMap<TestPlatform, Promise<Reads>>();

function reads(world: World): Promise<Reads> {
  let done = written.get(world.platform);
  if (!done) {
    const read = (actorId: string, orgnr: string | null, dataSubject: string) =>
      appendAuditEvent(world.platform.db, {
        actorType: 'PERSON',
        actorId,
        onBehalfOf: null,
        orgnr,
        service: 'documents',
        action: 'PERSONAL_DATA_READ',
        dataSubject,
        legalBasis: 'forvaltningsloven § 13 b',
        requestId: null,
        payload: {
          resourceType: 'Document',
          resourceId: DEMO_DOCUMENTS.kindergartenDecision,
          fields: ['title'],
        },
      });
    done = (async () => {
      const about = new Map<string, string>();
      for (const pid of new Set(Object.values(LOG_OF))) {
        // By a person who is none of the callers, so it is nobody's own act.
        about.set(pid, await read(freshPid(), null, pid));
      }
      return {
        olaInFjordvik: await read(DEMO_PERSONS.kari.pid, FJ, DEMO_PERSONS.ola.pid),
        olaInHeiberg: await read(DEMO_PERSONS.hans.pid, HEIBERG, DEMO_PERSONS.ola.pid),
        someoneElse: await read(DEMO_PERSONS.kari.pid, FJ, freshPid()),
        about,
      };
    })();
    written.set(world.platform, done);
  }
  return done;
}

const logRow = (orgnr: string, outcomes: Record<Actor, Outcome>): Row => ({
  name: `searching the audit log of ${orgnr}`,
  query: `{ auditLog(orgnr: "${orgnr}") { events { action organization { orgnr } } nextCursor } }`,
  outcomes,
  attempt: async (world, actor) => {
    await reads(world);
    return {
      after: (outcome, response) => {
        if (outcome !== 'allow') return;
        const { events } = response.body.data?.auditLog as { events: { organization: { orgnr: string } }[] };
        expect(events.length, `${actor}: events`).toBeGreaterThan(0);
        expect(new Set(events.map((e) => e.organization.orgnr)), `${actor}: organisations`).toEqual(
          new Set([orgnr]),
        );
      },
    };
  },
});

/** Every person has a log of their own, and so has an integration acting for one; an integration alone has none. */
const OWN_LOG: Record<Actor, Outcome> = {
  ...NOBODY,
  ...(Object.fromEntries(Object.keys(LOG_OF).map((actor) => [actor, 'allow'])) as Partial<
    Record<Actor, Outcome>
  >),
};

export const AUDIT_READING_ROWS: Row[] = [
  logRow(FJ, FJORDVIK_LOG_READERS),
  logRow(HEIBERG, HEIBERG_ADMIN_ONLY),
  {
    name: "Fjordvik's snooping report",
    query: `{ snoopingReport(orgnr: "${FJ}", from: "2000-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z") {
      threshold actors { actorType actorId distinctPersons flagged }
    } }`,
    outcomes: FJORDVIK_LOG_READERS,
    attempt: async (world, actor) => {
      await reads(world);
      return {
        after: (outcome, response) => {
          if (outcome !== 'allow') return;
          const { actors } = response.body.data?.snoopingReport as {
            actors: { actorId: string; distinctPersons: number }[];
          };
          const kari = actors.find((a) => a.actorId === DEMO_PERSONS.kari.pid);
          expect(kari?.distinctPersons, `${actor}: Kari's reads in Fjordvik`).toBeGreaterThanOrEqual(2);
          expect(
            actors.map((a) => a.actorId),
            `${actor}: Heiberg's reader`,
          ).not.toContain(DEMO_PERSONS.hans.pid);
        },
      };
    },
  },
  {
    name: 'my access log',
    query:
      '{ myAccessLog(first: 500) { entries { eventId organization { orgnr } actorType legalBasis } nextCursor } }',
    outcomes: OWN_LOG,
    attempt: async (world, actor) => {
      const ids = await reads(world);
      return {
        after: (outcome, response) => {
          if (outcome === 'deny') return;
          const { entries } = response.body.data?.myAccessLog as { entries: { eventId: string }[] };
          const seen = entries.map((e) => e.eventId);
          const own = LOG_OF[actor]!;
          const isOla = own === DEMO_PERSONS.ola.pid;
          expect(seen, `${actor}: their own`).toContain(ids.about.get(own));
          for (const [pid, id] of ids.about)
            if (pid !== own) expect(seen, `${actor}: ${pid}'s`).not.toContain(id);
          expect(seen.includes(ids.olaInFjordvik), `${actor}: Ola's read in Fjordvik`).toBe(isOla);
          expect(seen.includes(ids.olaInHeiberg), `${actor}: Ola's read in Heiberg`).toBe(isOla);
          expect(seen, `${actor}: somebody else's`).not.toContain(ids.someoneElse);
        },
      };
    },
  },
];
