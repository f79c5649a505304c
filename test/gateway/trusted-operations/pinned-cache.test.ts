// Trusted operations' documents and plans stay cached while free-form text competes for the LRU
// (gateway/trusted-operations/pinned-cache.ts, #12 item 3), and Apollo Server really keys its document store the way
// the pinning expects: by `<schema hash>:<id>` for an operation run by id.
import { ApolloServer } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { operationId } from '../../../common/operation-id.ts';
import { TrustedTexts } from '../../../gateway/trusted-operations/apq-cache.ts';
import { PinningCache } from '../../../gateway/trusted-operations/pinned-cache.ts';

const TRUSTED = 'a'.repeat(64);

function smallLru() {
  // Room for a handful of values: a flood evicts every free-form entry.
  return new InMemoryLRUCache<object>({
    maxSize: 2_000,
    sizeCalculation: (value) => InMemoryLRUCache.sizeCalculation(value),
  });
}

describe('pinned caches of trusted operations', () => {
  it('keeps a trusted operation through a flood of free-form entries that evicts the rest', async () => {
    const cache = new PinningCache<object>((id) => id === TRUSTED, smallLru());
    await cache.set(`schema1:${TRUSTED}`, { plan: 'trusted' });
    await cache.set('schema1:free', { plan: 'free' });
    for (let i = 0; i < 500; i++) await cache.set(`schema1:flood${i}`, { plan: 'x'.repeat(50) });
    expect(await cache.get(`schema1:${TRUSTED}`)).toEqual({ plan: 'trusted' });
    expect(await cache.get('schema1:free')).toBeUndefined();
    expect(cache.pinnedCount).toBe(1);
  });

  it('pins by the bare id too (the plan cache’s key), and forgets on clear and delete', async () => {
    const cache = new PinningCache<object>((id) => id === TRUSTED, smallLru());
    await cache.set(TRUSTED, { plan: 1 });
    expect(cache.pinnedCount).toBe(1);
    cache.clear();
    expect(await cache.get(TRUSTED)).toBeUndefined();
    await cache.set(TRUSTED, { plan: 2 });
    expect(await cache.delete(TRUSTED)).toBe(true);
    expect(await cache.get(TRUSTED)).toBeUndefined();
  });

  it('drops what it pinned under an older schema when the schema changes, and stays bounded', async () => {
    const other = 'b'.repeat(64);
    const cache = new PinningCache<object>((id) => id === TRUSTED || id === other, smallLru(), 1);
    await cache.set(`old:${TRUSTED}`, { v: 'old' });
    await cache.set(`new:${TRUSTED}`, { v: 'new' });
    expect(await cache.get(`old:${TRUSTED}`)).toBeUndefined();
    await cache.set(`new:${other}`, { v: 'other' });
    expect(cache.pinnedCount).toBe(1);
  });

  it('is what Apollo Server keys by the operation id when it runs a trusted operation', async () => {
    const text = '{ hello }';
    const id = operationId(text);
    const texts = new TrustedTexts();
    texts.admit(id, text);
    const documents = new PinningCache<DocumentNode>((key) => texts.has(key));
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hei' } },
      persistedQueries: { cache: texts },
      documentStore: documents,
    });
    await server.start();
    try {
      const byId = await server.executeOperation({
        extensions: { persistedQuery: { version: 1, sha256Hash: id } },
      });
      expect(byId.body.kind === 'single' && byId.body.singleResult.data).toEqual({ hello: 'hei' });
      expect(documents.pinnedCount).toBe(1);
      // Free-form text goes to the LRU, not the pinned set.
      await server.executeOperation({ query: '{ hello __typename }' });
      expect(documents.pinnedCount).toBe(1);
    } finally {
      await server.stop();
    }
  });
});
