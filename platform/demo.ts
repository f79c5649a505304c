// Development only: gives the demo integration a fresh password at every start and gathers what a person needs to
// call the gateway as that integration (printed by `npm start`, written to data/demo/ for `npm run demo:integration`).
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { JWK } from 'jose';
import { generatePassword, hashPassword } from '../access/passwords.ts';
import { DEMO_INTEGRATIONS } from '../common/demo-identities.ts';
import { getMaskinportenToken } from '../common/maskinporten-client.ts';
import type { IntegrationsStore } from '../subgraphs/integrations/store.ts';
import type { RunningPlatform } from './start.ts';

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

function simulatorsOf(platform: RunningPlatform) {
  if (!platform.simulators) throw new Error('the platform runs without its local stand-ins');
  return platform.simulators;
}

/** A Maskinporten token for the demo vendor's case system (scope ks:fiks, consumer = the vendor). */
export async function maskinportenToken(platform: RunningPlatform): Promise<string> {
  const { maskinporten, demoClients } = simulatorsOf(platform);
  const token = await getMaskinportenToken({
    issuer: maskinporten.issuer,
    tokenEndpoint: maskinporten.tokenEndpoint,
    clientId: demoClients.integration.clientId,
    privateKey: demoClients.integration.privateJwk,
    scope: 'ks:fiks',
  });
  return token.access_token;
}

/** The three headers of an integration call (FIKS-FACTS §1). */
export async function integrationHeaders(
  platform: RunningPlatform,
  overrides: { id?: string; password?: string; token?: string } = {},
): Promise<Record<string, string>> {
  const demo = platform.demoIntegration;
  if (!demo) throw new Error('the platform runs without the demo integration');
  return {
    authorization: `Bearer ${overrides.token ?? (await maskinportenToken(platform))}`,
    IntegrasjonId: overrides.id ?? demo.id,
    IntegrasjonPassord: overrides.password ?? demo.password,
  };
}
