// What the gateway's /readyz asks: its database, and each subgraph's own /readyz (which asks that subgraph's
// database) — a subgraph that lives but cannot reach its data cannot answer operations either.
import { databaseCheck, httpCheck, type ReadinessCheck } from '../common/readiness.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import type { Queryable } from '../db/database.ts';
import { subgraphReadinessFetch, type SubgraphTls } from './subgraph-tls.ts';

export function readinessChecks(
  db: Queryable,
  subgraphUrls: Record<SubgraphName, string>,
  tls: SubgraphTls | undefined,
): ReadinessCheck[] {
  const fetchWith = subgraphReadinessFetch(tls);
  return [
    databaseCheck(db),
    // Relative to the GraphQL URL, so a subgraph served under a path prefix is asked under the same prefix.
    ...Object.entries(subgraphUrls).map(([name, url]) =>
      httpCheck(name, new URL('readyz', url).href, fetchWith),
    ),
  ];
}
