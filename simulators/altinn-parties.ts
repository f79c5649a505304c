// Who may act for whom in the Altinn stand-in, and the `AuthorizedPartyExternal` answers built from it (FIKS-FACTS
// §4; the response example in Altinn/altinn-studio-docs `content/authorization/guides/integrating-link-service`).
//
// Role representation: bare role codes, as `authorizedRoles` carries them in that example: Enhetsregisteret roles
// by their ER code (`DAGL`) and Altinn 2 roles by their definition code (`A0236` = Post/arkiv). The URN form
// `urn:altinn:rolecode:A0236` is how Altinn names the same role elsewhere; it does not appear in this response.
import { createHash } from 'node:crypto';
import { DEMO_ORGS, DEMO_PERSONS } from '../common/demo-identities.ts';

/** Altinn role codes the stand-in's defaults use. */
export const ALTINN_ROLES = {
  /** Daglig leder (Enhetsregisteret). */
  dagligLeder: 'DAGL',
  /** Post/arkiv (Altinn 2 role definition code). */
  postArkiv: 'A0236',
} as const;

export interface AltinnPerson {
  pid: string;
  name: string;
}

export interface AltinnOrganization {
  orgnr: string;
  name: string;
  /** Organisation form in Enhetsregisteret: AS, KOMM, ORGL, BEDR, … */
  unitType: string;
}

/** Roles one person holds for one organisation. */
export interface AltinnRoleAssignment {
  pid: string;
  orgnr: string;
  roles: string[];
}

export interface AltinnDirectory {
  persons: AltinnPerson[];
  organizations: AltinnOrganization[];
  roles: AltinnRoleAssignment[];
}

/** Liv is daglig leder of the vendor (which in Altinn brings Post/arkiv too); nobody else acts for anyone. */
export const DEFAULT_ALTINN_DIRECTORY: AltinnDirectory = {
  persons: Object.values(DEMO_PERSONS).map(({ pid, name }) => ({ pid, name })),
  organizations: [
    { ...DEMO_ORGS.fjordvik, unitType: 'KOMM' },
    { ...DEMO_ORGS.heiberg, unitType: 'KOMM' },
    { ...DEMO_ORGS.vendor, unitType: 'AS' },
  ],
  roles: [
    {
      pid: DEMO_PERSONS.liv.pid,
      orgnr: DEMO_ORGS.vendor.orgnr,
      roles: [ALTINN_ROLES.dagligLeder, ALTINN_ROLES.postArkiv],
    },
  ],
};

/** The response model of POST …/resourceowner/authorizedparties (`AuthorizedPartyExternal`). */
export interface AuthorizedPartyExternal {
  partyUuid: string;
  name: string;
  organizationNumber: string | null;
  parentId: string | null;
  personId: string | null;
  dateOfBirth: string | null;
  partyId: number;
  type: 'Person' | 'Organization';
  unitType: string | null;
  isDeleted: false;
  onlyHierarchyElementWithNoAccess: false;
  authorizedAccessPackages: string[];
  authorizedResources: string[];
  authorizedRoles: string[];
  authorizedInstances: { resourceId: string; instanceId: string }[];
  subunits: AuthorizedPartyExternal[];
}

/** Stable made-up party identifiers, derived from the identifier so restarts give the same answers. */
function partyIds(identifier: string): { partyUuid: string; partyId: number } {
  const h = createHash('sha256').update(`altinn-party:${identifier}`).digest('hex');
  const partyUuid = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return { partyUuid, partyId: 50_000_000 + (parseInt(h.slice(32, 40), 16) % 10_000_000) };
}

/** Date of birth of a (synthetic) fødselsnummer: d-number day + 40, Tenor month + 80 (FIKS-FACTS §8). */
export function dateOfBirth(pid: string): string | null {
  const day = Number(pid.slice(0, 2)) % 40;
  const month = Number(pid.slice(2, 4)) % 40;
  const yy = Number(pid.slice(4, 6));
  const individ = Number(pid.slice(6, 9));
  const century = individ < 500 ? 1900 : individ >= 900 && yy >= 40 ? 1900 : yy < 40 ? 2000 : 1800;
  if (day < 1 || day > 31 || month < 1 || month > 12) return null;
  return `${century + yy}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type PartyFields = Omit<
  AuthorizedPartyExternal,
  | 'parentId'
  | 'isDeleted'
  | 'onlyHierarchyElementWithNoAccess'
  | 'authorizedAccessPackages'
  | 'authorizedResources'
  | 'authorizedInstances'
  | 'subunits'
>;

function party(fields: PartyFields): AuthorizedPartyExternal {
  return {
    parentId: null,
    isDeleted: false,
    onlyHierarchyElementWithNoAccess: false,
    authorizedAccessPackages: [],
    authorizedResources: [],
    authorizedInstances: [],
    subunits: [],
    ...fields,
  };
}

/** The parties a person may act for: always the person themself, then each organisation they hold a role for. */
export function authorizedPartiesFor(directory: AltinnDirectory, pid: string): AuthorizedPartyExternal[] {
  const person = directory.persons.find((p) => p.pid === pid);
  if (!person) return [];
  const self = party({
    ...partyIds(pid),
    name: person.name,
    organizationNumber: null,
    personId: pid,
    dateOfBirth: dateOfBirth(pid),
    type: 'Person',
    unitType: null,
    // Everyone holds the private-person role for themself.
    authorizedRoles: ['PRIV'],
  });
  const organizations = directory.roles
    .filter((r) => r.pid === pid && r.roles.length > 0)
    .flatMap((r) => {
      const org = directory.organizations.find((o) => o.orgnr === r.orgnr);
      if (!org) return [];
      return [
        party({
          ...partyIds(org.orgnr),
          name: org.name,
          organizationNumber: org.orgnr,
          personId: null,
          dateOfBirth: null,
          type: 'Organization',
          unitType: org.unitType,
          authorizedRoles: [...r.roles],
        }),
      ];
    });
  return [self, ...organizations];
}
