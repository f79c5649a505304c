// A refusal answered outside GraphQL (a streaming route's bad input, missing rights, unavailable subgraph): the same
// error body as every other answer, with this request's id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorCode } from './errors.ts';

export function refuse(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  code: ErrorCode,
  message: string,
): FastifyReply {
  return reply.code(status).send(errorBody(code, message, request.id));
}
