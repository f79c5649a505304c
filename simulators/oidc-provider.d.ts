// oidc-provider 9 ships no type declarations and @types/oidc-provider covers older majors only. These are the
// parts of its API the ID-porten stand-in uses, typed from the library's source (lib/provider.js,
// lib/helpers/defaults.js, lib/models/*.js); everything not listed here is deliberately unreachable from our code.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  import type { JWK } from 'jose';

  export type UnknownObject = Record<string, unknown>;
  /** oidc-provider awaits every helper, so a helper may answer directly or with a promise. */
  export type Awaitable<T> = T | Promise<T>;

  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    [key: string]: unknown;
  }

  /** A registered client. Recognised metadata is camel-cased; extraClientMetadata keeps its snake_case name. */
  export interface Client {
    clientId: string;
    clientAuthMethod: string;
    grantTypeAllowed(type: string): boolean;
    includeSid(): boolean;
    frontchannel_logout_uri?: string;
    frontchannel_logout_session_required?: boolean;
  }

  export interface ClientStatic {
    find(id: string): Promise<Client | undefined>;
    prototype: Client;
  }

  export interface Session {
    accountId?: string;
    acr?: string;
    amr?: string[];
    destroyed?: boolean;
    authorizations?: Record<string, { sid?: string; grantId?: string }>;
    sidFor(clientId: string): string | undefined;
  }

  /** The source of a token at the token endpoint: an authorization code or a refresh token. */
  export interface GrantSource {
    acr?: string;
    amr?: string[];
    scopes: Set<string>;
  }

  export interface Token {
    accountId?: string;
    clientId?: string;
    iiat?: number;
    iat?: number;
  }

  export interface OIDCContext {
    route: string;
    issuer: string;
    client?: Client;
    session?: Session;
    params?: UnknownObject;
    entities: { AuthorizationCode?: GrantSource; RefreshToken?: GrantSource; Client?: Client };
    provider: Provider;
  }

  /** The koa context oidc-provider hands to helpers and middleware. */
  export interface KoaContextWithOIDC {
    oidc: OIDCContext;
    method: string;
    path: string;
    host: string;
    status: number;
    type: string;
    body: unknown;
    response: { get(field: string): string };
    set(field: string, value: string): void;
    remove(field: string): void;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface Interaction {
    uid: string;
    prompt: { name: string; reasons: string[]; details: UnknownObject };
    params: UnknownObject;
    session?: { accountId: string };
    grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; acr?: string; amr?: string[]; remember?: boolean; ts?: number };
    consent?: { grantId: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantStatic {
    new (init: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): UnknownObject | Promise<UnknownObject>;
  }

  export interface ResourceServer {
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg: string } };
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    clientDefaults?: UnknownObject;
    jwks?: { keys: JWK[] };
    cookies?: { keys?: string[] };
    findAccount?: (ctx: KoaContextWithOIDC, id: string, token?: Token) => Awaitable<Account | undefined>;
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    acrValues?: string[];
    responseTypes?: string[];
    subjectTypes?: string[];
    pairwiseIdentifier?: (ctx: KoaContextWithOIDC, accountId: string, client: Client) => Awaitable<string>;
    conformIdTokenClaims?: boolean;
    pkce?: { required: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    routes?: Record<string, string>;
    ttl?: Record<string, number | ((ctx: KoaContextWithOIDC, token: Token, client: Client) => number)>;
    interactions?: { url: (ctx: KoaContextWithOIDC, interaction: Interaction) => string; policy?: unknown };
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, source: GrantSource) => Awaitable<boolean>;
    rotateRefreshToken?: (ctx: KoaContextWithOIDC) => boolean;
    expiresWithSession?: (ctx: KoaContextWithOIDC, source: GrantSource) => Awaitable<boolean>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: Token) => Awaitable<UnknownObject | undefined>;
    extraClientMetadata?: {
      properties: string[];
      validator?: (ctx: KoaContextWithOIDC | undefined, key: string, value: unknown) => void;
    };
    clientBasedCORS?: () => boolean;
    clientAuthMethods?: string[];
    /** Extra members of the discovery document. */
    discovery?: UnknownObject;
    renderError?: (ctx: KoaContextWithOIDC, out: UnknownObject, error: Error) => Awaitable<void>;
    features?: {
      devInteractions?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      revocation?: { enabled: boolean };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Awaitable<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Awaitable<void>;
      };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (
          ctx: KoaContextWithOIDC,
          client: Client,
          oneOf?: string[],
        ) => Awaitable<string | undefined>;
        useGrantedResource?: () => Awaitable<boolean>;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          indicator: string,
          client: Client,
        ) => Awaitable<ResourceServer>;
      };
    };
  }

  export class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Client: ClientStatic;
    readonly Grant: GrantStatic;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: Middleware): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: unknown[]) => void): this;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      error: string;
      error_description?: string;
      status: number;
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class SessionNotFound extends OIDCProviderError {}
  }

  export namespace interactionPolicy {
    class Check {
      static REQUEST_PROMPT: true;
      static NO_NEED_TO_PROMPT: false;
      constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => boolean);
    }
    interface Prompt {
      name: string;
      checks: Check[];
    }
    interface Policy extends Array<Prompt> {
      get(name: string): Prompt | undefined;
    }
    function base(): Policy;
  }

  export default Provider;
}
