// Managing integrations: creation, password rotation, enabling. Only an administrator of the owning organisation
// may; a caller who may not and an integration that does not exist get the same answer.
import { actorOf } from '../../access/privileges.ts';
import { generatePassword, hashPassword } from '../../access/passwords.ts';
import type { Principal } from '../../access/principal.ts';
import { platformError } from '../../common/errors.ts';
import { isValidOrgnr } from '../../common/identifiers.ts';
import type { IntegrationRow, IntegrationsStore } from './store.ts';

const NO_ACCESS = 'Integrasjonen finnes ikke, eller du har ikke tilgang til den.';

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

async function managed(store: IntegrationsStore, principal: Principal, id: string): Promise<IntegrationRow> {
  const integration = /^[0-9a-f-]{36}$/i.test(id) ? await store.integration(id) : null;
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

export async function createIntegration(
  store: IntegrationsStore,
  principal: Principal,
  input: CreateIntegrationInput,
) {
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
  const integration = await store.create({
    name,
    description: input.description ?? null,
    ownerOrgnr: input.ownerOrgnr,
    authorizedOrgnr: input.authorizedOrgnr,
    passwordHash: await hashPassword(password),
  });
  return { integration, password };
}

export async function rotatePassword(store: IntegrationsStore, principal: Principal, id: string) {
  const integration = await managed(store, principal, id);
  const password = generatePassword();
  await store.setPasswordHash(integration.id, await hashPassword(password));
  return { integration, password };
}

export async function setEnabled(
  store: IntegrationsStore,
  principal: Principal,
  id: string,
  enabled: boolean,
) {
  const integration = await managed(store, principal, id);
  await store.setEnabled(integration.id, enabled);
  return { ...integration, enabled };
}
