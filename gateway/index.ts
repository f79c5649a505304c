// The one place that assembles the gateway from configuration: the caller-token signer, the identity parts (browser
// login with sessions, acting for an organisation through Altinn), the authenticator, the security events of the
// audit log (gateway/audit/), the request-time plugins (gateway/plugins/), Apollo Gateway and the HTTP server. Entry points call buildGateway and nothing else of the
// gateway; what differs between them (ports known only after listening, a signer the in-process subgraphs already
// trust) is passed in, never stitched outside.
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../common/logger.ts';
import type { SubgraphName } from '../common/subgraph-names.ts';
import type { Db } from '../db/database.ts';
import { SUPERGRAPH_FILE } from '../schema/supergraph-file.ts';
import { createGatewayApollo } from './apollo.ts';
import { auditedAuthenticator } from './audit/authentication-audit.ts';
import { createSecurityEvents, type SecurityEvents } from './audit/security-events.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { integrationCredentials } from '../access/integration-credentials.ts';
import { createCredentialCache } from './auth/credential-cache.ts';
import { keepCredentialsFresh } from './auth/credential-freshness.ts';
import { createIntegrationCheck } from './auth/integration-credentials.ts';
import { discoverIssuerKeys } from './auth/issuer-keys.ts';
import { registerAuditExport } from './audit-export.ts';
import { createCallerTokenSigner, type CallerTokenSigner } from './caller-token-signer.ts';
import { registerDocumentContent } from './document-content.ts';
import { buildIdentityParts } from './identity.ts';
import { readinessChecks } from './readiness.ts';
import { readSubgraphTls } from './subgraph-tls.ts';
import { gatewayParseOptions, gatewayPlugins } from './plugins/index.ts';
import { createGatewayServer } from './server.ts';
import { personKeySecret } from './rate-limit/subject.ts';
import { isHttps, type Config } from '../common/config.ts';
import { createTrustedOperations } from './trusted-operations/index.ts';

export interface GatewayParts {
  db: Db;
  /** Where the subgraphs listen, when that is known only at run time. @default config.subgraphUrls */
  subgraphUrls?: Record<SubgraphName, string>;
  /** A signer made earlier, when subgraphs in the same process must trust its keys before the gateway exists.
   * @default createGatewaySigner(config) */
  signer?: CallerTokenSigner;
  /** The URL persons reach the gateway at, when it is known only after listening. @default config.gateway.publicUrl */
  publicUrl?: string;
  /** A server that already listens (common/listen.ts); the returned app is then ready, not listening itself. */
  server?: Server;
}

export interface Gateway {
  app: FastifyInstance;
  signer: CallerTokenSigner;
  /** Logins, failed authentications and refusals for the audit log; closing the app writes what is counted. */
  securityEvents: SecurityEvents;
}

/** The caller-token signer the configuration asks for (production has required CALLER_SIGNING_KEY already). */
export function createGatewaySigner(config: Config): Promise<CallerTokenSigner> {
  return createCallerTokenSigner({
    signingKey: config.callerToken.signingKey,
    ttlSeconds: config.callerToken.ttlSeconds,
  });
}

export async function buildGateway(config: Config, logger: Logger, parts: GatewayParts): Promise<Gateway> {
  const signer = parts.signer ?? (await createGatewaySigner(config));
  const securityEvents = createSecurityEvents(parts.db, logger, config.securityEvents);
  const publicUrl = parts.publicUrl ?? config.gateway.publicUrl;
  const identity = await buildIdentityParts(config, parts.db, publicUrl, securityEvents);
  const { idporten, maskinporten } = config;
  const discovery = { requireHttps: config.mode === 'production' };
  // Integrations' credentials off the hot path: kept while every change is heard, forgotten at each change.
  const credentials = createCredentialCache((id) => integrationCredentials(parts.db, id), {
    maxAgeMs: config.integrationAuth.credentialsMaxAgeMs,
  });
  const freshness = keepCredentialsFresh(parts.db, credentials, logger);
  await freshness.settled;
  const authenticator = createAuthenticator({
    idporten: idporten.issuer
      ? {
          keys: discoverIssuerKeys(idporten.issuer, 'openid-configuration', discovery),
          audience: idporten.audience,
          acrMinimum: idporten.acrMinimum,
        }
      : undefined,
    maskinporten: maskinporten.issuer
      ? {
          keys: discoverIssuerKeys(maskinporten.issuer, 'oauth-authorization-server', discovery),
          scope: maskinporten.scope,
        }
      : undefined,
    integrations: createIntegrationCheck(parts.db, {
      ...config.integrationAuth,
      lookup: (id) => credentials.get(id),
    }),
    sessions: identity.sessions,
    actFor: identity.actFor,
    loginUrl: identity.sessions?.loginUrl,
  });
  // The checked-in supergraph, never one fetched from elsewhere: planning and the rule walk read the same file.
  const supergraphSdl = readFileSync(SUPERGRAPH_FILE, 'utf8');
  const subgraphUrls = parts.subgraphUrls ?? config.subgraphUrls;
  // Every call to a subgraph — GraphQL, streamed content, readiness — speaks the same TLS.
  const subgraphCalls = { ...config.subgraphCalls, tls: readSubgraphTls(config.subgraphCalls) };
  // Trusted operations first: an operation not trusted is refused before it is even parsed.
  const trusted = createTrustedOperations(config, parts.db, logger);
  const apollo = await createGatewayApollo({
    subgraphUrls,
    subgraphCalls,
    supergraphSdl,
    signer,
    logger,
    persistedQueries: trusted.persistedQueries,
    documentStore: trusted.documentStore,
    queryPlanCache: trusted.queryPlanCache,
    // This gateway's own change to an integration stops the next call at once, notification or not.
    afterMutation: { integrations: () => credentials.clear() },
    plugins: [
      trusted.plugin,
      ...gatewayPlugins(config, {
        db: parts.db,
        supergraphSdl,
        loginUrl: identity.sessions?.loginUrl,
        securityEvents,
      }),
    ],
    parseOptions: gatewayParseOptions(config),
  });
  const { sessions } = identity;
  const app = await createGatewayServer({
    apollo,
    authenticator: auditedAuthenticator(authenticator, securityEvents),
    signer,
    logger,
    maxBodyBytes: config.maxBodyBytes,
    trustProxy: config.gateway.trustProxy,
    readiness: {
      checks: [...readinessChecks(parts.db, subgraphUrls, subgraphCalls.tls), freshness.readiness],
      timeoutMs: config.readinessTimeoutMs,
    },
    registerRoutes: async (a) => {
      await sessions?.register(a);
      trusted.register(a);
      registerAuditExport(a, { auditUrl: subgraphUrls.audit, signer, calls: subgraphCalls });
      registerDocumentContent(a, {
        documentsUrl: subgraphUrls.documents,
        signer,
        calls: subgraphCalls,
        maxBytes: config.documentMaxBytes,
        loginUrl: sessions?.loginUrl,
      });
    },
    server: parts.server,
    rateLimit: {
      settings: config.rateLimit,
      personKeySecret: personKeySecret(config.session.encryptionKey),
    },
    https: config.gateway.tls !== undefined || isHttps(publicUrl),
    corsOrigins: config.gateway.corsOrigins,
  });
  // What is counted and not yet written is written as the gateway shuts down.
  app.addHook('onClose', () => securityEvents.close());
  app.addHook('onClose', () => freshness.close());
  return { app, signer, securityEvents };
}
