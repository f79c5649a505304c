// Caller tokens for the calls the bench makes past our gateway (the bare gateway, the direct subgraph call). The
// platform is started with a signing key generated here (CALLER_SIGNING_KEY), so a signer built from the same key
// mints tokens its subgraphs accept. Each token is minted once, before any run, and must outlive the whole bench;
// all carry one made-up request id. They are verified on every call just like our gateway's fresh ones, so the
// subgraphs' cost of checking a signature is the same for a, b and c; only our gateway's tokens are also remembered
// against replay (subgraphs/runtime/replay-guard.ts) — a static credential is by nature replayable, which is what a
// team without us would deploy. The subgraphs are told these tokens' ids (staticTokenIds) so they accept them again.
import type { JWK } from 'jose';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { DEMO_INTEGRATIONS } from '../common/demo-identities.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from '../common/subgraph-names.ts';
import { createCallerTokenSigner } from '../gateway/caller-token-signer.ts';

/** The demo integration, as our gateway authenticates it; the static tokens carry the same principal. */
export const BENCH_PRINCIPAL: Principal = {
  kind: 'integration',
  integrationId: DEMO_INTEGRATIONS.fjordvikCaseSystem.id,
  orgnr: DEMO_INTEGRATIONS.fjordvikCaseSystem.authorized,
};

/** A fresh private Ed25519 JWK as JSON, the form CALLER_SIGNING_KEY takes. */
export function generateSigningKey(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return JSON.stringify(privateKey.export({ format: 'jwk' }));
}

/** The token ids (`jti`) of tokens, read from their payloads. */
export function staticTokenIds(tokens: Record<SubgraphName, string>): Set<string> {
  return new Set(
    Object.values(tokens).map((token) => {
      const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as {
        jti: string;
      };
      return payload.jti;
    }),
  );
}

/** One token per subgraph for BENCH_PRINCIPAL and one request id, valid for ttlSeconds. */
export async function staticCallerTokens(
  signingKey: string,
  ttlSeconds: number,
): Promise<Record<SubgraphName, string>> {
  const signer = await createCallerTokenSigner({ signingKey: JSON.parse(signingKey) as JWK, ttlSeconds });
  const requestId = randomUUID();
  const tokens = {} as Record<SubgraphName, string>;
  for (const name of SUBGRAPH_NAMES) tokens[name] = signer.tokenFor(BENCH_PRINCIPAL, name, requestId);
  return tokens;
}
