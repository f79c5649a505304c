// Checks IntegrasjonId + IntegrasjonPassord against the integrations subgraph's store, and that the organisation
// behind the access token is the integration's authorised organisation (FIKS-FACTS §1). Every failure gives the
// same answer: unknown id, wrong password, wrong organisation and disabled integration are indistinguishable, in
// content and, outside a back-off, in time.
//
// Bounded (#9 item 3): the slow hash runs under a limit on concurrent checks (password-check-limit.ts), and after
// repeated failures from one address an id backs off (failure-backoff.ts): refused with the same answer, without
// the slow hash. A password verified moments ago needs no slow hash, so it still gets in during a back-off.
import { createHash } from 'node:crypto';
import { integrationCredentials, type IntegrationCredentials } from '../../access/integration-credentials.ts';
import { verifyPassword } from '../../access/passwords.ts';
import { BoundedCache } from '../../common/bounded-cache.ts';
import type { Queryable } from '../../db/database.ts';
import { AuthError, integrationAuthenticationFailed } from './auth-error.ts';
import { createFailureBackoff, type FailureBackoffOptions } from './failure-backoff.ts';
import { createPasswordCheckLimit, type PasswordCheckLimitOptions } from './password-check-limit.ts';

/** What the same credential lookup says about the integration's trusted operations (gateway/trusted-operations/):
 * learned in the call every request makes anyway, so a list registered through any replica is seen at once. */
export interface IntegrationOperationsStanding {
  mode: string;
  version: number;
}

export interface IntegrationCheck {
  /**
   * Resolves when the credentials hold for an integration authorised for tokenOrgnr; throws AuthError otherwise.
   * `source` is the client's address, which failures are counted under together with the id.
   */
  check(
    integrationId: string,
    password: string,
    tokenOrgnr: string,
    source: string,
  ): Promise<IntegrationOperationsStanding>;
}

export interface IntegrationCheckOptions {
  limit: PasswordCheckLimitOptions;
  backoff: Omit<FailureBackoffOptions, 'now'>;
  now?: () => number;
  /** The slow hash; a test passes a counting one. @default verifyPassword (scrypt) */
  verify?: typeof verifyPassword;
  /** Where the stored credentials come from: the gateway passes its credential cache (credential-cache.ts).
   * @default a read of the database on every call */
  lookup?: (integrationId: string) => Promise<IntegrationCredentials | null>;
}

/** How long a verified (id, password, stored hash) triple skips scrypt. The stored hash is looked up on every
 * request (from a cache that forgets a changed row: credential-cache.ts), so a rotated password or a disabled
 * integration still stops the next call. */
const VERIFIED_FOR_MS = 10 * 60_000;

export function createIntegrationCheck(db: Queryable, options: IntegrationCheckOptions): IntegrationCheck {
  const now = options.now ?? Date.now;
  const verify = options.verify ?? verifyPassword;
  const lookup = options.lookup ?? ((integrationId: string) => integrationCredentials(db, integrationId));
  const verified = new BoundedCache<true>(10_000, now);
  const limit = createPasswordCheckLimit(options.limit);
  const backoff = createFailureBackoff({ ...options.backoff, now });
  return {
    async check(integrationId, password, tokenOrgnr, source) {
      let stored;
      try {
        stored = await lookup(integrationId);
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
      const failuresKey = [integrationId, source];
      const refuse = (reason: Parameters<typeof integrationAuthenticationFailed>[1]) => {
        backoff.recordFailure(failuresKey);
        return integrationAuthenticationFailed(integrationId, reason);
      };
      const key = createHash('sha256')
        .update(`${integrationId}\0${password}\0${stored?.passwordHash ?? ''}`)
        .digest('base64url');
      const remembered = verified.get(key) === true;
      const accepted = () => stored && stored.enabled && stored.authorizedOrgnr === tokenOrgnr;
      // Backing off: the same answer as a wrong password, without the slow hash and without counting.
      if (backoff.blocked(failuresKey) && !(remembered && accepted())) {
        throw integrationAuthenticationFailed(integrationId, 'backing_off');
      }
      let passwordOk = remembered;
      if (!passwordOk) {
        // Always run the slow hash, also for an unknown integration, so the time taken tells nothing.
        passwordOk = await limit.run(() => verify(password, stored?.passwordHash));
        if (passwordOk) verified.set(key, true, now() + VERIFIED_FOR_MS);
      }
      if (!passwordOk || !accepted()) {
        // A refusal always costs one slow hash: a remembered password must not make "disabled" or "other
        // organisation" answer faster than "wrong password".
        if (remembered) await limit.run(() => verify(password, undefined));
        // Told apart for the audit log only; the caller gets the same answer for each.
        if (!stored) throw refuse('unknown_integration');
        if (!passwordOk) throw refuse('wrong_password');
        throw refuse(stored.enabled ? 'wrong_organization' : 'disabled_integration');
      }
      backoff.recordSuccess(failuresKey);
      return { mode: stored?.operationsMode ?? 'safelist', version: stored?.operationsVersion ?? 0 };
    },
  };
}
