// No fødselsnummer, token or password in any log line: a full browser login, person and integration calls, a
// password rotation and a few refusals are run with logging at its most verbose, and every line is searched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PERSONS } from '../../common/demo-identities.ts';
import {
  browserLogin,
  integrationHeaders,
  maskinportenToken,
  personAccessToken,
} from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

describe('logs / personal data and secrets', () => {
  let platform: TestPlatform;
  const secrets: string[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform({ LOG_LEVEL: 'trace' });
  });
  afterAll(() => platform.stop());

  it('logs no fødselsnummer, token or password through a full login and integration calls', async () => {
    // A browser login through the gateway, then a query with the session cookie.
    const { cookie } = await browserLogin(platform, DEMO_PERSONS.ola.pid);
    secrets.push(cookie.split('=')[1]!);
    const viaSession = await platform.graphql('{ me { pid } }', {}, { cookie });
    expect(viaSession.body.data).toEqual({ me: { pid: DEMO_PERSONS.ola.pid } });

    // A person with a Bearer token, acting for an organisation.
    const personToken = await personAccessToken(platform, DEMO_PERSONS.liv.pid);
    secrets.push(personToken);
    await platform.graphql(
      '{ me { pid } }',
      {},
      { authorization: `Bearer ${personToken}`, 'fiks-act-for': '933000001' },
    );

    // The integration, right and wrong.
    const mpToken = await maskinportenToken(platform);
    secrets.push(mpToken, platform.demoIntegration!.password);
    await platform.graphql(
      '{ me { integrationId } }',
      {},
      await integrationHeaders(platform, { token: mpToken }),
    );
    await platform.graphql(
      '{ me { integrationId } }',
      {},
      await integrationHeaders(platform, { token: mpToken, password: 'wrong-password-0123456789abcdefgh' }),
    );
    secrets.push('wrong-password-0123456789abcdefgh');

    // A password rotation, whose answer holds a new password.
    const admin = `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid)}`;
    const rotated = await platform.graphql(
      'mutation($id: ID!) { rotateIntegrationPassword(id: $id) { password } }',
      { id: platform.demoIntegration!.id },
      { authorization: admin },
    );
    secrets.push((rotated.body.data?.rotateIntegrationPassword as { password: string }).password);
    // A query with a fødselsnummer in its variables and one in its text.
    await platform.graphql(
      'query($x: String!) { organization(orgnr: $x) { name } }',
      { x: DEMO_PERSONS.per.pid },
      { authorization: admin },
    );

    const logs = platform.logs.join('');
    expect(platform.logs.length).toBeGreaterThan(20);
    for (const person of Object.values(DEMO_PERSONS)) expect(logs).not.toContain(person.pid);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    // No JWT of any kind.
    expect(logs).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./);
  });
});
