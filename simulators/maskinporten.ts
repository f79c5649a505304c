// A local stand-in for Maskinporten: the JWT-bearer token endpoint (RFC 7523 §2.1) with Maskinporten's token
// format (FIKS-FACTS §2), its metadata and its JWKS. Fastify rather than oidc-provider, which has no JWT-bearer
// grant. The issuer ends in a slash, like https://test.maskinporten.no/, so only the URL changes when the gateway
// moves to the real one.
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import formBody from '@fastify/formbody';
import Fastify from 'fastify';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { Logger } from '../common/logger.ts';
import { generateRsaKeyPair } from './keys.ts';
import { GrantError, verifyJwtGrant, type MaskinportenClientRegistration } from './maskinporten-grant.ts';
import { refuseProduction, type SimulatorMode } from './production-guard.ts';

export type { MaskinportenClientRegistration } from './maskinporten-grant.ts';

export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface MaskinportenOptions {
  mode?: SimulatorMode;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  clients?: MaskinportenClientRegistration[];
  /** Access-token lifetime in seconds. @default 120 (FIKS-FACTS §2: "typisk 2 minutt") */
  accessTokenLifetime?: number;
  /** Request logging. @default silent */
  logger?: Logger;
  /** The clock, in seconds since the epoch; tests may pin it. @default the system clock */
  now?: () => number;
}

export interface MaskinportenSimulator {
  /** e.g. http://127.0.0.1:41235/ (with the trailing slash, as Maskinporten's). */
  issuer: string;
  tokenEndpoint: string;
  /** `<issuer>jwk`, as Maskinporten names it. */
  jwksUri: string;
  jwks: { keys: JWK[] };
  /** Registers another client while running. */
  register(client: MaskinportenClientRegistration): void;
  stop(): Promise<void>;
}

export async function startMaskinporten(options: MaskinportenOptions = {}): Promise<MaskinportenSimulator> {
  refuseProduction(options.mode, 'Maskinporten', 'https://test.maskinporten.no/');
  const lifetime = options.accessTokenLifetime ?? 120;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  const clients = new Map((options.clients ?? []).map((c) => [c.clientId, c]));
  const seen = new Map<string, number>();
  const signing = await generateRsaKeyPair('RS256');
  const signingKey = await importJWK(signing.privateJwk, 'RS256');

  const app = Fastify(options.logger ? { loggerInstance: options.logger } : { logger: false });
  await app.register(formBody);
  // The issuer contains the port, known only once the server listens; routes read it when they run.
  let issuer = '';

  // RFC 8414 §3: metadata at /.well-known/oauth-authorization-server (DIGDIR `maskinporten_func_wellknown.md`).
  app.get('/.well-known/oauth-authorization-server', () => ({
    issuer,
    token_endpoint: `${issuer}token`,
    jwks_uri: `${issuer}jwk`,
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    grant_types_supported: [JWT_BEARER],
    token_endpoint_auth_signing_alg_values_supported: ['RS256', 'RS384', 'RS512'],
  }));

  app.get('/jwk', () => ({ keys: [signing.publicJwk] }));

  app.post('/token', async (request, reply) => {
    // RFC 6749 §5.1-5.2: token responses and errors must not be cached.
    void reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
    try {
      const body = (request.body ?? {}) as Record<string, unknown>;
      if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')) {
        throw new GrantError('invalid_request', 'Send the request as application/x-www-form-urlencoded.');
      }
      if (body.grant_type !== JWT_BEARER) {
        throw new GrantError('unsupported_grant_type', `grant_type must be ${JWT_BEARER}.`);
      }
      if (typeof body.assertion !== 'string')
        throw new GrantError('invalid_request', 'assertion is missing.');
      const at = now();
      const grant = await verifyJwtGrant(body.assertion, { issuer, clients, now: at, seen });
      const scope = grant.scopes.join(' ');
      // FIKS-FACTS §2: Maskinporten's access token is always a self-contained JWT with these claims.
      const accessToken = await new SignJWT({
        client_id: grant.client.clientId,
        client_amr: 'private_key_jwt',
        consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${grant.client.orgnr}` },
        scope,
        token_type: 'Bearer',
        ...(grant.resource !== undefined ? { aud: grant.resource } : {}),
      })
        .setProtectedHeader({ alg: 'RS256', kid: signing.kid })
        .setIssuer(issuer)
        .setIssuedAt(at)
        .setExpirationTime(at + lifetime)
        .setJti(randomUUID())
        .sign(signingKey);
      return { access_token: accessToken, token_type: 'Bearer', expires_in: lifetime, scope };
    } catch (error) {
      if (!(error instanceof GrantError)) throw error;
      request.log.info({ error: error.code }, 'token request refused');
      return reply.code(400).send({ error: error.code, error_description: error.message });
    }
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  issuer = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/`;
  return {
    issuer,
    tokenEndpoint: `${issuer}token`,
    jwksUri: `${issuer}jwk`,
    jwks: { keys: [signing.publicJwk] },
    register: (client) => void clients.set(client.clientId, client),
    stop: () => app.close(),
  };
}
