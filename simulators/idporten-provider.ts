// The oidc-provider configuration that makes it behave like ID-porten (FIKS-FACTS §3): code flow only, PKCE S256
// required, RS256, pairwise `sub`, `pid`/`acr`/`amr`/`sid` in the id_token, JWT access tokens for one audience,
// refresh tokens for clients registered with that grant type, RP-initiated and front-channel logout.
import { createHash, randomBytes } from 'node:crypto';
import Provider, { errors, interactionPolicy, type ClientMetadata, type Configuration } from 'oidc-provider';
import { ACR, satisfies } from './idporten-acr.ts';
import { frontChannelLogout, logoutSource, postLogoutSuccessSource, renderError } from './idporten-logout.ts';
import type { IdportenClient, ResolvedIdportenOptions } from './idporten-options.ts';
import type { RsaKeyPair } from './keys.ts';

const OIDC_ONLY_SCOPES = new Set(['openid', 'profile']);

function clientMetadata(client: IdportenClient): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    // FIKS-FACTS §3: only clients registered with grant type refresh_token receive refresh tokens.
    grant_types:
      client.refreshTokens === false ? ['authorization_code'] : ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: client.tokenEndpointAuthMethod ?? 'client_secret_basic',
    ...(client.frontchannelLogoutUri ? { frontchannel_logout_uri: client.frontchannelLogoutUri } : {}),
    frontchannel_logout_session_required: client.frontchannelLogoutSessionRequired ?? true,
  };
}

export function createIdportenProvider(
  issuer: string,
  options: ResolvedIdportenOptions,
  key: RsaKeyPair,
): Provider {
  const persons = new Map(options.persons.map((p) => [p.pid, p]));
  const orgnrByClient = new Map(
    options.clients.flatMap((c) => (c.orgnr ? [[c.clientId, c.orgnr] as const] : [])),
  );
  const { lifetimes, audience } = options;
  const pairwiseSalt = randomBytes(32);

  const policy = interactionPolicy.base();
  // ID-porten steps up: a single sign-on session at a lower level than `acr_values` asks for needs a new login.
  policy
    .get('login')
    ?.checks.push(
      new interactionPolicy.Check('acr_values', 'requested level of assurance not met', (ctx) =>
        ctx.oidc.session?.accountId && !satisfies(ctx.oidc.session.acr, ctx.oidc.params?.acr_values)
          ? interactionPolicy.Check.REQUEST_PROMPT
          : interactionPolicy.Check.NO_NEED_TO_PROMPT,
      ),
    );

  const configuration: Configuration = {
    clients: options.clients.map(clientMetadata),
    jwks: { keys: [key.privateJwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    responseTypes: ['code'],
    // FIKS-FACTS §3: PKCE is mandatory, S256 only (oidc-provider 9 implements S256 only).
    pkce: { required: () => true },
    // FIKS-FACTS §3: `sub` is pairwise per client; a fresh salt per start is enough for a stand-in.
    subjectTypes: ['pairwise'],
    pairwiseIdentifier: (_ctx, accountId, client) =>
      createHash('sha256').update(pairwiseSalt).update(client.clientId).update(accountId).digest('base64url'),
    acrValues: Object.values(ACR),
    scopes: [...new Set(['openid', 'profile', ...options.apiScopes])],
    // oidc-provider puts acr in the id_token only when acr_values asked for it, and amr only through the claims
    // parameter; ID-porten always sends both (FIKS-FACTS §3), so they belong to the openid scope here.
    claims: { openid: ['sub', 'pid', 'locale', 'acr', 'amr', 'auth_time'] },
    // ID-porten puts `pid` in the id_token itself, not only behind userinfo.
    conformIdTokenClaims: false,
    findAccount: (_ctx, id) =>
      persons.has(id) ? { accountId: id, claims: () => ({ sub: id, pid: id, locale: 'nb' }) } : undefined,
    ttl: {
      AccessToken: lifetimes.accessToken,
      IdToken: lifetimes.idToken,
      AuthorizationCode: 60,
      Interaction: 600,
      // FIKS-FACTS §3: single sign-on lasts 120 min at most (the 30 min inactivity limit is not modelled).
      Session: 2 * 60 * 60,
      Grant: lifetimes.authorization,
      // Refresh tokens rotate on every use, so the lifetime of each is the inactivity limit, capped by what is
      // left of the authorization lifetime counted from the first token of the chain (`iiat`).
      RefreshToken: (_ctx, token) => {
        const now = Math.floor(Date.now() / 1000);
        const left = lifetimes.authorization - (now - (token.iiat ?? now));
        return Math.max(1, Math.min(lifetimes.refreshToken, left));
      },
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    // FIKS-FACTS §3: logout invalidates tokens whose scopes are only openid/profile; API tokens stay valid.
    expiresWithSession: (_ctx, source) => [...source.scopes].every((s) => OIDC_ONLY_SCOPES.has(s)),
    extraTokenClaims: (ctx, token) => {
      const source = ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.AuthorizationCode;
      const orgnr = token.clientId ? orgnrByClient.get(token.clientId) : undefined;
      // DIGDIR `oidc_protocol_access_token.md`: pid, acr, client_amr and consumer in the JWT access token.
      return {
        ...(token.accountId ? { pid: token.accountId } : {}),
        ...(source?.acr ? { acr: source.acr } : {}),
        ...(ctx.oidc.client ? { client_amr: ctx.oidc.client.clientAuthMethod } : {}),
        ...(orgnr ? { consumer: { authority: 'iso6523-actorid-upis', ID: `0192:${orgnr}` } } : {}),
      };
    },
    extraClientMetadata: { properties: ['frontchannel_logout_uri', 'frontchannel_logout_session_required'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy },
    routes: {
      authorization: '/authorize',
      token: '/token',
      jwks: '/jwks.json',
      end_session: '/logout',
      revocation: '/revoke',
    },
    // FIKS-FACTS §3: the client authentication methods ID-porten accepts.
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    discovery: { frontchannel_logout_supported: true, frontchannel_logout_session_supported: true },
    clientBasedCORS: () => false,
    renderError,
    features: {
      devInteractions: { enabled: false },
      // Every access token is a JWT for the gateway, so there is nothing userinfo could accept.
      userinfo: { enabled: false },
      revocation: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (indicator !== audience) throw new errors.InvalidTarget('unknown resource indicator');
          return {
            scope: options.apiScopes.join(' '),
            audience,
            accessTokenFormat: 'jwt',
            accessTokenTTL: lifetimes.accessToken,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  };

  const provider = new Provider(issuer, configuration);
  // oidc-provider 9 dropped front-channel logout and adds `sid` only for back-channel clients; ID-porten adds it
  // when the client registered frontchannel_logout_session_required (FIKS-FACTS §3), so we decide the same way.
  provider.Client.prototype.includeSid = function includeSid() {
    return this.frontchannel_logout_session_required === true;
  };
  provider.use(frontChannelLogout);
  return provider;
}
