// The gateway vouches for each subgraph call with a fresh caller token: the verified principal and the gateway's
// request id, signed for that one subgraph. Nothing about the caller travels beside the token.
import { randomUUID } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { createCallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import type { GatewayContext } from '../../gateway/context.ts';
import { SubgraphDataSource } from '../../gateway/subgraph-data-source.ts';
import { createSubgraphFetch } from '../../gateway/subgraph-http.ts';
import { createCallerVerifier } from '../../subgraphs/runtime/caller-verifier.ts';

const PRINCIPAL: Principal = {
  kind: 'person',
  pid: '01010112345',
  acr: 'idporten-loa-high',
  sessionId: 'session-1',
  actingFor: { orgnr: '910000004', roles: ['DAGL'] },
};

describe('gateway / caller token', async () => {
  const signer = await createCallerTokenSigner({ signingKey: undefined, ttlSeconds: 60 });

  /** The headers the gateway would send the named subgraph for a request with this context. */
  function headersSent(subgraph: string, context: Partial<GatewayContext>) {
    const fetch = createSubgraphFetch({ connectTimeoutMs: 1000, timeoutMs: 1000 });
    const source = new SubgraphDataSource(subgraph, `http://127.0.0.1:1/${subgraph}`, signer, fetch);
    const headers = new HeaderMap();
    const request = { query: '{ __typename }', http: { method: 'POST', url: source.url, headers } };
    source.willSendRequest({ request, context } as never);
    return headers;
  }

  it('signs the principal and the request id into the token for one subgraph', async () => {
    const requestId = randomUUID();
    const headers = headersSent('documents', { principal: PRINCIPAL, requestId });
    const authorization = headers.get('authorization');

    expect(await createCallerVerifier('documents', { jwks: signer.jwks }).verify(authorization)).toEqual({
      principal: PRINCIPAL,
      requestId,
    });
    expect(
      await createCallerVerifier('organizations', { jwks: signer.jwks }).verify(authorization),
    ).toBeNull();
    expect([...headers.keys()]).toEqual(['authorization']);
  });

  it('signs a fresh token for every call', () => {
    const requestId = randomUUID();
    const first = headersSent('documents', { principal: PRINCIPAL, requestId });
    const second = headersSent('documents', { principal: PRINCIPAL, requestId });
    expect(first.get('authorization')).not.toBe(second.get('authorization'));
  });

  it('calls no subgraph without a principal and a request id', () => {
    expect(() => headersSent('documents', { requestId: randomUUID() })).toThrow(/no principal/);
    expect(() => headersSent('documents', { principal: PRINCIPAL })).toThrow(/no principal/);
  });
});
