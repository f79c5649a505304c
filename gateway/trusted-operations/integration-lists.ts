// Integrations' own lists, cached per (integration, version). The version comes with the credential check every
// integration request already makes (access/integration-credentials.ts), so a registration through any replica
// bumps it and the next call through every replica loads the new list — one query, once per version per replica —
// while a list already cached costs nothing more. A stored list that does not hold (an id that lies, a body that
// does not parse) is treated as empty: fail closed, logged.
import { integrationOperations } from '../../access/integration-operations.ts';
import type { Logger } from '../../common/logger.ts';
import type { Queryable } from '../../db/database.ts';
import { parseManifest, type ManifestOperation } from './manifest.ts';
import { buildOperationList, EMPTY_LIST, type LimitCeiling, type OperationList } from './operation-list.ts';

/** Integrations whose lists are kept at once; past it the least recently loaded is dropped (and loaded again). */
const MAX_CACHED_LISTS = 10_000;

export interface IntegrationLists {
  /** The integration's list at that version. */
  list(integrationId: string, version: number): Promise<OperationList>;
}

export function createIntegrationLists(
  db: Queryable,
  ceiling: LimitCeiling,
  logger: Logger,
): IntegrationLists {
  const cache = new Map<string, { version: number; list: Promise<OperationList> }>();

  async function load(integrationId: string): Promise<OperationList> {
    const stored = await integrationOperations(db, integrationId);
    try {
      const operations: ManifestOperation[] = parseManifest({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: stored.operations.map((o) => ({
          id: o.sha256,
          body: o.body,
          name: o.name,
          limits: o.limits,
        })),
      });
      return buildOperationList(operations, ceiling);
    } catch (error) {
      logger.error(
        { err: error, integrationId },
        'an integration’s trusted operations do not hold; none are trusted',
      );
      return EMPTY_LIST;
    }
  }

  return {
    list(integrationId, version) {
      const cached = cache.get(integrationId);
      if (cached && cached.version === version) return cached.list;
      if (version === 0) return Promise.resolve(EMPTY_LIST);
      const list = load(integrationId);
      cache.delete(integrationId);
      if (cache.size >= MAX_CACHED_LISTS) cache.delete(cache.keys().next().value!);
      cache.set(integrationId, { version, list });
      // A failed load is not kept: the next request tries again.
      list.catch(() => {
        if (cache.get(integrationId)?.list === list) cache.delete(integrationId);
      });
      return list;
    },
  };
}
