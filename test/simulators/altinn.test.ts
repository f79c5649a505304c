import { importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { AUTHORIZED_PARTIES_SCOPE, startAltinn, type AltinnSimulator } from '../../simulators/altinn.ts';
import { generateRsaKeyPair, type RsaKeyPair } from '../../simulators/keys.ts';
import { startMaskinporten, type MaskinportenSimulator } from '../../simulators/maskinporten.ts';
import { getMaskinportenToken } from '../../common/maskinporten-client.ts';

let maskinporten: MaskinportenSimulator;
let altinn: AltinnSimulator;
let key: RsaKeyPair;
let platformToken: string;

beforeAll(async () => {
  key = await generateRsaKeyPair('RS256');
  maskinporten = await startMaskinporten({
    mode: 'test',
    clients: [
      {
        clientId: 'platform',
        orgnr: '944000003',
        scopes: [AUTHORIZED_PARTIES_SCOPE, 'ks:fiks'],
        publicKeys: [key.publicJwk],
      },
    ],
  });
  altinn = await startAltinn({ mode: 'test', maskinportenIssuer: maskinporten.issuer });
  const token = await getMaskinportenToken({
    issuer: maskinporten.issuer,
    clientId: 'platform',
    privateKey: key.privateJwk,
    scope: AUTHORIZED_PARTIES_SCOPE,
  });
  platformToken = token.access_token;
});

afterAll(async () => {
  await altinn?.stop();
  await maskinporten?.stop();
});

async function parties(pid: string, authorization = `Bearer ${platformToken}`, body?: unknown) {
  const response = await fetch(altinn.authorizedPartiesUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body ?? { type: 'urn:altinn:person:identifier-no', value: pid }),
  });
  return { response, body: await response.json() };
}

describe('simulators / altinn', () => {
  it('lists the vendor with its roles among the parties Liv may act for', async () => {
    const { response, body } = await parties(DEMO_PERSONS.liv.pid);
    expect(response.status).toBe(200);
    expect(body).toEqual([
      expect.objectContaining({ type: 'Person', personId: DEMO_PERSONS.liv.pid, organizationNumber: null }),
      {
        partyUuid: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
        partyId: expect.any(Number) as number,
        name: DEMO_ORGS.vendor.name,
        organizationNumber: DEMO_ORGS.vendor.orgnr,
        parentId: null,
        personId: null,
        dateOfBirth: null,
        type: 'Organization',
        unitType: 'AS',
        isDeleted: false,
        onlyHierarchyElementWithNoAccess: false,
        authorizedAccessPackages: [],
        authorizedResources: [],
        authorizedRoles: ['DAGL', 'A0236'],
        authorizedInstances: [],
        subunits: [],
      },
    ]);
  });

  it('lists only the person herself for Kari and for Ola', async () => {
    for (const person of [DEMO_PERSONS.kari, DEMO_PERSONS.ola]) {
      const { body } = await parties(person.pid);
      expect(body).toEqual([
        expect.objectContaining({
          type: 'Person',
          personId: person.pid,
          name: person.name,
          authorizedRoles: ['PRIV'],
        }),
      ]);
    }
  });

  it('gives a synthetic person a date of birth with the month + 80 removed', async () => {
    const { body } = await parties(DEMO_PERSONS.kari.pid);
    expect(body).toEqual([expect.objectContaining({ dateOfBirth: '1985-03-12' })]);
  });

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const { response } = await parties(DEMO_PERSONS.liv.pid, '');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('answers 401 for a token not signed by Maskinporten', async () => {
    const forger = await generateRsaKeyPair('RS256');
    const forged = await new SignJWT({ scope: AUTHORIZED_PARTIES_SCOPE })
      .setProtectedHeader({ alg: 'RS256', kid: forger.kid })
      .setIssuer(maskinporten.issuer)
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(await importJWK(forger.privateJwk, 'RS256'));
    const { response } = await parties(DEMO_PERSONS.liv.pid, `Bearer ${forged}`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it('answers 403 for a Maskinporten token without the authorized-parties scope', async () => {
    const token = await getMaskinportenToken({
      issuer: maskinporten.issuer,
      clientId: 'platform',
      privateKey: key.privateJwk,
      scope: 'ks:fiks',
    });
    const { response } = await parties(DEMO_PERSONS.liv.pid, `Bearer ${token.access_token}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toContain('insufficient_scope');
  });

  it('refuses a lookup that is not by fødselsnummer', async () => {
    const { response } = await parties('', undefined, { type: 'urn:altinn:organization:uuid', value: 'x' });
    expect(response.status).toBe(400);
  });

  it('refuses to start in production mode', async () => {
    await expect(
      startAltinn({ mode: 'production', maskinportenIssuer: maskinporten.issuer }),
    ).rejects.toThrow(/refuses to start in production/);
  });
});
