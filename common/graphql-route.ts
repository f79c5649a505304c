// Mounts an Apollo Server on a fastify route (GET and POST). Written here rather than taken from
// @as-integrations/fastify so that errors Apollo answers before execution (no operation, GET mutation, ...) get the
// request id too, like every other error.
import { Readable } from 'node:stream';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

type ContextFunction<C> = (request: FastifyRequest, reply: FastifyReply) => Promise<C>;

const POST_BODY_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    query: { type: 'string' },
    operationName: { type: ['string', 'null'] },
    variables: { type: ['object', 'null'] },
    extensions: { type: ['object', 'null'] },
    // GraphQL over HTTP's persisted documents (Hive Gateway, graphql-codegen): the id of a trusted operation.
    documentId: { type: 'string' },
  },
} as const;

export function mountGraphQL<C extends BaseContext>(
  app: FastifyInstance,
  apollo: ApolloServer<C>,
  context: ContextFunction<C>,
  path = '/graphql',
): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const queryAt = request.url.indexOf('?');
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: {
        method: request.method,
        headers,
        body: request.body,
        search: queryAt === -1 ? '' : request.url.slice(queryAt),
      },
      context: () => context(request, reply),
    });
    for (const [key, value] of response.headers) void reply.header(key, value);
    const status = response.status ?? 200;
    void reply.code(status);
    if (response.body.kind === 'complete') {
      return status >= 400 ? withRequestId(response.body.string, request.id) : response.body.string;
    }
    return reply.send(Readable.from(response.body.asyncIterator));
  };
  app.get(path, handler);
  app.post(path, { schema: { body: POST_BODY_SCHEMA } }, handler);
}

function withRequestId(body: string, requestId: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(parsed.errors)) return body;
    for (const error of parsed.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}
