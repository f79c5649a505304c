// `npm run bench -- --processes` tells each subgraph process (bin/subgraph.ts) the ids of the bare gateway's static
// caller tokens in BENCH_REUSABLE_TOKEN_IDS, so it accepts them more than once. A subgraph in production mode must
// refuse to start with it: it can never become a way to accept a replayed token.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runEntryPoint } from '../support/child.ts';

const key = () => JSON.stringify(generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' }));

describe('bench / the reusable-token switch of a subgraph process', () => {
  it('is refused by a subgraph in production mode, before it opens its database', async () => {
    const child = runEntryPoint('bin/subgraph.ts', ['documents'], {
      FIKS_MODE: 'production',
      // Nothing listens there: the refusal must come first.
      DATABASE_URL: 'postgres://db.invalid/fiks',
      SEED_DEMO_DATA: 'false',
      SESSION_ENCRYPTION_KEY: 'A'.repeat(43),
      CALLER_SIGNING_KEY: key(),
      IDPORTEN_ISSUER: 'https://test.idporten.no',
      MASKINPORTEN_ISSUER: 'https://test.maskinporten.no/',
      ALTINN_URL: 'https://platform.tt02.altinn.no',
      AUDIT_SIGNING_KEY: key(),
      AUDIT_WITNESS_FILE: '/nonexistent/witness.jsonl',
      DOCUMENT_KEY_FILE: '/nonexistent/document-kek.json',
      BENCH_REUSABLE_TOKEN_IDS: 'a-static-token-id',
    });
    expect(await child.exited).not.toBe(0);
    expect(child.output()).toMatch(/BENCH_REUSABLE_TOKEN_IDS is for the bench only/);
  });
});
