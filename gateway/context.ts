import type { Principal } from '../access/principal.ts';
import type { FastifyBaseLogger } from 'fastify';
import type { TrustedOperationLimits } from '../common/operation-id.ts';
import type { IntegrationOperationsStanding } from './auth/integration-credentials.ts';

/** What the gateway knows about one request once its caller is authenticated. */
export interface GatewayContext {
  requestId: string;
  principal: Principal;
  log: FastifyBaseLogger;
  /** An integration's trusted-operations mode and list version, from its credential check. */
  integrationOperations?: IntegrationOperationsStanding;
  /** Set by gateway/trusted-operations/ when the request runs a registered operation: its own limits, if any. */
  trustedOperation?: {
    id: string;
    limits: TrustedOperationLimits | null;
    soleOperationName: string | null | undefined;
  };
}
