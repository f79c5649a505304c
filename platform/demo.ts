// Development only: gives the demo integration a fresh password at every start and gathers what a person needs to
// call the gateway as that integration (printed by `npm start`, written to data/demo/ for `npm run demo:integration`).
// Tests and the bench get the same credentials through test/support/identity.ts.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JWK } from 'jose';
import { generatePassword, hashPassword } from '../access/passwords.ts';
import { DEMO_INTEGRATIONS } from '../common/demo-identities.ts';
import type { IntegrationsStore } from '../subgraphs/integrations/store.ts';

/** Where `npm start` leaves the demo integration's credentials for `npm run demo:integration`: beside the
 * embedded database, in the local data folder (./data/demo/integration.json by default). */
export function demoCredentialsFile(pgliteDir: string): string {
  return join(dirname(pgliteDir), 'demo', 'integration.json');
}

export interface DemoIntegrationCredentials {
  gatewayUrl: string;
  integrationId: string;
  password: string;
  maskinporten: { issuer: string; clientId: string; privateJwk: JWK; scope: string };
}

export async function provisionDemoIntegration(
  store: IntegrationsStore,
): Promise<{ id: string; password: string }> {
  const id = DEMO_INTEGRATIONS.fjordvikCaseSystem.id;
  const password = generatePassword();
  await store.setPasswordHash(id, await hashPassword(password));
  return { id, password };
}

/** Writes the demo credentials readable by the owner only; data/ is never committed. */
export async function writeDemoCredentials(
  file: string,
  credentials: DemoIntegrationCredentials,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
