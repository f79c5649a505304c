// How the gateway calls a subgraph: with a caller token for that call (the principal and the request id, signed
// for that subgraph), over Node's own fetch (undici, keep-alive) instead of the default make-fetch-happen, which
// caches and is slower.
import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import type { CallerTokenSigner } from './caller-token-signer.ts';
import type { GatewayContext } from './context.ts';

type Fetcher = NonNullable<NonNullable<ConstructorParameters<typeof RemoteGraphQLDataSource>[0]>['fetcher']>;

export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    readonly subgraph: string,
    url: string,
    private readonly signer: CallerTokenSigner,
  ) {
    super({ url, fetcher: fetch as unknown as Fetcher });
  }

  override willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>) {
    // Without a verified principal there is nothing to vouch for: refuse rather than call the subgraph.
    const gatewayContext = context as Partial<GatewayContext> | undefined;
    if (!gatewayContext?.principal || !gatewayContext.requestId)
      throw new Error('no principal for subgraph request');
    const token = this.signer.tokenFor(gatewayContext.principal, this.subgraph, gatewayContext.requestId);
    request.http?.headers.set('authorization', `Bearer ${token}`);
  }
}
