// Operations for the limit tests: the cycle of the schema (an organisation's resources, each resource's
// organisation, ...) nested to a given depth in every way GraphQL allows, and the operations the README, the query
// page and the bench show, which the default limits must let through.
import { readFileSync } from 'node:fs';
import { DEMO_ORGS } from '../../../common/demo-identities.ts';
import { GATEWAY_QUERY } from '../../../bench/targets.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;
/** Walking the cycle: the type each step stands on and the field that leads on. */
const STEP = { Organization: 'resources', Resource: 'organization' } as const;
type Step = keyof typeof STEP;
const next = (type: Step): Step => (type === 'Organization' ? 'Resource' : 'Organization');

export type Nesting = 'fields' | 'named fragments' | 'inline fragments' | 'nested fragments';

/** `{ organization(orgnr) { resources { organization { ... { name } } } } }`, `depth` fields deep (≥ 2), each level
 * written as plain fields, in its own named fragment, in an inline fragment, or behind a chain of three fragments. */
export function cycle(depth: number, nesting: Nesting = 'fields'): string {
  const fragments: string[] = [];
  let type: Step = 'Organization';
  const levels: { type: Step; field: string }[] = [];
  for (let level = 2; level < depth; level++) {
    levels.push({ type, field: STEP[type] });
    type = next(type);
  }
  // Innermost first: the leaf, then each level wraps what is below it.
  let inner = 'name';
  for (let i = levels.length - 1; i >= -1; i--) {
    const on: Step = i >= 0 ? levels[i]!.type : 'Organization';
    const body = i >= 0 ? `${levels[i]!.field} { ${inner} }` : inner;
    if (i < 0 && nesting === 'fields') break;
    if (nesting === 'fields') inner = body;
    else if (nesting === 'inline fragments') inner = `... on ${on} { ${body} }`;
    else if (nesting === 'named fragments') {
      fragments.push(`fragment L${i + 1} on ${on} { ${body} }`);
      inner = `...L${i + 1}`;
    } else {
      fragments.push(`fragment L${i + 1}c on ${on} { ${body} }`);
      fragments.push(`fragment L${i + 1}b on ${on} { ...L${i + 1}c }`);
      fragments.push(`fragment L${i + 1}a on ${on} { ...L${i + 1}b }`);
      inner = `...L${i + 1}a`;
    }
  }
  return `{ organization(orgnr: "${FJ}") { ${inner} } } ${fragments.join(' ')}`.trim();
}

/** `count` aliased fields under `me` (depth 2), each `__typename`. */
export function typenameAliases(count: number): string {
  const aliases = Array.from({ length: count }, (_, i) => `t${i}: __typename`).join(' ');
  return `{ me { ${aliases} } }`;
}

/** `levels` fragments, each spreading the next twice: 2^levels spreads of the last, which holds one alias. */
export function fanOut(levels: number): string {
  const fragments = Array.from(
    { length: levels },
    (_, i) => `fragment F${i} on Caller { ...F${i + 1} ...F${i + 1} }`,
  );
  fragments.push(`fragment F${levels} on Caller { k: kind }`);
  return `{ me { ...F0 } } ${fragments.join(' ')}`;
}

/** The example operation the explorer opens with (gateway/explorer/client/example.graphql), read from its file. */
export function explorerExample(): string {
  return readFileSync(new URL('../../../gateway/explorer/client/example.graphql', import.meta.url), 'utf8');
}

/** The operations the README passes to `npm run demo:integration`, read from the README itself. */
export function readmeOperations(): Record<string, string> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const found = [...readme.matchAll(/npm run demo:integration -- '([^']+)'/g)].map((match) => match[1]!);
  if (found.length === 0) throw new Error('the README shows no operation');
  return Object.fromEntries(found.map((operation, i) => [`README operation ${i + 1}`, operation]));
}

/** The README's operations, the explorer's, and the bench's: each must pass the default limits. */
export function shownOperations(): Record<string, string> {
  return {
    'explorer example': explorerExample(),
    ...readmeOperations(),
    'demo integration default': '{ me { kind integrationId organization { orgnr name } } }',
    'bench: the case system query': GATEWAY_QUERY,
  };
}
