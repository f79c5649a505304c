// An integration's list is loaded once per (integration, version) and reused; a new version loads the new list; a
// list that does not hold is no list; a failed load is not remembered.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../common/logger.ts';
import { operationId } from '../../../common/operation-id.ts';
import type { Queryable } from '../../../db/database.ts';
import { createIntegrationLists } from '../../../gateway/trusted-operations/integration-lists.ts';

const ID = '5d1f3c2e-8a4b-4c6d-9e0f-1a2b3c4d5e6f';
const CEILING = { maxDepth: 12, maxAliases: 100, maxRootFields: 50, maxDirectives: 200, maxCost: 100_000 };
const logger = createLogger({ level: 'silent', name: 'test' });

function storeOf(rows: () => Record<string, unknown>[]) {
  let queries = 0;
  const db: Queryable = {
    query<R>() {
      queries++;
      return Promise.resolve(rows() as R[]);
    },
  };
  return { db, queries: () => queries };
}

const row = (body: string, sha256 = operationId(body)) => ({
  version: 1,
  sha256,
  body,
  name: null,
  limits: null,
});

describe('trusted operations / integration lists', () => {
  it('loads a version once and again only for a new version', async () => {
    let body = '{ me { kind } }';
    const store = storeOf(() => [row(body)]);
    const lists = createIntegrationLists(store.db, CEILING, logger);
    expect((await lists.list(ID, 1)).byText.has(body)).toBe(true);
    await lists.list(ID, 1);
    expect(store.queries()).toBe(1);
    body = '{ me { integrationId } }';
    expect((await lists.list(ID, 2)).byText.has(body)).toBe(true);
    expect(store.queries()).toBe(2);
  });

  it('asks nothing for version 0 (nothing registered)', async () => {
    const store = storeOf(() => []);
    expect((await createIntegrationLists(store.db, CEILING, logger).list(ID, 0)).byId.size).toBe(0);
    expect(store.queries()).toBe(0);
  });

  it('trusts nothing of a stored list whose id lies about its body', async () => {
    const store = storeOf(() => [row('{ me { kind } }', operationId('{ me { integrationId } }'))]);
    expect((await createIntegrationLists(store.db, CEILING, logger).list(ID, 1)).byId.size).toBe(0);
  });

  it('does not remember a failed load', async () => {
    let fail = true;
    const db: Queryable = {
      query<R>() {
        return fail ? Promise.reject(new Error('down')) : Promise.resolve([row('{ me { kind } }')] as R[]);
      },
    };
    const lists = createIntegrationLists(db, CEILING, logger);
    await expect(lists.list(ID, 1)).rejects.toThrow('down');
    fail = false;
    expect((await lists.list(ID, 1)).byId.size).toBe(1);
  });
});
