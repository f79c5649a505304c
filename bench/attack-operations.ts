// The expensive operations of `npm run bench:attack`: the cycle of the schema (an organisation's resources, each
// resource's organisation, ...) widened with aliases as far as the limits allow, and the same one level deeper,
// which the limits refuse. Each candidate is checked against the configured limits with the gateway's own measure.
import { readFileSync } from 'node:fs';
import { buildASTSchema, parse } from 'graphql';
import { DEMO_ORGS } from '../common/demo-identities.ts';
import type { ResolvedLimits } from '../gateway/plugins/operation-limits/limits.ts';
import { measureDocument } from '../gateway/plugins/operation-limits/measure.ts';
import { SUPERGRAPH_FILE } from '../schema/supergraph-file.ts';

const FJ = DEMO_ORGS.fjordvik.orgnr;

/** `resources { organization { resources { ... { name } } } }`, `levels` fields deep. */
function cycleBelowOrganization(levels: number): string {
  let inner = 'name';
  for (let level = levels - 1; level >= 1; level--) {
    inner = `${level % 2 === 1 ? 'resources' : 'organization'} { ${inner} }`;
  }
  return inner;
}

/** Candidates, widest first: `copies` aliased root fields, or `copies` aliased branches below one root field. */
function candidates(depth: number, copies: number): Record<string, string> {
  const branch = cycleBelowOrganization(depth - 1);
  const range = Array.from({ length: copies }, (_, i) => i);
  return {
    [`${copies} aliased root fields, each the cycle ${depth} deep`]: `{ ${range
      .map((i) => `o${i}: organization(orgnr: "${FJ}") { ${branch} }`)
      .join(' ')} }`,
    [`one root field, ${copies} aliased branches, each the cycle ${depth} deep`]: `{ organization(orgnr: "${FJ}") { ${range
      .map((i) => `b${i}: ${branch}`)
      .join(' ')} } }`,
  };
}

/** For each shape, the widest operation the limits allow, at the deepest depth they allow. */
export function allowedAttacks(limits: ResolvedLimits): Record<string, string> {
  const schema = buildASTSchema(parse(readFileSync(SUPERGRAPH_FILE, 'utf8')));
  const allowed = (query: string) => measureDocument(parse(query), schema, limits) === null;
  const found: Record<string, string> = {};
  for (const shape of [0, 1]) {
    for (let copies = limits.maxAliases; copies >= 1; copies--) {
      const [name, query] = Object.entries(candidates(limits.maxDepth, copies))[shape]!;
      if (allowed(query)) {
        found[name] = query;
        break;
      }
    }
  }
  return found;
}

/** The same shape one level deeper than the limits allow: refused before any work. */
export function refusedAttack(limits: ResolvedLimits): string {
  return Object.values(candidates(limits.maxDepth + 1, 2))[0]!;
}
