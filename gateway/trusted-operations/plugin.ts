// The request-time half, in two steps. A fastify preHandler on /graphql (after authentication: gateway/server.ts sets
// the principal in onRequest) reads how the request names its operation — Apollo's extension, `documentId` in the
// body or on the query string — decides with the caller's mode (resolve.ts), and refuses with Apollo Router's status
// and code, the request id and `cache-control: no-store`, before Apollo sees the request. An Apollo plugin then
// rewrites an admitted request to run the registered operation by id (see apq-cache.ts for why by id).
//
// Why not all in the Apollo plugin: Apollo Server turns an error thrown in requestDidStart into a 500, and its
// first hook that may refuse with a status (didResolveOperation) runs after parsing and validation — too late for
// an operation that is not trusted. Why not all in the preHandler: GET and POST carry the query apart, and Apollo
// has made them one request object by the time a plugin runs.
import type { ApolloServerPlugin } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../../common/errors.ts';
import { operationId } from '../../common/operation-id.ts';
import type { GatewayContext } from '../context.ts';
import type { TrustedTexts } from './apq-cache.ts';
import type { GlobalList } from './global-list.ts';
import type { IntegrationLists } from './integration-lists.ts';
import { mergeLists, type OperationList, type TrustedOperation } from './operation-list.ts';
import { isOperationsMode, resolveOperation, type NamedOperation, type OperationsMode } from './resolve.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The registered operation this request runs, when it runs one (gateway/trusted-operations/). */
    trustedOperation?: TrustedOperation;
  }
}

export interface TrustedOperationsOptions {
  global: GlobalList;
  integrations: IntegrationLists;
  texts: TrustedTexts;
  /** The mode for persons (OPERATIONS_PERSON_MODE). */
  personMode: OperationsMode;
}

/** The id and text a GraphQL-over-HTTP request carries, from a POST body or a GET query string. */
function namedOperation(request: FastifyRequest): NamedOperation {
  const params = (request.method === 'GET' ? request.query : request.body) as
    Record<string, unknown> | undefined;
  let extensions = params?.extensions;
  if (typeof extensions === 'string') {
    try {
      extensions = JSON.parse(extensions) as unknown;
    } catch {
      extensions = undefined; // Apollo answers the malformed parameter itself.
    }
  }
  const persisted = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  const id = persisted?.sha256Hash ?? params?.documentId;
  const text = typeof params?.query === 'string' && params.query.length > 0 ? params.query : undefined;
  // Anything but a string is no registered id; it is answered as an unknown one.
  return {
    id: id === undefined || id === null ? undefined : typeof id === 'string' ? id : JSON.stringify(id),
    text,
  };
}

export function registerTrustedOperations(app: FastifyInstance, options: TrustedOperationsOptions): void {
  async function listFor(request: FastifyRequest): Promise<{ mode: OperationsMode; list: OperationList }> {
    const global = options.global.current();
    const principal = request.gatewayPrincipal;
    if (principal?.kind !== 'integration') return { mode: options.personMode, list: global };
    const standing = request.integrationOperations;
    // Fail closed: an integration whose standing is unknown is held to the safelist.
    const mode = isOperationsMode(standing?.mode) ? standing.mode : 'safelist';
    const own = await options.integrations.list(principal.integrationId, standing?.version ?? 0);
    return { mode, list: mergeLists(global, own) };
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.url !== '/graphql' || !request.gatewayPrincipal) return;
    const named = namedOperation(request);
    let lists;
    try {
      lists = await listFor(request);
    } catch (error) {
      // Fail closed, but say it is us: the integration's list could not be read.
      request.log.warn({ err: error }, 'trusted operations unavailable');
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(errorBody('SERVICE_UNAVAILABLE', 'Betrodde operasjoner kan ikke leses nå.', request.id));
    }
    const { mode, list } = lists;
    const resolution = resolveOperation(named, mode, list);
    switch (resolution.kind) {
      case 'refused':
        request.log.info({ code: resolution.code, mode }, 'operation refused: not trusted');
        return reply
          .code(resolution.status)
          .header('cache-control', 'no-store')
          .send(errorBody(resolution.code, resolution.message, request.id));
      case 'unregistered':
        // Audit mode: the hash says which text ran; never the text, which may hold personal data.
        request.log.info({ operationHash: operationId(named.text!), mode }, 'unregistered operation ran');
        return;
      case 'trusted':
        options.texts.admit(resolution.operation.id, resolution.operation.body);
        request.trustedOperation = resolution.operation;
        return;
      case 'none':
        return;
    }
  });
}

/** Runs an admitted operation by its id; strips a persisted-query extension from anything else. */
export function trustedOperationsPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    requestDidStart({ request, contextValue }) {
      const operation = contextValue.trustedOperation;
      if (!operation) {
        // Never reached with an id (the preHandler refused it), kept so APQ can never register text here.
        if (request.extensions?.persistedQuery) delete request.extensions.persistedQuery;
        return Promise.resolve();
      }
      request.query = undefined;
      request.extensions = {
        ...request.extensions,
        persistedQuery: { version: 1, sha256Hash: operation.id },
      };
      // With one operation in the document its name adds nothing but a hash to the plan cache's key.
      if (
        operation.soleOperationName !== undefined &&
        (request.operationName == null || request.operationName === operation.soleOperationName)
      ) {
        delete request.operationName;
      }
      return Promise.resolve();
    },
  };
}
