// The connect timeout, which loopback cannot show (a refused port answers at once): connecting includes name
// resolution, so a lookup that never answers is a connection that never completes.
import { describe, expect, it } from 'vitest';
import { createSubgraphFetch, SubgraphCallError } from '../../gateway/subgraph-http.ts';

describe('gateway / subgraph HTTP', () => {
  it('gives up connecting after the connect timeout, before the response deadline', async () => {
    const fetch = createSubgraphFetch({
      connectTimeoutMs: 50,
      // Far beyond the test's own timeout: only the connect timeout can end this call in time.
      timeoutMs: 600_000,
      lookup: () => undefined,
    });
    const error = await fetch('http://subgraph.invalid/graphql', { body: '{}' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubgraphCallError);
    expect((error as SubgraphCallError).failure).toBe('connect timeout');
  });

  it('gives up on the whole answer after the response deadline when connecting never ends', async () => {
    const fetch = createSubgraphFetch({ connectTimeoutMs: 600_000, timeoutMs: 50, lookup: () => undefined });
    const error = await fetch('http://subgraph.invalid/graphql', { body: '{}' }).catch((e: unknown) => e);
    expect((error as SubgraphCallError).failure).toBe('response timeout');
  });
});
