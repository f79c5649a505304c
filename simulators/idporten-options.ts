// Options of the ID-porten stand-in, with ID-porten's own defaults (FIKS-FACTS §3), resolved once at start.
import { DEMO_PERSONS } from '../common/demo-identities.ts';
import type { SimulatorMode } from './production-guard.ts';

/** A relying party, registered as in Digdir self-service (FIKS-FACTS §3, DIGDIR `oidc_func_clientreg.md`). */
export interface IdportenClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Where ID-porten sends the front-channel logout GET (with `iss` and `sid`). */
  frontchannelLogoutUri?: string;
  /** ID-porten puts `sid` in the id_token only when this is registered. @default true */
  frontchannelLogoutSessionRequired?: boolean;
  /** @default 'client_secret_basic' */
  tokenEndpointAuthMethod?: 'client_secret_basic' | 'client_secret_post';
  /** Register grant type `refresh_token`; only such clients get refresh tokens. @default true */
  refreshTokens?: boolean;
  /** The client owner's organisation number; access tokens then carry it as `consumer`, as ID-porten's do. */
  orgnr?: string;
}

/** A person the test-login page offers (TestID lets the tester pick a synthetic identity). */
export interface IdportenPerson {
  pid: string;
  name: string;
}

/** Lifetimes in seconds. */
export interface IdportenLifetimes {
  /** @default 120 (ID-porten `access_token_lifetime`) */
  accessToken?: number;
  /** @default 120 (the id_token example in DIGDIR `oidc_guide_idporten.md`) */
  idToken?: number;
  /** Inactivity limit: each refresh rotates the token and restarts it. @default 600 (`refresh_token_lifetime`) */
  refreshToken?: number;
  /** Hard limit on a chain of refreshes from one login. @default 7200 (`authorization_lifetime`) */
  authorization?: number;
}

export interface IdportenOptions {
  /** The stand-in refuses 'production'. */
  mode?: SimulatorMode;
  /** Port on 127.0.0.1; 0 picks a free one. @default 0 */
  port?: number;
  clients?: IdportenClient[];
  /** Resource indicator and `aud` of every access token: the gateway. @default 'http://127.0.0.1:4000' */
  audience?: string;
  /** Scopes an access token for the audience may carry. @default ['openid', 'profile', 'ks:fiks'] */
  apiScopes?: string[];
  /** @default every person in DEMO_PERSONS */
  persons?: IdportenPerson[];
  lifetimes?: IdportenLifetimes;
}

export interface ResolvedIdportenOptions {
  port: number;
  clients: IdportenClient[];
  audience: string;
  apiScopes: string[];
  persons: IdportenPerson[];
  lifetimes: Required<IdportenLifetimes>;
}

export function resolveIdportenOptions(options: IdportenOptions): ResolvedIdportenOptions {
  const lifetimes = {
    accessToken: options.lifetimes?.accessToken ?? 120,
    idToken: options.lifetimes?.idToken ?? 120,
    refreshToken: options.lifetimes?.refreshToken ?? 600,
    authorization: options.lifetimes?.authorization ?? 7200,
  };
  for (const [name, seconds] of Object.entries(lifetimes)) {
    if (!Number.isInteger(seconds) || seconds < 1)
      throw new TypeError(`lifetimes.${name} must be a positive integer`);
  }
  const audience = options.audience ?? 'http://127.0.0.1:4000';
  if (!URL.canParse(audience)) throw new TypeError('audience must be an absolute URI (RFC 8707 §2)');
  return {
    port: options.port ?? 0,
    clients: options.clients ?? [],
    audience,
    apiScopes: options.apiScopes ?? ['openid', 'profile', 'ks:fiks'],
    persons: options.persons ?? Object.values(DEMO_PERSONS).map(({ pid, name }) => ({ pid, name })),
    lifetimes,
  };
}
