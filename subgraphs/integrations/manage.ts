// Managing integrations: creation, password rotation, enabling. Only an administrator of the owning organisation
// may; a caller who may not and an integration that does not exist get the same answer. Each change is a security
// event: it is stored with its audit event in one transaction (never the password, which is shown once and then
// exists only as a hash).
import { actorOf } from '../../access/privileges.ts';
import { generatePassword, hashPassword } from '../../access/passwords.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditEventInput } from '../runtime/audit.ts';
import type { SubgraphContext } from '../runtime/types.ts';
import { platformError } from '../../common/errors.ts';
import { isUuid, isValidOrgnr } from '../../common/identifiers.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';

type Ctx = SubgraphContext<IntegrationsStore>;

export const NO_ACCESS = 'Integrasjonen finnes ikke, eller du har ikke tilgang til den.';

async function requireAdministrator(
  store: IntegrationsStore,
  principal: Principal,
  orgnr: string,
): Promise<void> {
  const actor = actorOf(principal);
  // Persons administer; an integration never manages integrations.
  if (!actor || actor.type !== 'PERSON' || !(await store.administers(actor, orgnr))) {
    throw platformError('FORBIDDEN', NO_ACCESS);
  }
}

export async function managed(
  store: IntegrationsStore,
  principal: Principal,
  id: string,
): Promise<IntegrationRow> {
  const integration = isUuid(id) ? await store.integration(id) : null;
  if (!integration) throw platformError('FORBIDDEN', NO_ACCESS);
  await requireAdministrator(store, principal, integration.ownerOrgnr);
  return integration;
}

export interface CreateIntegrationInput {
  ownerOrgnr: string;
  authorizedOrgnr: string;
  name: string;
  description?: string | null;
}

function integrationEvent(action: string, integration: IntegrationRow): AuditEventInput {
  return {
    orgnr: integration.ownerOrgnr,
    action,
    payload: {
      integrationId: integration.id,
      name: integration.name,
      authorizedOrgnr: integration.authorizedOrgnr,
    },
  };
}

export async function createIntegration(ctx: Ctx, input: CreateIntegrationInput) {
  const { store, principal } = ctx;
  if (!isValidOrgnr(input.ownerOrgnr) || !isValidOrgnr(input.authorizedOrgnr)) {
    throw platformError(
      'BAD_USER_INPUT',
      'ownerOrgnr and authorizedOrgnr must be valid organisation numbers.',
    );
  }
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200)
    throw platformError('BAD_USER_INPUT', 'name must be 1–200 characters.');
  await requireAdministrator(store, principal, input.ownerOrgnr);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  const integration = await store.write(ctx.audit, async (tx, audit) => {
    const created = await tx.create({
      name,
      description: input.description ?? null,
      ownerOrgnr: input.ownerOrgnr,
      authorizedOrgnr: input.authorizedOrgnr,
      passwordHash,
    });
    await audit.record(integrationEvent('INTEGRATION_CREATED', created));
    return created;
  });
  return { integration, password };
}

export async function rotatePassword(ctx: Ctx, id: string) {
  const integration = await managed(ctx.store, ctx.principal, id);
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  await ctx.store.write(ctx.audit, async (tx, audit) => {
    if (!(await tx.setPasswordHash(integration.id, passwordHash)))
      throw platformError('FORBIDDEN', NO_ACCESS);
    await audit.record(integrationEvent('INTEGRATION_PASSWORD_ROTATED', integration));
  });
  return { integration, password };
}

export async function setEnabled(ctx: Ctx, id: string, enabled: boolean) {
  const integration = await managed(ctx.store, ctx.principal, id);
  await ctx.store.write(ctx.audit, async (tx, audit) => {
    if (!(await tx.setEnabled(integration.id, enabled))) throw platformError('FORBIDDEN', NO_ACCESS);
    await audit.record(
      integrationEvent(enabled ? 'INTEGRATION_ENABLED' : 'INTEGRATION_DISABLED', integration),
    );
  });
  return { ...integration, enabled };
}
