// Failed authentication at the gateway's door, counted in the audit log: a request carrying integration credentials
// that are refused is INTEGRATION_AUTHENTICATION_FAILED (bad Maskinporten token, unknown id, wrong password,
// disabled integration, another organisation's token, backing off); any other refused request (no credential, a bad
// bearer token, an expired session, an organisation Altinn gives no role in) is OPERATION_REFUSED with its code.
// Failures on our side (503: an issuer, Altinn or the database not answering, too many checks at once) are the
// platform's trouble, not the caller's, and are not recorded as the caller's failure.
import type { FastifyRequest } from 'fastify';
import { AuthError } from '../auth/auth-error.ts';
import {
  INTEGRATION_ID_HEADER,
  INTEGRATION_PASSWORD_HEADER,
  type Authenticator,
} from '../auth/authenticate.ts';
import type { SecurityEvents } from './security-events.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function auditedAuthenticator(authenticator: Authenticator, events: SecurityEvents): Authenticator {
  return {
    async authenticate(request) {
      try {
        return await authenticator.authenticate(request);
      } catch (error) {
        if (error instanceof AuthError && error.status !== 503) record(request, error, events);
        throw error;
      }
    },
  };
}

function record(request: FastifyRequest, error: AuthError, events: SecurityEvents): void {
  const reason = error.reason ?? 'refused';
  const integrationId = header(request, INTEGRATION_ID_HEADER);
  // The authenticator treats a request as an integration's when either header is present; so does the audit.
  if (integrationId !== undefined || header(request, INTEGRATION_PASSWORD_HEADER) !== undefined) {
    events.integrationAuthenticationFailed(request.ip, integrationId, reason);
    return;
  }
  events.operationRefused({ code: error.code, source: request.ip, reason, requestId: request.id });
}
