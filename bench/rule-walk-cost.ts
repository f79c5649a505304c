// npx tsx bench/rule-walk-cost.ts: the gateway's rule walk alone, in CPU µs per request, on the supergraph's API
// schema with the real permissions and the bench's integration query — walked from scratch each time (as before the
// walk was compiled, and as free-form text that Apollo must parse again still is) and compiled once and reused (as a
// trusted operation, or any text Apollo's document store still holds). The caller's privileges come from a fixed
// table (test/support/access.ts), so no database time is counted: this is the walk's own work. Also shown for scale:
// parsing and validating the same text, which a request pays only when Apollo's document store misses.
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { parse, validate } from 'graphql';
import { SUPERGRAPH_PERMISSIONS } from '../subgraphs/permissions.ts';
import { entityKeys } from '../gateway/plugins/entity-keys.ts';
import { findRefusal } from '../gateway/plugins/authorization.ts';
import { createRuleWalk } from '../gateway/plugins/rule-walk.ts';
import { isAuthenticated } from '../access/rules.ts';
import { caseSystem, fixedAccess } from '../test/support/access.ts';
import { GATEWAY_QUERY } from './targets.ts';

const ROUNDS = 7;
const ITERATIONS = 5_000;

const supergraphSdl = readFileSync(new URL('../schema/supergraph.graphql', import.meta.url), 'utf8');
// The schema exactly as the gateway serves it (its API schema); a static supergraph contacts nothing.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';
const gateway = new ApolloGateway({ supergraphSdl });
const { schema } = await gateway.load();
await gateway.stop();
const keys = entityKeys(supergraphSdl);
const settings = { permissions: SUPERGRAPH_PERMISSIONS, keys, introspection: isAuthenticated };
const document = parse(GATEWAY_QUERY);
const access = fixedAccess({ onResource: [], inOrganization: [], memberOf: [], anyOn: [] });
const input = { principal: caseSystem, access };

async function cpuMicrosPer(run: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  for (let i = 0; i < ITERATIONS; i++) await run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / ITERATIONS;
}

const compiled = createRuleWalk(settings);
const variants: [string, () => unknown][] = [
  [
    'walk from scratch',
    () => findRefusal(schema, SUPERGRAPH_PERMISSIONS, document, 'Bench', {}, input, keys, isAuthenticated),
  ],
  ['walk compiled once, reused', () => compiled.findRefusal(schema, document, 'Bench', {}, input)],
  ['parse + validate (document store miss)', () => validate(schema, parse(GATEWAY_QUERY))],
];
const results = variants.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, [, run]] of variants.entries()) results[i]!.push(await cpuMicrosPer(run));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`| ${GATEWAY_QUERY.slice(0, 40)}… | CPU µs (median of ${ROUNDS} × ${ITERATIONS}) |`);
console.log('| --- | ---: |');
for (const [i, [name]] of variants.entries()) console.log(`| ${name} | ${median(results[i]!).toFixed(1)} |`);
