import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type TestPlatform } from '../support/platform.ts';

describe('platform / federation', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  it('answers a query spanning all four subgraphs with the seeded data', async () => {
    const response = await platform.graphql(
      `query Overview($orgnr: String!) {
        organization(orgnr: $orgnr) {
          orgnr
          name
          rootResource { type name children { type name } }
          integrations { name global authorizedOrganization { orgnr name } }
          documents { id securityLevel organization { name } }
          auditEvents(limit: 5) { action service }
        }
      }`,
      { orgnr: DEMO_ORGS.fjordvik.orgnr },
      // Fjordvik's administrator may see all of it — of the documents, metadata, not titles (issue #11 item 5) — the
      // level-4 documents with a high login.
      { authorization: `Bearer ${await personAccessToken(platform, DEMO_PERSONS.kari.pid, 'high')}` },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      data: {
        organization: {
          orgnr: '910000004',
          name: 'Fjordvik kommune',
          rootResource: {
            type: 'ORGANISASJON',
            name: 'Fjordvik kommune',
            children: [
              { type: 'DOKUMENTLAGER.KONTO', name: 'Dokumentlager-konto Fjordvik' },
              { type: 'AVDELING', name: 'Oppvekst' },
              { type: 'SVARUT.KONTO', name: 'SvarUt-konto Fjordvik' },
            ],
          },
          integrations: [
            {
              name: 'Saksystem for Fjordvik',
              global: false,
              authorizedOrganization: { orgnr: '933000001', name: 'Saksbehandling Leverandør AS' },
            },
          ],
          documents: [
            {
              id: DEMO_DOCUMENTS.kindergartenDecision,
              securityLevel: 3,
              organization: { name: 'Fjordvik kommune' },
            },
            {
              id: DEMO_DOCUMENTS.buildingPermit,
              securityLevel: 4,
              organization: { name: 'Fjordvik kommune' },
            },
            {
              id: DEMO_DOCUMENTS.caseFile,
              securityLevel: 3,
              organization: { name: 'Fjordvik kommune' },
            },
            {
              id: DEMO_DOCUMENTS.socialAssistance,
              securityLevel: 4,
              organization: { name: 'Fjordvik kommune' },
            },
          ],
          auditEvents: [{ action: 'ADMINISTRATOR_APPOINTED', service: 'organizations' }],
        },
      },
    });
  });

  it('answers null for an organisation that does not exist', async () => {
    const response = await platform.graphql(
      '{ organization(orgnr: "944000003") { name } }',
      {},
      await platform.asIntegration(),
    );
    expect(response.body).toEqual({ data: { organization: null } });
  });

  it('refuses an invalid organisation number as bad user input', async () => {
    const response = await platform.graphql(
      '{ organization(orgnr: "910000005") { name } }',
      {},
      await platform.asIntegration(),
    );
    expect(response.body.data).toEqual({ organization: null });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.requestId).toBe(response.headers.get('x-request-id'));
  });
});
