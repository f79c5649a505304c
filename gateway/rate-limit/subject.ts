// Whom a request counts against (issue #12 item 8): the principal once authenticated — an integration by its id, a
// person by a keyed hash of their pid, all their sessions and tokens together — and the client address for
// everything else. The pid never appears in a key: Redis keys and logs would otherwise hold fødselsnumre, and a
// plain SHA-256 of an 11-digit number is reversed by trying them all, so the hash is keyed (HMAC) with a key every
// replica derives from the same secret.
import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import type { RateLimitKind } from '../../common/config.ts';

/** The kind of a subject key is its first segment: `integration:…`, `person:…`, `address:…`. */
export function kindOfKey(key: string): RateLimitKind {
  const kind = key.slice(0, key.indexOf(':'));
  return kind === 'integration' || kind === 'person' ? kind : 'address';
}

/**
 * The HMAC key for persons' keys. From SESSION_ENCRYPTION_KEY (which every replica must share for sessions anyway)
 * through HKDF, so the session key itself is never used for a second purpose; without it (development), a random
 * key per process — then replicas would count a person apart, as they would not share sessions either.
 */
export function personKeySecret(sessionEncryptionKey: string | undefined): Buffer {
  if (sessionEncryptionKey === undefined) return randomBytes(32);
  return Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(sessionEncryptionKey, 'base64url'),
      '',
      'fiks-gateway rate-limit person',
      32,
    ),
  );
}

/** The key a request counts under; call it after authentication has set request.gatewayPrincipal. */
export function subjectKeyOf(secret: Buffer): (request: FastifyRequest) => string {
  return (request) => {
    const principal = request.gatewayPrincipal;
    // An integration acting on behalf of a person spends the integration's budget: it is the one calling.
    if (principal?.kind === 'integration') return `integration:${principal.integrationId}`;
    if (principal?.kind === 'person') {
      const hash = createHmac('sha256', secret).update(principal.pid).digest('base64url').slice(0, 22);
      return `person:${hash}`;
    }
    // IPv6 clients are counted per /64, as one host usually holds the whole prefix.
    return `address:${normalizeIP(request.ip)}`;
  };
}
