import { describe, expect, it } from 'vitest';
import { AltinnResponseError, authorityByOrgnr } from '../../gateway/altinn/parties.ts';

const PID = '07899941300';
const MAIN = '910000004';
const SUB = '974760673';

function party(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    partyUuid: '00000000-0000-4000-8000-000000000000',
    name: 'Test',
    organizationNumber: null,
    personId: null,
    type: 'Organization',
    isDeleted: false,
    onlyHierarchyElementWithNoAccess: false,
    authorizedAccessPackages: [],
    authorizedResources: [],
    authorizedRoles: [],
    authorizedInstances: [],
    subunits: [],
    ...fields,
  };
}

describe('gateway / altinn act-for', () => {
  describe('reading the authorized-parties answer', () => {
    it('indexes main units and subunits by organisation number, without inheriting roles', () => {
      const found = authorityByOrgnr([
        party({ type: 'Person', personId: PID, authorizedRoles: ['PRIV'] }),
        party({
          organizationNumber: MAIN,
          authorizedRoles: ['DAGL'],
          subunits: [party({ organizationNumber: SUB, authorizedRoles: ['A0236'] })],
        }),
      ]);
      expect([...found]).toEqual([
        [MAIN, ['DAGL']],
        [SUB, ['A0236']],
      ]);
    });

    it('keeps access packages in URN form, next to the roles, sorted and deduplicated', () => {
      const found = authorityByOrgnr([
        party({
          organizationNumber: MAIN,
          authorizedRoles: ['DAGL', 'A0236', 'DAGL'],
          authorizedAccessPackages: ['urn:altinn:accesspackage:post-og-arkiv', 'regnskapsforer-lonn'],
        }),
        party({ organizationNumber: MAIN, authorizedRoles: ['A0236', 'REGNA'] }),
      ]);
      expect(found.get(MAIN)).toEqual([
        'A0236',
        'DAGL',
        'REGNA',
        'urn:altinn:accesspackage:post-og-arkiv',
        'urn:altinn:accesspackage:regnskapsforer-lonn',
      ]);
    });

    it('leaves out deleted parties and hierarchy placeholders, but reads their subunits', () => {
      const found = authorityByOrgnr([
        party({
          organizationNumber: MAIN,
          onlyHierarchyElementWithNoAccess: true,
          authorizedRoles: ['DAGL'],
          subunits: [party({ organizationNumber: SUB, authorizedRoles: ['A0236'] })],
        }),
        party({ organizationNumber: '921000006', isDeleted: true, authorizedRoles: ['DAGL'] }),
      ]);
      expect([...found.keys()]).toEqual([SUB]);
    });

    it('accepts an empty list and a party without the optional lists', () => {
      expect(authorityByOrgnr([]).size).toBe(0);
      expect(
        authorityByOrgnr([{ organizationNumber: MAIN, isDeleted: false, authorizedRoles: ['DAGL'] }]).get(
          MAIN,
        ),
      ).toEqual(['DAGL']);
    });

    const malformed: [string, unknown][] = [
      ['not a list', { parties: [] }],
      ['a party that is not an object', [PID]],
      ['a party without authorizedRoles', [{ organizationNumber: MAIN, isDeleted: false, personId: PID }]],
      ['roles that are not strings', [party({ organizationNumber: MAIN, authorizedRoles: [1] })]],
      ['a role with whitespace', [party({ organizationNumber: MAIN, authorizedRoles: [`DAGL ${PID}`] })]],
      ['a party without isDeleted', [{ organizationNumber: MAIN, authorizedRoles: ['DAGL'] }]],
      ['isDeleted as a string', [party({ organizationNumber: MAIN, isDeleted: 'false' })]],
      ['a malformed organisation number', [party({ organizationNumber: PID, personId: PID })]],
      ['subunits that are not a list', [party({ organizationNumber: MAIN, subunits: {} })]],
      [
        'subunits nested too deeply',
        [[1, 2, 3, 4, 5, 6].reduce((inner) => party({ subunits: [inner] }), party({}))],
      ],
    ];
    it.each(malformed)('refuses %s, without quoting the answer', (_what, body) => {
      let error: unknown;
      try {
        authorityByOrgnr(body);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AltinnResponseError);
      expect((error as Error).message).not.toContain(PID);
    });
  });
});
