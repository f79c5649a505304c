import type { Principal } from '../access/principal.ts';
import type { FastifyBaseLogger } from 'fastify';

/** What the gateway knows about one request once its caller is authenticated. */
export interface GatewayContext {
  requestId: string;
  principal: Principal;
  log: FastifyBaseLogger;
}
