// Who is calling the gateway. Until ID-porten and Maskinporten authentication land (issue #3), every request in
// development is the fixed demo principal, and in production every request is refused: fail closed.
import type { FastifyRequest } from 'fastify';
import type { Principal } from '../access/principal.ts';

export interface Authenticator {
  /** The verified principal, or null when the request carries no acceptable credential. */
  authenticate(request: FastifyRequest): Promise<Principal | null>;
}

export function createAuthenticator(mode: 'development' | 'production'): Authenticator {
  const demo: Principal = { kind: 'demo' };
  return {
    authenticate: () => Promise.resolve(mode === 'development' ? demo : null),
  };
}
