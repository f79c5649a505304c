// The replay guard's bounds (subgraphs/runtime/replay-guard.ts): a token id is refused the second time until it
// expires, memory is bounded, and a full guard refuses new tokens rather than forgetting remembered ones.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../access/principal.ts';
import { createCallerTokenSigner } from '../../gateway/caller-token-signer.ts';
import { CALLER_TOKENS_BUSY, createCallerVerifier } from '../../subgraphs/runtime/caller-verifier.ts';
import { createReplayGuard } from '../../subgraphs/runtime/replay-guard.ts';

const PRINCIPAL: Principal = { kind: 'integration', integrationId: randomUUID(), orgnr: '910000004' };

describe('subgraphs / replay guard', () => {
  it('admits an id once, and again only after it has expired', () => {
    let now = 1_000_000;
    const guard = createReplayGuard({ maxEntries: 10, now: () => now });
    expect(guard.admit('a', now + 60_000)).toBe('first');
    expect(guard.admit('a', now + 60_000)).toBe('replayed');
    now += 60_000;
    expect(guard.admit('a', now + 60_000)).toBe('first');
  });

  it('refuses new ids when full of unexpired ones, keeps refusing the remembered ones, and frees room as they expire', () => {
    let now = 0;
    const guard = createReplayGuard({ maxEntries: 3, now: () => now });
    for (const id of ['a', 'b', 'c']) expect(guard.admit(id, 100)).toBe('first');
    expect(guard.admit('d', 200)).toBe('full');
    expect(guard.admit('a', 100)).toBe('replayed');
    expect(guard.size).toBe(3);
    now = 100;
    expect(guard.admit('d', 200)).toBe('first');
    expect(guard.size).toBe(1);
  });

  it('tells the door it is busy, rather than letting a token through unremembered', async () => {
    const signingKey = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }) as JWK;
    const signer = await createCallerTokenSigner({ signingKey, ttlSeconds: 60 });
    const verifier = createCallerVerifier('documents', { jwks: signer.jwks }, { maxRememberedTokens: 2 });
    const token = () => `Bearer ${signer.tokenFor(PRINCIPAL, 'documents', randomUUID())}`;
    const first = token();
    expect(await verifier.verify(first)).toMatchObject({ principal: PRINCIPAL });
    expect(await verifier.verify(token())).toMatchObject({ principal: PRINCIPAL });
    expect(await verifier.verify(token())).toBe(CALLER_TOKENS_BUSY);
    // A forged or replayed token is refused as before, not reported busy.
    expect(await verifier.verify(`${first}x`)).toBeNull();
  });
});
