// Reading Altinn's authorized-parties answer (`AuthorizedPartyExternal[]`, FIKS-FACTS §4) into what the act-for
// policy needs: for each organisation number, what the person holds there. Altinn is trusted, but its answer is
// still checked field by field: an answer of unknown shape throws, and the caller fails closed.
//
// Kept: `authorizedRoles` (role codes such as `DAGL`, `A0236`) and `authorizedAccessPackages`, Altinn 3's successor
// to the Altinn 2 roles, which shut down on 19 June 2026. Access packages are kept in URN form
// (`urn:altinn:accesspackage:…`), so they can never be mistaken for a role code: a check for `A0236` (Post/arkiv)
// is not satisfied by a package, and a person whose authority comes only from a package may still act.
// Not kept: `authorizedResources` and `authorizedInstances`, which delegate one service or one instance, not
// authority to act for the organisation.
//
// Nothing here may put the answer's content in an error message: every party lists the person's own `personId`.

export class AltinnResponseError extends Error {
  override name = 'AltinnResponseError';
}

/** What the person holds for one organisation, after merging every place it appears in the answer. */
export type OrgAuthority = ReadonlyMap<string, readonly string[]>;

/** Altinn lists main units with their subunits (underenheter); deeper nesting is not expected. */
const MAX_DEPTH = 5;
const MAX_CODE_LENGTH = 200;
const ACCESS_PACKAGE_PREFIX = 'urn:altinn:accesspackage:';
const ORGNR = /^\d{9}$/;

function fail(what: string): never {
  throw new AltinnResponseError(`Unexpected authorized-parties answer from Altinn: ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function codes(value: unknown, field: string, required: boolean): string[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) return fail(`${field} is not a list`);
  return value.map((code) => {
    if (typeof code !== 'string' || code.length === 0 || code.length > MAX_CODE_LENGTH) {
      return fail(`${field} holds something other than a code`);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f\s]/.test(code)) return fail(`${field} holds a code with whitespace`);
    return code;
  });
}

function optionalBoolean(value: unknown, field: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') return fail(`${field} is not a boolean`);
  return value;
}

function collect(party: unknown, depth: number, into: Map<string, Set<string>>): void {
  if (depth > MAX_DEPTH) fail('subunits nested too deeply');
  if (!isRecord(party)) fail('a party is not an object');
  const orgnr = party.organizationNumber;
  if (orgnr !== null && orgnr !== undefined && (typeof orgnr !== 'string' || !ORGNR.test(orgnr))) {
    fail('organizationNumber is not 9 digits');
  }
  if (typeof party.isDeleted !== 'boolean') fail('isDeleted is missing');
  const roles = codes(party.authorizedRoles, 'authorizedRoles', true);
  const packages = codes(party.authorizedAccessPackages, 'authorizedAccessPackages', false).map((p) =>
    p.startsWith(ACCESS_PACKAGE_PREFIX) ? p : `${ACCESS_PACKAGE_PREFIX}${p}`,
  );
  // A parent listed only so its subunits have a place in the tree carries no authority of its own.
  const placeholder = optionalBoolean(
    party.onlyHierarchyElementWithNoAccess,
    'onlyHierarchyElementWithNoAccess',
  );
  if (typeof orgnr === 'string' && !party.isDeleted && !placeholder) {
    const held = into.get(orgnr) ?? new Set<string>();
    for (const code of [...roles, ...packages]) held.add(code);
    into.set(orgnr, held);
  }
  // A deleted main unit's subunits are still read: each carries its own isDeleted.
  const subunits = party.subunits ?? [];
  if (!Array.isArray(subunits)) fail('subunits is not a list');
  for (const subunit of subunits) collect(subunit, depth + 1, into);
}

/**
 * Every organisation (main unit or subunit) the answer lists as not deleted, with the roles and access packages
 * the person holds there, sorted and deduplicated. Roles are not inherited from a main unit to its subunits:
 * each unit counts with what Altinn lists for it. Throws AltinnResponseError for an answer of unknown shape.
 */
export function authorityByOrgnr(body: unknown): OrgAuthority {
  if (!Array.isArray(body)) fail('not a list of parties');
  const found = new Map<string, Set<string>>();
  for (const party of body) collect(party, 0, found);
  return new Map([...found].map(([orgnr, held]) => [orgnr, [...held].sort()]));
}
