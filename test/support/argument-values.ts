// Values for the arguments of the platform's operations, by what an argument holds: the kind is read from the
// argument's name and type in the schema, never from a hand-kept list of fields. Each kind has good values (demo data,
// so that operations reach deep into the subgraphs) and bad ones (what a hostile or careless caller sends).
import fc from 'fast-check';
import { getNamedType, isEnumType, isInputObjectType, type GraphQLInputType } from 'graphql';
import {
  DEMO_DOCUMENTS,
  DEMO_INTEGRATIONS,
  DEMO_ORGS,
  DEMO_PERSONS,
  DEMO_RESOURCES,
} from '../../common/demo-identities.ts';

export type ArgumentKind =
  'uuid' | 'orgnr' | 'pid' | 'actorId' | 'text' | 'document' | 'int' | 'boolean' | 'enum' | 'input';

/** What an argument holds, from its name and type: the conventions of schema/*.graphql. */
export function argumentKind(name: string, type: GraphQLInputType): ArgumentKind {
  const named = getNamedType(type);
  if (isEnumType(named)) return 'enum';
  if (isInputObjectType(named)) return 'input';
  switch (named.name) {
    case 'ID':
      return 'uuid';
    case 'Int':
      return 'int';
    case 'Boolean':
      return 'boolean';
    // The text of a GraphQL document (a trusted operation's body): longer than a name, with line breaks.
    case 'GraphQLDocument':
      return 'document';
  }
  if (name === 'actorId') return 'actorId';
  if (name === 'orgnr' || name.endsWith('Orgnr')) return 'orgnr';
  if (name === 'pid' || name.endsWith('Pid')) return 'pid';
  if (name === 'id' || name.endsWith('Id')) return 'uuid';
  return 'text';
}

// The demo integration itself is left out: an administrator rotating its password or disabling it would lock the
// integration caller out for the rest of a run, and the run would then only test the door.
const IDS = [...Object.values(DEMO_RESOURCES), ...Object.values(DEMO_DOCUMENTS), DEMO_INTEGRATIONS.innsyn.id];
const ORGNRS = Object.values(DEMO_ORGS).map((org) => org.orgnr);
const PIDS = Object.values(DEMO_PERSONS).map((person) => person.pid);
const NAMES = ['ARKIV.LES', 'ADMIN', 'SVARUT.KONTO', 'AVDELING', 'ORGANISASJON', 'Ny avdeling', 'Saksystem'];

/** A good value of each scalar kind, for the arguments a case does not vary. */
export const GOOD: Record<Exclude<ArgumentKind, 'enum' | 'input'>, unknown> = {
  uuid: DEMO_RESOURCES.fjordvikOppvekst,
  orgnr: DEMO_ORGS.fjordvik.orgnr,
  pid: DEMO_PERSONS.ola.pid,
  actorId: DEMO_PERSONS.ola.pid,
  text: 'ARKIV.LES',
  document: '{ me { kind } }',
  int: 10,
  boolean: true,
};

/** Bad values of each kind: the classes the security review named (item 5), one example or more of each. */
export const BAD: Record<
  'uuid' | 'orgnr' | 'pid' | 'actorId' | 'text' | 'document' | 'int',
  Record<string, unknown>
> = {
  uuid: {
    'dashes only': '-'.repeat(36),
    'hex and dashes, wrong groups': 'a000000-00000-4000-8000-000000000001',
    'not hex': 'a0000000-0000-4000-8000-00000000000g',
    'without dashes': 'a0000000000040008000000000000003',
    'in braces': `{${DEMO_RESOURCES.fjordvikOppvekst}}`,
    'with NUL': `${DEMO_RESOURCES.fjordvikOppvekst}\u0000`,
  },
  orgnr: { 'eight digits': '91000000', letters: '91000000a', 'with NUL': '91000\u00000004' },
  pid: { 'ten digits': '0191904560', letters: '0191904560x', 'with NUL': '01919\u0000045600' },
  actorId: { 'neither pid nor uuid': 'someone', 'dashes only': '-'.repeat(36), 'with NUL': 'x\u0000' },
  text: {
    NUL: 'ARKIV\u0000LES',
    'a control character': 'ARKIV\u0007LES',
    'a C1 control character': 'ARKIV\u0085LES',
    'a lone surrogate': 'ARKIV\ud800LES',
    'over-long': 'A'.repeat(1001),
  },
  document: {
    NUL: '{ me\u0000{ kind } }',
    'a control character': '{ me { kind }\u0007}',
    'a C1 control character': '{ me { kind }\u0085}',
    'a lone surrogate': '{ me { kind } }\ud800',
    'over-long': `{ me { kind } }${' '.repeat(100_000)}`,
  },
  // GraphQL's Int is PostgreSQL's int4; beyond it, and what is not an integer at all, is refused.
  int: { 'above int4': 2 ** 31, 'below int4': -(2 ** 31) - 1, huge: 1e20, 'not an integer': 1.5 },
};

