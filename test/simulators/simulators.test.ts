import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_INTEGRATIONS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { startSimulators, SimulatorRefusedError, type Simulators } from '../../simulators/index.ts';
import { getMaskinportenToken } from '../../common/maskinporten-client.ts';

let simulators: Simulators;

beforeAll(async () => {
  simulators = await startSimulators({ mode: 'development' });
});

afterAll(async () => {
  await simulators?.stop();
});

describe('simulators / all', () => {
  it('starts ID-porten, Maskinporten and Altinn on 127.0.0.1', () => {
    for (const url of [simulators.idporten.issuer, simulators.maskinporten.issuer, simulators.altinn.url]) {
      expect(new URL(url).hostname).toBe('127.0.0.1');
    }
  });

  it('lets the demo integration client get a ks:fiks token with the vendor as consumer', async () => {
    const { integration } = simulators.demoClients;
    const token = await getMaskinportenToken({
      issuer: simulators.maskinporten.issuer,
      clientId: integration.clientId,
      privateKey: integration.privateJwk,
      scope: 'ks:fiks',
    });
    expect(decodeJwt(token.access_token).consumer).toEqual({
      authority: 'iso6523-actorid-upis',
      ID: `0192:${DEMO_INTEGRATIONS.fjordvikCaseSystem.authorized}`,
    });
  });

  it("lets the demo platform client read a person's parties from Altinn", async () => {
    const { platform } = simulators.demoClients;
    const token = await getMaskinportenToken({
      issuer: simulators.maskinporten.issuer,
      clientId: platform.clientId,
      privateKey: platform.privateJwk,
      scope: platform.scopes,
    });
    const response = await fetch(simulators.altinn.authorizedPartiesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token.access_token}` },
      body: JSON.stringify({ type: 'urn:altinn:person:identifier-no', value: DEMO_PERSONS.liv.pid }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toHaveLength(2);
  });

  it('refuses to start in production mode', async () => {
    await expect(startSimulators({ mode: 'production' })).rejects.toBeInstanceOf(SimulatorRefusedError);
  });
});
