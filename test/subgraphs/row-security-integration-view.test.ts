// What an integration sees of an organisation, in the database (issue #9 item 10): the privilege store asked
// directly, with queries that filter on nothing, shows an integration only the resources it holds a grant on
// (directly or by type) and everything beneath them, and of the grants only its own — while a person who holds any
// grant in the organisation still sees the whole tree.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { DEMO_INTEGRATIONS, DEMO_ORGS, DEMO_PERSONS, DEMO_RESOURCES } from '../../common/demo-identities.ts';
import { OrganizationsStore } from '../../subgraphs/organizations/store.ts';
import { callerScoped } from '../../subgraphs/runtime/caller-scope.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
const R = DEMO_RESOURCES;
const CASE_SYSTEM = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
/** Integrations made up for this test: one granted by type, one granted nothing. */
const BY_TYPE = randomUUID();
const NOTHING = randomUUID();
/** Beneath the SvarUt account, and beneath that: the subtree of the case system's grant. */
const SVARUT_CHILD = randomUUID();
const SVARUT_GRANDCHILD = randomUUID();
/** Beneath the Oppvekst department: in the subtree of a type grant on AVDELING. */
const OPPVEKST_CHILD = randomUUID();
const WHOLE_TREE = [
  R.fjordvikRoot,
  R.fjordvikSvarUt,
  R.fjordvikOppvekst,
  R.fjordvikDocuments,
  SVARUT_CHILD,
  SVARUT_GRANDCHILD,
  OPPVEKST_CHILD,
];

const integration = (id: string, onBehalfOf?: string): Principal => ({
  kind: 'integration',
  integrationId: id,
  orgnr: DEMO_ORGS.vendor.orgnr,
  ...(onBehalfOf ? { onBehalfOf: { pid: onBehalfOf, acr: 'idporten-loa-high' } } : {}),
});
const person = (pid: string): Principal => ({ kind: 'person', pid, acr: 'idporten-loa-substantial' });

interface Case {
  name: string;
  principal: Principal;
  resources: string[];
  /** Whose grants and type grants it reads: its own only, or everyone's in the organisation. */
  grantsOf: 'own' | 'all' | 'none';
}

const CASES: Case[] = [
  {
    name: 'an integration granted on the SvarUt account and the document account',
    principal: integration(CASE_SYSTEM),
    resources: [R.fjordvikSvarUt, SVARUT_CHILD, SVARUT_GRANDCHILD, R.fjordvikDocuments],
    grantsOf: 'own',
  },
  {
    // The person's token changes the login, not whose grants count (FIKS-FACTS §1): still the integration's view.
    name: 'the same integration calling for Kari, who administers Fjordvik',
    principal: integration(CASE_SYSTEM, DEMO_PERSONS.kari.pid),
    resources: [R.fjordvikSvarUt, SVARUT_CHILD, SVARUT_GRANDCHILD, R.fjordvikDocuments],
    grantsOf: 'own',
  },
  {
    name: 'an integration granted on every department by type',
    principal: integration(BY_TYPE),
    resources: [R.fjordvikOppvekst, OPPVEKST_CHILD],
    grantsOf: 'own',
  },
  {
    name: 'an integration granted nothing',
    principal: integration(NOTHING),
    resources: [],
    grantsOf: 'none',
  },
  {
    name: 'a person with one narrow grant',
    principal: person(DEMO_PERSONS.per.pid),
    resources: WHOLE_TREE,
    grantsOf: 'all',
  },
  {
    name: "Fjordvik's administrator",
    principal: person(DEMO_PERSONS.kari.pid),
    resources: WHOLE_TREE,
    grantsOf: 'all',
  },
  {
    name: "Heiberg's administrator",
    principal: person(DEMO_PERSONS.hans.pid),
    resources: [],
    grantsOf: 'none',
  },
];