/** A control character: NUL (which PostgreSQL refuses in text) half the time, else another of C0, DEL or C1. */
const control = fc.oneof(
  fc.constant('\u0000'),
  fc
    .oneof(fc.integer({ min: 0x01, max: 0x1f }), fc.integer({ min: 0x7f, max: 0x9f }))
    .map((c) => String.fromCharCode(c)),
);
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Strings no check should let through to the database: good values spoiled by a control character or a lone
 * surrogate, great lengths, ids that only look like UUIDs, arbitrary code units. */
function hostile(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const spoiled = (bad: fc.Arbitrary<string>) =>
    fc.tuple(good, bad, fc.nat()).map(([s, c, i]) => {
      const at = i % (s.length + 1);
      return s.slice(0, at) + c + s.slice(at);
    });
  return fc.oneof(
    { arbitrary: spoiled(control), weight: 3 },
    spoiled(loneSurrogate),
    fc.tuple(good, fc.integer({ min: 1000, max: 5000 })).map(([s, n]) => s.padEnd(n, 'x')),
    fc.constantFrom(...Object.values(BAD.uuid).map(String)),
    fc.string({ unit: 'binary', maxLength: 12 }),
  );
}

type Scalar = Exclude<ArgumentKind, 'enum' | 'input'>;

const PLAUSIBLE: Record<Exclude<Scalar, 'int' | 'boolean'>, fc.Arbitrary<string>> = {
  uuid: fc.oneof(
    { arbitrary: fc.constantFrom(...IDS), weight: 3 },
    fc.uuid(),
    fc.constantFrom(...IDS).map((id) => id.toUpperCase()),
  ),
  orgnr: fc.oneof({ arbitrary: fc.constantFrom(...ORGNRS), weight: 3 }, fc.stringMatching(/^\d{9}$/)),
  pid: fc.oneof({ arbitrary: fc.constantFrom(...PIDS), weight: 3 }, fc.stringMatching(/^\d{11}$/)),
  actorId: fc.oneof(fc.constantFrom(...PIDS, DEMO_INTEGRATIONS.innsyn.id), fc.uuid()),
  text: fc.oneof({ arbitrary: fc.constantFrom(...NAMES), weight: 3 }, fc.string({ maxLength: 30 })),
  document: fc.oneof(
    { arbitrary: fc.constant('{ me { kind } }'), weight: 3 },
    fc.constant('query Q {\n\tme { kind }\n}'),
    fc.string({ maxLength: 60 }),
  ),
};

const INTS = fc.oneof(
  fc.integer({ min: -5, max: 600 }),
  fc.integer(),
  fc.constantFrom(2 ** 31 - 1, -(2 ** 31), 2 ** 31, 1e20, 1.5),
);

/** Values for one kind: half the time the good one (so that the other arguments let an operation reach the stores
 * with the one that is not), else mostly plausible, often hostile. */
export function valueOf(kind: Scalar): fc.Arbitrary<unknown> {
  if (kind === 'boolean') return fc.boolean();
  const generated =
    kind === 'int'
      ? INTS
      : fc.oneof(
          { arbitrary: PLAUSIBLE[kind], weight: 3 },
          { arbitrary: hostile(PLAUSIBLE[kind]), weight: 2 },
        );
  return fc.oneof(fc.constant(GOOD[kind]), generated);
}
