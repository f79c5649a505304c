// How the gateway calls a subgraph: with a caller token for that call (the principal and the request id, signed
// for that subgraph), over undici's Pool with a connect timeout and a deadline (subgraph-http.ts). A subgraph that is
// down, too slow, or answers with anything but a GraphQL response is "unavailable, try again" to the caller
// (SERVICE_UNAVAILABLE); the log line names the subgraph and what failed.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { Kind, OperationTypeNode, parse, type DocumentNode, type GraphQLError } from 'graphql';
import { platformError } from '../common/errors.ts';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import type { GatewayContext } from './context.ts';
import { SubgraphCallError, type SubgraphFailure, type SubgraphFetch } from './subgraph-http.ts';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;
type Received = Parameters<NonNullable<RemoteGraphQLDataSource['didReceiveResponse']>>[0];
type GatewayGraphQLResponse = Received['response'];

/** What the caller is told; which subgraph and why stay in the log. */
export const SUBGRAPH_UNAVAILABLE_MESSAGE = 'En tjeneste svarer ikke nå. Prøv igjen senere.';

/** The cause kept on the error for the log: which subgraph, what failed, and the HTTP status if there was one. */
export class SubgraphUnavailableError extends Error {
  override name = 'SubgraphUnavailableError';
  constructor(
    readonly subgraph: string,
    readonly failure: SubgraphFailure,
    readonly httpStatus: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(`subgraph ${subgraph}: ${failure}`, options);
  }
}

export function subgraphUnavailable(
  subgraph: string,
  failure: SubgraphFailure,
  options: { status?: number; cause?: unknown } = {},
): GraphQLError {
  const cause = new SubgraphUnavailableError(subgraph, failure, options.status, { cause: options.cause });
  return platformError('SERVICE_UNAVAILABLE', SUBGRAPH_UNAVAILABLE_MESSAGE, cause);
}

/** GraphQL spec §7.1 (Response Format): a response is a map with `data` and/or a list of `errors`. */
function isGraphQLResponse(response: GatewayGraphQLResponse): boolean {
  const { data, errors } = response as { data?: unknown; errors?: unknown };
  const dataOk = data === null || (typeof data === 'object' && !Array.isArray(data));
  return (data !== undefined && dataOk) || (data === undefined && Array.isArray(errors));
}

/** Whether the subgraph fetch is (part of) a mutation: the query planner sends a mutation's root fields as one. */
function isMutation(document: DocumentNode | undefined, query: string | undefined): boolean {
  const parsed = document ?? (query === undefined ? undefined : parse(query));
  return (
    parsed?.definitions.some(
      (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === OperationTypeNode.MUTATION,
    ) ?? false
  );
}

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly signer: CallerTokenSigner,
    fetcher: SubgraphFetch,
    /** Called once a mutation sent to this subgraph has been answered or has failed — it may have committed either
     * way — and before the gateway answers its caller. */
    private readonly afterMutation?: () => void,
  ) {
    super({ url, fetcher: fetcher as unknown as Fetcher });
  }

  override async process(options: GraphQLDataSourceProcessOptions<GatewayContext>) {
    try {
      return await super.process(options);
    } finally {
      if (
        this.afterMutation &&
        // Only a caller's operation (not a health check or schema load) carries its request context.
        'incomingRequestContext' in options &&
        isMutation(options.document, options.request.query)
      )
        this.afterMutation();
    }
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    // Without a verified principal there is nothing to vouch for: refuse rather than call the subgraph.
    const gatewayContext = context as Partial<GatewayContext> | undefined;
    if (!gatewayContext?.principal || !gatewayContext.requestId)
      throw new Error('no principal for subgraph request');
    const token = this.signer.tokenFor(gatewayContext.principal, this.subgraph, gatewayContext.requestId);
    request.http?.headers.set('authorization', `Bearer ${token}`);
  }

  /** A 200 whose body is JSON but no GraphQL response would otherwise read as "no data" and pass silently. */
  override didReceiveResponse({ response }: Received): GatewayGraphQLResponse {
    if (!isGraphQLResponse(response)) throw subgraphUnavailable(this.subgraph, 'bad body');
    return response;
  }

  /** Every failure of the call itself: no answer, a non-2xx status, or a body that is not JSON. */
  override didEncounterError(
    error: Error,
    _request: unknown,
    response?: { ok: boolean; status: number },
  ): never {
    if (error instanceof SubgraphCallError) {
      throw subgraphUnavailable(this.subgraph, error.failure, { cause: error.cause });
    }
    const failure = response && !response.ok ? 'bad status' : 'bad body';
    throw subgraphUnavailable(this.subgraph, failure, { status: response?.status, cause: error });
  }
}