describe('organizations / row-level security for integrations', () => {
  let platform: TestPlatform;
  const sorted = (ids: string[]) => [...ids].sort();

  beforeAll(async () => {
    platform = await startTestPlatform();
    // Set up as the owner, beside the demo data.
    const owner = new OrganizationsStore(platform.db);
    const resource = (id: string, parentId: string, type: string) =>
      owner.upsertResource({ id, orgnr: FJ, parentId, type, name: `Test ${id.slice(0, 8)}` });
    await resource(SVARUT_CHILD, R.fjordvikSvarUt, 'SVARUT.UNDERKONTO');
    await resource(SVARUT_GRANDCHILD, SVARUT_CHILD, 'SVARUT.UNDERKONTO');
    await resource(OPPVEKST_CHILD, R.fjordvikOppvekst, 'SKOLE');
    await platform.db.query(
      `insert into organizations.type_grant (orgnr, actor_type, actor_id, privilege, resource_type)
       values ($1, 'INTEGRATION', $2, 'ARKIV.LES', 'AVDELING')`,
      [FJ, BY_TYPE],
    );
  });
  afterAll(() => platform.stop());

  it('keeps the whole tree in the database, for the cases below to narrow', async () => {
    const rows = await platform.db.query<{ id: string }>(
      'select id from organizations.resource where orgnr = $1',
      [FJ],
    );
    expect(sorted(rows.map((r) => r.id))).toEqual(sorted(WHOLE_TREE));
  });

  for (const c of CASES) {
    it(`shows ${c.name} exactly its part of the tree, whatever the query asks`, async () => {
      const scoped = callerScoped(platform.db, c.principal);
      // Only the organisation number narrows the query: the rest is the policies' doing.
      const rows = await scoped.query<{ id: string }>(
        'select id from organizations.resource where orgnr = $1',
        [FJ],
      );
      expect(sorted(rows.map((r) => r.id))).toEqual(sorted(c.resources));
      const store = new OrganizationsStore(scoped);
      for (const id of WHOLE_TREE) {
        expect((await store.resource(id))?.id ?? null, id).toBe(c.resources.includes(id) ? id : null);
      }
    });

    it(`shows ${c.name} ${c.grantsOf === 'own' ? 'only its own' : c.grantsOf === 'all' ? "the organisation's" : 'no'} grants`, async () => {
      const scoped = callerScoped(platform.db, c.principal);
      const everyone = await platform.db.query<{ actor_id: string }>(
        `select actor_id from organizations.privilege_grant where orgnr = $1
         union all select actor_id from organizations.type_grant where orgnr = $1`,
        [FJ],
      );
      const seen = await scoped.query<{ actor_id: string }>(
        `select actor_id from organizations.privilege_grant where orgnr = $1
         union all select actor_id from organizations.type_grant where orgnr = $1`,
        [FJ],
      );
      const self = c.principal.kind === 'integration' ? c.principal.integrationId : null;
      const expected =
        c.grantsOf === 'all'
          ? everyone
          : c.grantsOf === 'own'
            ? everyone.filter((g) => g.actor_id === self)
            : [];
      expect(sorted(seen.map((g) => g.actor_id))).toEqual(sorted(expected.map((g) => g.actor_id)));
      if (c.grantsOf === 'own') expect(seen.length).toBeGreaterThan(0);
    });
  }

  it('answers holds_any_privilege_on as the policies do, for grants inherited from above and by type', async () => {
    for (const c of CASES.filter((x) => x.principal.kind === 'integration')) {
      const id = (c.principal as { integrationId: string }).integrationId;
      for (const resource of WHOLE_TREE) {
        const [row] = await platform.db.query<{ holds: boolean }>(
          `select organizations.holds_any_privilege_on('INTEGRATION', $1, $2) as holds`,
          [id, resource],
        );
        expect(row?.holds, `${c.name}: ${resource}`).toBe(c.resources.includes(resource));
      }
    }
  });
});
