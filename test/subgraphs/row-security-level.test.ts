// Security level 4 means a high login, in the database too (issue #9 item 7): the documents schema asked directly,
// as each kind of caller at each login level, with a query that filters on nothing, returns a document only when the
// caller may see it AND their login meets its level — so even a resolver that forgot the level check reads no
// level-4 row for a substantial login. documents.step_up_level tells exactly the callers who would see the document
// after a stronger login.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR_LEVELS, type Acr, type Principal } from '../../access/principal.ts';
import { loginMeetsSecurityLevel } from '../../access/security-level.ts';
import { DEMO_DOCUMENTS, DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { DocumentsStore } from '../../subgraphs/documents/store.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const D = DEMO_DOCUMENTS;
const LEVEL: Record<string, number> = {
  [D.kindergartenDecision]: 3,
  [D.socialAssistance]: 4,
  [D.buildingPermit]: 4,
  [D.caseFile]: 3,
  [D.invoice]: 3,
};
const DOCUMENTS = Object.keys(LEVEL);
const FJORDVIK = [D.kindergartenDecision, D.socialAssistance, D.buildingPermit, D.caseFile];

const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
const person = (pid: string, acr: Acr): Principal => ({ kind: 'person', pid, acr });
const integration = (onBehalfOf?: { pid: string; acr: Acr }): Principal => ({
  kind: 'integration',
  integrationId: CASE_SYSTEM,
  orgnr: DEMO_ORGS.vendor.orgnr,
  ...(onBehalfOf ? { onBehalfOf } : {}),
});

interface Caller {
  name: string;
  principal: Principal;
  /** What the caller sees at any login level: exposed to them, or held by an organisation they administer. */
  exposed: string[];
  /** The strongest security level their login meets: 4 for high, 3 for substantial, 0 for low. */
  meets: number;
}

const CALLERS: Caller[] = [];
for (const [acr, meets] of [
  ['idporten-loa-low', 0],
  ['idporten-loa-substantial', 3],
  ['idporten-loa-high', 4],
] as const) {
  CALLERS.push(
    {
      name: `Ola (citizen) at ${acr}`,
      principal: person(DEMO_PERSONS.ola.pid, acr),
      exposed: [D.kindergartenDecision, D.socialAssistance, D.invoice],
      meets,
    },
    {
      name: `Kari (Fjordvik admin) at ${acr}`,
      principal: person(DEMO_PERSONS.kari.pid, acr),
      exposed: FJORDVIK,
      meets,
    },
    {
      name: `Hans (Heiberg admin) at ${acr}`,
      principal: person(DEMO_PERSONS.hans.pid, acr),
      exposed: [D.invoice],
      meets,
    },
    // Siri administers the SvarUt account, so holds SVARUT.SEND there: the permit's AUTHORIZATION exposure.
    {
      name: `Siri (service admin) at ${acr}`,
      principal: person(DEMO_PERSONS.siri.pid, acr),
      exposed: [D.buildingPermit],
      meets,
    },
    { name: `Per (not exposed) at ${acr}`, principal: person(DEMO_PERSONS.per.pid, acr), exposed: [], meets },
    {
      // The integration's exposures count, the person's login level applies.
      name: `the case system for Ola at ${acr}`,
      principal: integration({ pid: DEMO_PERSONS.ola.pid, acr }),
      exposed: [D.buildingPermit, D.caseFile],
      meets,
    },
  );
}
// Maskinporten alone: no person's login, and Fiks lets an integration read level-4 documents exposed to it.
CALLERS.push({
  name: 'the case system alone',
  principal: integration(),
  exposed: [D.buildingPermit, D.caseFile],
  meets: 4,
});

const sees = (caller: Caller, id: string) => caller.exposed.includes(id) && LEVEL[id]! <= caller.meets;
const couldAfterStepUp = (caller: Caller, id: string) => caller.exposed.includes(id) && !sees(caller, id);

describe('documents / row-level security by security level', () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it('seeds the levels this family assumes', async () => {
    const rows = await platform.db.query<{ id: string; security_level: number }>(
      'select id, security_level from documents.document',
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.security_level]))).toEqual(LEVEL);
  });

  for (const caller of CALLERS) {
    it(`shows ${caller.name} exactly the documents whose level the login meets`, async () => {
      const scoped = callerScoped(platform.db, caller.principal);
      // No filter at all in the query: whatever is missing, the policies hid.
      const documents = await scoped.query<{ id: string }>('select id from documents.document');
      const expected = DOCUMENTS.filter((id) => sees(caller, id)).sort();
      expect(documents.map((r) => r.id).sort()).toEqual(expected);
      const exposures = await scoped.query<{ document_id: string }>(
        'select distinct document_id from documents.exposure',
      );
      expect(exposures.map((r) => r.document_id).sort()).toEqual(expected);
      const store = new DocumentsStore(scoped);
      for (const id of DOCUMENTS) {
        expect((await store.document(id))?.id ?? null, `${caller.name}: ${id}`).toBe(
          sees(caller, id) ? id : null,
        );
      }
    });

    it(`tells ${caller.name} to step up exactly for documents they would see at a higher level`, async () => {
      const store = new DocumentsStore(callerScoped(platform.db, caller.principal));
      for (const id of [...DOCUMENTS, 'd0000000-0000-4000-8000-0000000000ff']) {
        const expected = couldAfterStepUp(caller, id) ? LEVEL[id] : null;
        expect(await store.stepUpLevel(id), `${caller.name}: ${id}`).toBe(expected);
      }
    });
  }

  it('refuses a level-4 row to a caller whose acr setting is missing, whatever else the transaction says', async () => {
    const rows = await platform.db.transaction(async (tx) => {
      await tx.query(
        `select set_config('role', 'fiks_app', true), set_config('fiks.actor_type', 'PERSON', true),
                set_config('fiks.actor_id', $1, true), set_config('fiks.pid', $1, true)`,
        [DEMO_PERSONS.ola.pid],
      );
      return tx.query<{ id: string }>('select id from documents.document');
    });
    expect(rows).toEqual([]);
  });

  it('decides the level in SQL exactly as access/security-level.ts does, unknown levels included', async () => {
    const principals: Principal[] = [
      ...ACR_LEVELS.map((acr) => person(DEMO_PERSONS.ola.pid, acr)),
      ...ACR_LEVELS.map((acr) => integration({ pid: DEMO_PERSONS.ola.pid, acr })),
      integration(),
    ];
    for (const principal of principals) {
      for (const level of [-1, 0, 2, 3, 4, 5]) {
        const [row] = await callerScoped(platform.db, principal).query<{ meets: boolean }>(
          'select documents.caller_meets_level($1::smallint) as meets',
          [level],
        );
        expect(row?.meets, `${JSON.stringify(principal)} at level ${level}`).toBe(
          loginMeetsSecurityLevel(principal, level),
        );
      }
    }
  });
});
