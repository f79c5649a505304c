// Registering an integration's trusted operations (issue #12) and choosing the mode its calls are held to. Only an
// administrator of the owning organisation may, as for every other change to an integration (manage.ts); each
// change is stored with its audit event in one transaction. The list is replaced whole: a manifest is what a client
// build produces, so the registered list is always one build's, never a mixture.
import { parse } from 'graphql';
import { platformError } from '../../common/errors.ts';
import { checkTrustedLimits, operationId } from '../../common/operation-id.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { managed, NO_ACCESS } from './manage.ts';
import type { IntegrationsStore } from './store.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

/** More than any client build registers; bounds one registration's transaction. */
export const MAX_TRUSTED_OPERATIONS = 1000;

export interface TrustedOperationInput {
  sha256: string;
  body: string;
  name?: string | null;
  limits?: Record<string, number | null> | null;
}

/** The GraphQL enum value → the stored mode. */
const MODES: Record<string, string> = { AUDIT: 'audit', SAFELIST: 'safelist', ID_ONLY: 'id-only' };
export const MODE_ENUM: Record<string, string> = Object.fromEntries(
  Object.entries(MODES).map(([k, v]) => [v, k]),
);

function checked(input: TrustedOperationInput, index: number) {
  const at = `operations[${index}]`;
  // The manifest must not lie: an id is the SHA-256 of its body, or the registration is refused whole.
  if (operationId(input.body) !== input.sha256) {
    throw platformError('BAD_USER_INPUT', `${at}.sha256 is not the SHA-256 (lower-case hex) of its body.`);
  }
  try {
    parse(input.body, { noLocation: true });
  } catch {
    throw platformError('BAD_USER_INPUT', `${at}.body is not a GraphQL document.`);
  }
  const limits = checkTrustedLimits(input.limits);
  if (typeof limits === 'string') throw platformError('BAD_USER_INPUT', `${at}.${limits}.`);
  const name = input.name?.trim() || null;
  return {
    sha256: input.sha256,
    body: input.body,
    name,
    limits: Object.keys(limits).length > 0 ? limits : null,
  };
}

export async function registerTrustedOperations(
  ctx: Ctx,
  integrationId: string,
  inputs: readonly TrustedOperationInput[],
) {
  if (inputs.length > MAX_TRUSTED_OPERATIONS) {
    throw platformError('BAD_USER_INPUT', `At most ${MAX_TRUSTED_OPERATIONS} operations may be registered.`);
  }
  const operations = inputs.map(checked);
  if (new Set(operations.map((o) => o.sha256)).size !== operations.length) {
    throw platformError('BAD_USER_INPUT', 'Each operation may be registered once.');
  }
  const integration = await managed(ctx.store, ctx.principal, integrationId);
  const version = await ctx.store.write(ctx.audit, async (tx, audit) => {
    const bumped = await tx.replaceTrustedOperations(integration.id, operations);
    if (bumped === null) throw platformError('FORBIDDEN', NO_ACCESS);
    // The ids say what was registered; the bodies are in the integration's list, not in the log.
    await audit.record({
      orgnr: integration.ownerOrgnr,
      action: 'INTEGRATION_OPERATIONS_REGISTERED',
      payload: {
        integrationId: integration.id,
        name: integration.name,
        version: bumped,
        count: operations.length,
        operations: operations.map((o) => o.sha256),
      },
    });
    return bumped;
  });
  return { ...integration, operationsVersion: version };
}

export async function setOperationsMode(ctx: Ctx, id: string, modeValue: string) {
  const mode = MODES[modeValue];
  if (!mode) throw platformError('BAD_USER_INPUT', 'mode must be AUDIT, SAFELIST or ID_ONLY.');
  const integration = await managed(ctx.store, ctx.principal, id);
  await ctx.store.write(ctx.audit, async (tx, audit) => {
    if (!(await tx.setOperationsMode(integration.id, mode))) throw platformError('FORBIDDEN', NO_ACCESS);
    await audit.record({
      orgnr: integration.ownerOrgnr,
      action: 'INTEGRATION_OPERATIONS_MODE_CHANGED',
      payload: {
        integrationId: integration.id,
        name: integration.name,
        from: integration.operationsMode,
        to: mode,
      },
    });
  });
  return { ...integration, operationsMode: mode };
}
