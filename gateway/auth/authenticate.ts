// Who is calling the gateway, from the credential the request carries (FIKS-FACTS §1, §3):
//   IntegrasjonId + IntegrasjonPassord + Bearer Maskinporten token   → an integration
//   IntegrasjonId + IntegrasjonPassord + Bearer ID-porten token      → an integration acting for a person
//   Bearer ID-porten access token                                    → a person
//   session cookie from a browser login through the gateway          → a person
// and, for a person, `Fiks-Act-For: <orgnr>` to act for an organisation with the roles Altinn gives them there.
// Anything else is refused: no credential is not a principal.
import { decodeJwt } from 'jose';
import type { FastifyRequest } from 'fastify';
import type { IntegrationPrincipal, PersonPrincipal, Principal } from '../../access/principal.ts';
import { ACT_FOR_HEADER } from '../altinn/index.ts';
import { AuthError, invalidAccessToken } from './auth-error.ts';
import type { IntegrationCheck, IntegrationOperationsStanding } from './integration-credentials.ts';
import { verifyIdportenToken, type IdportenTokenOptions } from './idporten-token.ts';
import { verifyMaskinportenToken, type MaskinportenTokenOptions } from './maskinporten-token.ts';
import { rememberVerified } from './verified-tokens.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set for an integration: its trusted-operations mode and list version, from its credential check. */
    integrationOperations?: IntegrationOperationsStanding;
  }
}

export const INTEGRATION_ID_HEADER = 'integrasjonid';
export const INTEGRATION_PASSWORD_HEADER = 'integrasjonpassord';

export interface SessionAuthenticator {
  /** The person of the request's session; null without a session cookie; throws AuthError for a dead session. */
  authenticate(request: FastifyRequest): Promise<PersonPrincipal | null>;
}

export interface ActForResolver {
  actFor(person: PersonPrincipal, orgnr: string): Promise<PersonPrincipal>;
}

export interface AuthenticatorOptions {
  idporten: IdportenTokenOptions | undefined;
  maskinporten: MaskinportenTokenOptions | undefined;
  integrations: IntegrationCheck;
  sessions: SessionAuthenticator | undefined;
  actFor: ActForResolver | undefined;
  /** Where a person logs in; sent in the error extensions when authentication is required. */
  loginUrl: string | undefined;
}

export interface Authenticator {
  /** The verified principal; throws AuthError when the request may not proceed. */
  authenticate(request: FastifyRequest): Promise<Principal>;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function bearer(request: FastifyRequest): string | undefined {
  const authorization = header(request, 'authorization');
  if (authorization === undefined) return undefined;
  // RFC 6750 §2.1: the scheme is case-insensitive.
  const match = /^bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(authorization);
  if (!match) throw invalidAccessToken();
  return match[1];
}

/** The unverified issuer, only to choose which issuer's keys verify the token. */
function issuerOf(token: string): string | undefined {
  try {
    const { iss } = decodeJwt(token);
    return iss;
  } catch (error) {
    throw invalidAccessToken(error);
  }
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { idporten, maskinporten } = options;
  const verifyMaskinporten = maskinporten
    ? rememberVerified((token) => verifyMaskinportenToken(token, maskinporten))
    : undefined;
  const verifyIdporten = idporten
    ? rememberVerified((token) => verifyIdportenToken(token, idporten))
    : undefined;
  const loginRequired = () =>
    new AuthError(
      401,
      'UNAUTHENTICATED',
      'Innlogging kreves',
      options.loginUrl ? { loginUrl: options.loginUrl } : {},
      { reason: 'no_credential' },
    );

  async function asIntegration(
    request: FastifyRequest,
    token: string | undefined,
  ): Promise<IntegrationPrincipal> {
    const integrationId = header(request, INTEGRATION_ID_HEADER);
    const password = header(request, INTEGRATION_PASSWORD_HEADER);
    if (!token) throw invalidAccessToken();
    if (!integrationId || !password)
      throw new AuthError(
        401,
        'UNAUTHENTICATED',
        'IntegrasjonId og IntegrasjonPassord kreves',
        {},
        { reason: 'missing_credentials' },
      );
    if (header(request, ACT_FOR_HEADER)) {
      throw new AuthError(
        403,
        'FORBIDDEN',
        'En integrasjon opptrer for sin autoriserte organisasjon, ikke etter Fiks-Act-For',
        {},
        { reason: 'integration_act_for' },
      );
    }
    const iss = issuerOf(token);
    if (verifyMaskinporten && iss === maskinporten?.keys.issuer) {
      const claims = await verifyMaskinporten(token);
      request.integrationOperations = await options.integrations.check(
        integrationId,
        password,
        claims.consumerOrgnr,
        request.ip,
      );
      const principal: IntegrationPrincipal = {
        kind: 'integration',
        integrationId,
        orgnr: claims.consumerOrgnr,
      };
      if (claims.jti) principal.tokenId = claims.jti;
      return principal;
    }
    if (verifyIdporten && iss === idporten?.keys.issuer) {
      // FIKS-FACTS §1: on behalf of a person, the person's ID-porten token replaces the Maskinporten token; its
      // consumer must still be the integration's authorised organisation.
      const claims = await verifyIdporten(token);
      if (!claims.consumerOrgnr) throw invalidAccessToken();
      request.integrationOperations = await options.integrations.check(
        integrationId,
        password,
        claims.consumerOrgnr,
        request.ip,
      );
      const principal: IntegrationPrincipal = {
        kind: 'integration',
        integrationId,
        orgnr: claims.consumerOrgnr,
        onBehalfOf: { pid: claims.pid, acr: claims.acr },
      };
      if (claims.jti) principal.tokenId = claims.jti;
      return principal;
    }
    throw invalidAccessToken();
  }

  async function asPerson(request: FastifyRequest, token: string | undefined): Promise<PersonPrincipal> {
    if (token) {
      if (!verifyIdporten || issuerOf(token) !== idporten?.keys.issuer) {
        // A valid Maskinporten token alone says which organisation, not which integration (FIKS-FACTS §1).
        throw invalidAccessToken();
      }
      const claims = await verifyIdporten(token);
      const person: PersonPrincipal = { kind: 'person', pid: claims.pid, acr: claims.acr };
      if (claims.jti) person.sessionId = claims.jti;
      return person;
    }
    const person = options.sessions ? await options.sessions.authenticate(request) : null;
    if (!person) throw loginRequired();
    return person;
  }

  return {
    async authenticate(request) {
      const token = bearer(request);
      if (header(request, INTEGRATION_ID_HEADER) || header(request, INTEGRATION_PASSWORD_HEADER)) {
        return asIntegration(request, token);
      }
      const person = await asPerson(request, token);
      const actFor = header(request, ACT_FOR_HEADER);
      if (actFor === undefined) return person;
      if (!options.actFor) throw new AuthError(503, 'SERVICE_UNAVAILABLE', 'Altinn er ikke konfigurert');
      return options.actFor.actFor(person, actFor);
    },
  };
}
