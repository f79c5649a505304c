// Why a request was refused at the door. Converted once, in the gateway's onRequest hook, into an HTTP status and
// a GraphQL error body; the message is what the caller may know, never which check failed when that would help an
// attacker (FIKS-FACTS §1: one vague answer for every integration failure).
import type { ErrorCode } from '../../common/errors.ts';
import { isUuid } from '../../common/identifiers.ts';

/**
 * Why a caller was refused, as the audit log records it (gateway/audit/): a stable code, never sent to the caller,
 * who gets one vague answer for every integration failure (FIKS-FACTS §1).
 */
export type AuthFailureReason =
  | 'no_credential'
  | 'invalid_token'
  | 'missing_credentials'
  | 'session_expired'
  | 'acr_too_low'
  | 'unknown_integration'
  | 'wrong_password'
  | 'disabled_integration'
  | 'wrong_organization'
  | 'backing_off'
  | 'integration_act_for'
  | 'act_for_refused';

export class AuthError extends Error {
  override name = 'AuthError';
  /** Seconds a refused caller should wait before trying again (the Retry-After header), when that is known. */
  readonly retryAfterSeconds: number | undefined;
  /** Why, for the audit log only; undefined for a failure on our side (503). */
  readonly reason: AuthFailureReason | undefined;
  constructor(
    readonly status: 401 | 403 | 503,
    readonly code: Extract<
      ErrorCode,
      'UNAUTHENTICATED' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE' | 'AUTHENTICATION_BUSY'
    >,
    message: string,
    /** Public extensions for the caller, e.g. `loginUrl`. */
    readonly extensions: Record<string, unknown> = {},
    options?: { cause?: unknown; retryAfterSeconds?: number; reason?: AuthFailureReason },
  ) {
    super(message, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.reason = options?.reason;
  }
}

/** FIKS-FACTS §1: "Klarte ikke å validere access_token" — the token itself was not acceptable. */
export function invalidAccessToken(cause?: unknown): AuthError {
  return new AuthError(
    401,
    'UNAUTHENTICATED',
    'Klarte ikke å validere access_token',
    {},
    { cause, reason: 'invalid_token' },
  );
}

/** FIKS-FACTS §1: the same answer for unknown id, wrong password, wrong organisation and disabled integration. */
export function integrationAuthenticationFailed(
  integrationId: string,
  reason: Extract<
    AuthFailureReason,
    'unknown_integration' | 'wrong_password' | 'disabled_integration' | 'wrong_organization' | 'backing_off'
  >,
): AuthError {
  const shown = isUuid(integrationId) ? integrationId : '(ugyldig id)';
  return new AuthError(
    401,
    'UNAUTHENTICATED',
    `Autentisering feilet for integrasjon med id ${shown}`,
    {},
    { reason },
  );
}

/** Too many password checks at once: refused before any work, so a flood of them cannot hold the thread pool. */
export function authenticationBusy(): AuthError {
  return new AuthError(
    503,
    'AUTHENTICATION_BUSY',
    'For mange samtidige autentiseringer. Prøv igjen om litt.',
    {},
    { retryAfterSeconds: 1 },
  );
}
