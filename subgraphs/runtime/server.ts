// Builds one subgraph's HTTP server: the caller-token check at the door, Apollo Server with the subgraph schema,
// errors shaped like the gateway's. The same factory serves all four subgraphs.
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import type { TLSSocket } from 'node:tls';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { HttpsServerOptions } from '../../common/http-server.ts';
import type { Principal } from '../../access/principal.ts';
import { errorBody } from '../../common/errors.ts';
import { errorLoggingPlugin } from '../../common/error-logging.ts';
import { formatError, requestIdPlugin } from '../../common/graphql-errors.ts';
import { mountGraphQL } from '../../common/graphql-route.ts';
import { createHttpServer } from '../../common/http-server.ts';
import { databaseCheck, registerReadiness, type ReadinessCheck } from '../../common/readiness.ts';
import type { Logger } from '../../common/logger.ts';
import { CALLER_TOKEN_REPLAYED, CALLER_TOKENS_BUSY, type CallerVerifier } from './caller-verifier.ts';
import type { Queryable } from '../../db/database.ts';
import { inputCheckPlugin } from './input-check.ts';
import { applyPermissions } from './shield.ts';
import { createAccessChecker } from '../../access/access-checker.ts';
import { createAuditLog } from './audit.ts';
import { createGroupCommitter } from '../../auditlog/group-commit.ts';
import { assertOwned, personalFields, type PersonalFields } from './personal-data.ts';
import { personalDataAuditPlugin } from './personal-data-audit.ts';
import { PersonalDataReads } from './personal-data-reads.ts';
import { refusalAuditPlugin } from './refusal-audit.ts';
import type { SubgraphContext, SubgraphModule } from './types.ts';

export interface SubgraphServerOptions<Store> {
  module: SubgraphModule<Store>;
  store: Store;
  /** The store one caller's resolvers use; the shared store unless the subgraph has row-level security. */
  storeFor?: (principal: Principal) => Store;
  /** Where the privilege store is asked and audit events are written (the shared database). */
  db: Queryable;
  verifier: CallerVerifier;
  logger: Logger;
  maxBodyBytes: number;
  /** How long /readyz waits for the database. */
  readinessTimeoutMs: number;
  /** Serve HTTPS with this certificate and key (SUBGRAPH_TLS_CERT_FILE); undefined: plain HTTP. With
   * `requestCert`, the door refuses every request but /healthz and /readyz whose client certificate did not verify
   * against `ca` (SUBGRAPH_CLIENT_CA_FILE). */
  https?: HttpsServerOptions;
  /** What /readyz asks besides the database (the module's background work). */
  readinessChecks?: readonly ReadinessCheck[];
  /** Bench only (bench/audit.ts), never configuration: serve without the read audit (the plugin and the legal-basis
   * rule), so the bench can price them. No entry point sets it; there is no setting that switches auditing off.
   * @default false */
  benchWithoutReadAudit?: boolean;
  /** What the module's `open` opened, for its routes. */
  resources?: unknown;
}

/** The only routes without a caller token: they say whether the subgraph lives and can serve, nothing more. */
const OPEN_ROUTES = new Set(['/healthz', '/readyz']);

declare module 'fastify' {
  interface FastifyRequest {
    /** From the verified caller token. */
    principal?: Principal;
  }
}

export async function createSubgraphServer<Store>(
  options: SubgraphServerOptions<Store>,
): Promise<FastifyInstance> {
  const { module, store, verifier, logger } = options;
  const app = createHttpServer({ logger, maxBodyBytes: options.maxBodyBytes, https: options.https });

  const schema = buildSubgraphSchema({
    typeDefs: module.typeDefs,
    resolvers: module.resolvers as GraphQLResolverMap<unknown>,
  });
  // With no marked fields there is no legal-basis rule (shield.ts); the audit plugin is left out below.
  const personal: PersonalFields = options.benchWithoutReadAudit ? new Map() : personalFields(schema);
  const owners = module.personalData ?? {};
  assertOwned(personal, owners, module.name);
  // One group committer per server: concurrent requests' audit events share one statement and one commit.
  const appender = createGroupCommitter(options.db);

  const apollo = new ApolloServer<SubgraphContext<Store>>({
    schema: applyPermissions(schema, module.permissions, personal),
    formatError,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false,
    // Subgraphs answer only the gateway; traces would leak timing and field internals to it for no use.
    plugins: [
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      inputCheckPlugin(),
      ...(options.benchWithoutReadAudit ? [] : [personalDataAuditPlugin(personal)]),
      requestIdPlugin(),
      errorLoggingPlugin(),
      refusalAuditPlugin({ service: module.name, db: options.db, appender }),
    ],
    csrfPrevention: false,
    logger: logger.child({ component: 'apollo' }),
  });
  await apollo.start();
  app.addHook('onClose', () => apollo.stop());

  app.get('/healthz', () => ({ status: 'ok', subgraph: module.name }));
  registerReadiness(
    app,
    [databaseCheck(options.db), ...(options.readinessChecks ?? [])],
    options.readinessTimeoutMs,
  );

  // The door: nothing below runs for a request without a valid caller token for this subgraph — nor, when client
  // certificates are asked for, without one the configured authorities signed (checked first: no token is read
  // from a connection that is not the gateway's).
  const clientCertificates = options.https?.requestCert === true;
  app.addHook('onRequest', async (request, reply) => {
    if (OPEN_ROUTES.has(request.routeOptions.url ?? '')) return;
    if (clientCertificates && (request.raw.socket as TLSSocket).authorized !== true) {
      request.log.warn('client certificate missing or not from the configured authorities: refused');
      return reply
        .code(401)
        .send(errorBody('UNAUTHENTICATED', 'A valid client certificate is required.', request.id));
    }
    const caller = await verifier.verify(request.headers.authorization);
    if (caller === CALLER_TOKENS_BUSY) {
      // Fail closed: a token that cannot be remembered could be replayed unseen. The gateway relays this as
      // unavailable; it passes as the tokens it holds expire.
      request.log.warn('caller tokens: replay guard full, refusing');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send(errorBody('SERVICE_UNAVAILABLE', 'The service is busy; try again shortly.', request.id));
    }
    if (caller === CALLER_TOKEN_REPLAYED) request.log.warn('caller token replayed: refused');
    if (caller === null || caller === CALLER_TOKEN_REPLAYED) {
      return reply
        .code(401)
        .send(errorBody('UNAUTHENTICATED', 'A valid caller token from the gateway is required.', request.id));
    }
    request.principal = caller.principal;
    // From here on this request is the gateway's request: its errors, its x-request-id and its log lines carry the
    // signed request id, so an operator follows one id from the gateway into every subgraph.
    request.id = caller.requestId;
    void reply.header('x-request-id', caller.requestId);
    request.log = request.log.child({ reqId: caller.requestId });
  });

  const contextFor = (request: FastifyRequest): SubgraphContext<Store> => {
    // The gateway's request id: the door above replaced fastify's own with the one signed into the caller token.
    const requestId = request.id;
    const principal = request.principal!;
    const access = createAccessChecker(options.db, principal, { withLegalBasis: true });
    return {
      requestId,
      principal,
      access,
      store: options.storeFor ? options.storeFor(principal) : store,
      audit: createAuditLog(options.db, { service: module.name, principal, requestId }, appender),
      personalData: new PersonalDataReads(owners, principal, access),
      log: request.log,
    };
  };
  mountGraphQL(app, apollo, (request) => Promise.resolve(contextFor(request)));
  module.routes?.(app, contextFor, options.resources);
  return app;
}
