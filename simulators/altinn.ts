// A local stand-in for Altinn 3's authorized-parties API ("avgiverliste", FIKS-FACTS §4): which organisations a
// person may act for, and with which roles. Callers authenticate with a Maskinporten token carrying scope
// `altinn:accessmanagement/authorizedparties.resourceowner`, verified against Maskinporten's JWKS.
//
// Simplification: real Altinn wants that Maskinporten token exchanged for an Altinn token first
// (/authentication/api/v1/exchange/maskinporten) and an APIM subscription key; this stand-in takes the
// Maskinporten token directly. The request and response shapes are Altinn's.
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply } from 'fastify';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { Logger } from '../common/logger.ts';
import { authorizedPartiesFor, DEFAULT_ALTINN_DIRECTORY, type AltinnDirectory } from './altinn-parties.ts';
import { refuseProduction, type SimulatorMode } from './production-guard.ts';

export type { AltinnDirectory, AuthorizedPartyExternal } from './altinn-parties.ts';

export const AUTHORIZED_PARTIES_PATH = '/accessmanagement/api/v1/resourceowner/authorizedparties';
export const AUTHORIZED_PARTIES_SCOPE = 'altinn:accessmanagement/authorizedparties.resourceowner';
const PERSON_IDENTIFIER = 'urn:altinn:person:identifier-no';

export interface AltinnOptions {
  mode?: SimulatorMode;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  /** The Maskinporten issuer whose tokens are accepted (the stand-in's, or https://test.maskinporten.no/). */
  maskinportenIssuer: string;
  /** @default `<maskinportenIssuer>jwk` */
  maskinportenJwksUri?: string;
  /** Persons, organisations and roles. @default DEFAULT_ALTINN_DIRECTORY (from the demo identities) */
  directory?: AltinnDirectory;
  /** Request logging. @default silent */
  logger?: Logger;
}

export interface AltinnSimulator {
  /** The platform base URL, e.g. http://127.0.0.1:41236 */
  url: string;
  /** POST here, with `?includeAltinn2=true` as Fiks would. */
  authorizedPartiesUrl: string;
  stop(): Promise<void>;
}

/** RFC 9457 problem details, as Altinn's APIs answer errors. */
function problem(reply: FastifyReply, status: number, title: string, challenge?: string) {
  if (challenge) void reply.header('www-authenticate', challenge);
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status });
}

export async function startAltinn(options: AltinnOptions): Promise<AltinnSimulator> {
  refuseProduction(options.mode, 'Altinn', 'https://platform.tt02.altinn.no');
  const directory = options.directory ?? DEFAULT_ALTINN_DIRECTORY;
  const issuer = options.maskinportenIssuer;
  const jwks = createRemoteJWKSet(
    new URL(options.maskinportenJwksUri ?? `${issuer.replace(/\/?$/, '/')}jwk`),
  );

  const app = Fastify(options.logger ? { loggerInstance: options.logger } : { logger: false });

  app.post(AUTHORIZED_PARTIES_PATH, async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const token = /^Bearer ([\w.~+/-]+=*)$/i.exec(header)?.[1];
    // RFC 6750 §3.1: a request without credentials gets the challenge without an error code.
    if (!token) return problem(reply, 401, 'Unauthorized', 'Bearer');
    let scopes: string[];
    try {
      const { payload } = await jwtVerify(token, jwks, { issuer, algorithms: ['RS256', 'RS384', 'RS512'] });
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    } catch {
      return problem(reply, 401, 'Unauthorized', 'Bearer error="invalid_token"');
    }
    if (!scopes.includes(AUTHORIZED_PARTIES_SCOPE)) {
      // RFC 6750 §3.1 insufficient_scope: 403, naming the scope needed.
      return problem(
        reply,
        403,
        'Forbidden',
        `Bearer error="insufficient_scope", scope="${AUTHORIZED_PARTIES_SCOPE}"`,
      );
    }
    const body = request.body as { type?: unknown; value?: unknown } | undefined;
    if (body?.type !== PERSON_IDENTIFIER || typeof body.value !== 'string' || !/^\d{11}$/.test(body.value)) {
      // Altinn also accepts person and organisation uuids; the stand-in answers only fødselsnummer lookups.
      return problem(reply, 400, `Send {"type":"${PERSON_IDENTIFIER}","value":"<11 digits>"}.`);
    }
    return authorizedPartiesFor(directory, body.value);
  });

  await app.listen({ host: '127.0.0.1', port: options.port ?? 0 });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  return {
    url,
    authorizedPartiesUrl: `${url}${AUTHORIZED_PARTIES_PATH}?includeAltinn2=true`,
    stop: () => app.close(),
  };
}
