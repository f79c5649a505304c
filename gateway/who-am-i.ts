// GET /auth/me: what the explorer shows of the browser session — whether someone is logged in, at which level, and
// the organisation they act for (the Fiks-Act-For header, checked with Altinn exactly as for /graphql) with their
// roles there. Nothing more: not the fødselsnummer, the session id or any token. Only the session cookie counts
// here; a request with a bearer token or integration credentials is refused rather than described.
// Reading needs no CSRF guard: another site's page cannot read the answer (no CORS), and nothing changes.
import type { FastifyInstance } from 'fastify';
import { refuse } from '../common/http-refusal.ts';
import { AuthError } from './auth/auth-error.ts';
import {
  INTEGRATION_ID_HEADER,
  INTEGRATION_PASSWORD_HEADER,
  type Authenticator,
} from './auth/authenticate.ts';
import { SESSION_COOKIE } from './session/index.ts';
import { readCookie } from './session/http.ts';

export const WHO_AM_I_PATH = '/auth/me';

export type WhoAmI =
  { loggedIn: false } | { loggedIn: true; acr: string; actingFor?: { orgnr: string; roles: string[] } };

export function registerWhoAmI(app: FastifyInstance, authenticator: Authenticator): void {
  app.get(WHO_AM_I_PATH, async (request, reply) => {
    void reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
    const { headers } = request;
    if (headers.authorization || headers[INTEGRATION_ID_HEADER] || headers[INTEGRATION_PASSWORD_HEADER]) {
      return refuse(reply, request, 400, 'BAD_REQUEST', 'This describes the browser session only.');
    }
    const loggedOut: WhoAmI = { loggedIn: false };
    if (readCookie(headers.cookie, SESSION_COOKIE) === undefined) return loggedOut;
    let principal;
    try {
      principal = await authenticator.authenticate(request);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      // An expired or unknown session is simply no session: the page offers to log in.
      if (error.status === 401) return loggedOut;
      if (error.retryAfterSeconds !== undefined)
        void reply.header('retry-after', String(error.retryAfterSeconds));
      return refuse(reply, request, error.status, error.code, error.message);
    }
    if (principal.kind !== 'person') return loggedOut;
    const answer: WhoAmI = { loggedIn: true, acr: principal.acr };
    if (principal.actingFor)
      answer.actingFor = { orgnr: principal.actingFor.orgnr, roles: [...principal.actingFor.roles] };
    return answer;
  });
}
