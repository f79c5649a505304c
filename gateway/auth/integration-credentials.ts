// Checks IntegrasjonId + IntegrasjonPassord against the integrations subgraph's store, and that the organisation
// behind the access token is the integration's authorised organisation (FIKS-FACTS §1). Every failure gives the
// same answer after the same work: unknown id, wrong password, wrong organisation and disabled integration are
// indistinguishable, in content and in time.
import { createHash } from 'node:crypto';
import { integrationCredentials } from '../../access/integration-credentials.ts';
import { verifyPassword } from '../../access/passwords.ts';
import { BoundedCache } from '../../common/bounded-cache.ts';
import type { Queryable } from '../../db/database.ts';
import { AuthError, integrationAuthenticationFailed } from './auth-error.ts';

export interface IntegrationCheck {
  /** Resolves when the credentials hold for an integration authorised for tokenOrgnr; throws AuthError otherwise. */
  check(integrationId: string, password: string, tokenOrgnr: string): Promise<void>;
}

/** How long a verified (id, password, stored hash) triple skips scrypt. The stored hash is read on every request,
 * so a rotated password or a disabled integration still stops the very next call. */
const VERIFIED_FOR_MS = 10 * 60_000;

export function createIntegrationCheck(db: Queryable, now: () => number = Date.now): IntegrationCheck {
  const verified = new BoundedCache<true>(10_000, now);
  return {
    async check(integrationId, password, tokenOrgnr) {
      let stored;
      try {
        stored = await integrationCredentials(db, integrationId);
      } catch (error) {
        // Fail closed, but say it is us, not the caller: a 503, not the vague 401.
        throw new AuthError(
          503,
          'SERVICE_UNAVAILABLE',
          'Integrasjoner kan ikke kontrolleres nå',
          {},
          { cause: error },
        );
      }
      const key = createHash('sha256')
        .update(`${integrationId}\0${password}\0${stored?.passwordHash ?? ''}`)
        .digest('base64url');
      const remembered = verified.get(key) === true;
      let passwordOk = remembered;
      if (!passwordOk) {
        // Always run the slow hash, also for an unknown integration, so the time taken tells nothing.
        passwordOk = await verifyPassword(password, stored?.passwordHash);
        if (passwordOk) verified.set(key, true, now() + VERIFIED_FOR_MS);
      }
      if (!stored || !passwordOk || !stored.enabled || stored.authorizedOrgnr !== tokenOrgnr) {
        // A refusal always costs one slow hash: a remembered password must not make "disabled" or "other
        // organisation" answer faster than "wrong password".
        if (remembered) await verifyPassword(password, undefined);
        throw integrationAuthenticationFailed(integrationId);
      }
    },
  };
}
