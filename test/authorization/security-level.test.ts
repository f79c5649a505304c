// Security level 4 means a high login (issue #9 item 7), through the whole platform: level-3 and level-4 documents,
// asked for by id by persons at substantial and high logins who are exposed to them, administer them or neither, and
// by an integration alone and on a person's behalf. A caller who would see the document after a stronger login gets
// INSUFFICIENT_AUTHENTICATION_LEVEL with where to log in; one who would not gets null, as for a document that does
// not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DOCUMENTS, DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { loginWithTestId } from '../../simulators/idporten-browser.ts';
import { browserLogin, integrationHeaders, personAccessToken } from '../support/identity.ts';
import { startTestPlatform, type GraphQLResponse, type TestPlatform } from '../support/platform.ts';

type Level = 'substantial' | 'high';
type Answer = 'sees' | 'stepUp' | 'hidden';
const D = DEMO_DOCUMENTS;
const LEVEL: Record<string, 3 | 4> = {
  [D.kindergartenDecision]: 3,
  [D.socialAssistance]: 4,
  [D.buildingPermit]: 4,
  [D.caseFile]: 3,
  [D.invoice]: 3,
};
const FJORDVIK = [D.kindergartenDecision, D.socialAssistance, D.buildingPermit, D.caseFile];

interface Caller {
  name: string;
  headers: (platform: TestPlatform) => Promise<Record<string, string>>;
  /** Exposed to them, or held by an organisation they administer. */
  exposed: string[];
  /** The strongest level the login meets. */
  meets: 3 | 4;
}

const bearer = (pid: string, level: Level) => async (platform: TestPlatform) => ({
  authorization: `Bearer ${await personAccessToken(platform, pid, level)}`,
});

const CALLERS: Caller[] = (['substantial', 'high'] as const).flatMap((level): Caller[] => {
  const meets = level === 'high' ? 4 : 3;
  return [
    {
      name: `Ola (citizen) at ${level}`,
      headers: bearer(DEMO_PERSONS.ola.pid, level),
      exposed: [D.kindergartenDecision, D.socialAssistance, D.invoice],
      meets,
    },
    {
      name: `Kari (Fjordvik admin) at ${level}`,
      headers: bearer(DEMO_PERSONS.kari.pid, level),
      exposed: FJORDVIK,
      meets,
    },
    {
      name: `Per (not exposed) at ${level}`,
      headers: bearer(DEMO_PERSONS.per.pid, level),
      exposed: [],
      meets,
    },
    {
      name: `the case system for Ola at ${level}`,
      headers: async (platform) =>
        integrationHeaders(platform, {
          token: await personAccessToken(platform, DEMO_PERSONS.ola.pid, level),
        }),
      exposed: [D.buildingPermit, D.caseFile],
      meets,
    },
  ];
});
// Maskinporten alone: Fiks lets an integration read level-4 documents exposed to it (FIKS-FACTS §6).
CALLERS.push({
  name: 'the case system alone',
  headers: (platform) => integrationHeaders(platform),
  exposed: [D.buildingPermit, D.caseFile],
  meets: 4,
});

function expected(caller: Caller, id: string): Answer {
  if (!caller.exposed.includes(id)) return 'hidden';
  return LEVEL[id]! <= caller.meets ? 'sees' : 'stepUp';
}

// Metadata only: the administrator sees a document's metadata, never its title (issue #11 item 5; the matrix checks
// who sees the title). The security level decides both alike.
const DOCUMENT = `query Document($id: ID!) { document(id: $id) { id securityLevel } }`;

function answerOf(response: GraphQLResponse): Answer | 'other' {
  const errors = response.body.errors ?? [];
  const document = response.body.data?.document as { id: string } | null | undefined;
  if (errors.length === 0 && document) return 'sees';
  if (errors.length === 0 && document === null) return 'hidden';
  if (errors.length === 1 && document === null) {
    const [error] = errors;
    if (error?.extensions?.code === 'INSUFFICIENT_AUTHENTICATION_LEVEL') return 'stepUp';
  }
  return 'other';
}

describe('documents / security level', () => {
  let platform: TestPlatform;
  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(() => platform.stop());

  for (const caller of CALLERS) {
    it(`answers ${caller.name} for level-3 and level-4 documents by whether the login meets the level`, async () => {
      const headers = await caller.headers(platform);
      for (const id of Object.keys(LEVEL)) {
        const response = await platform.graphql(DOCUMENT, { id }, headers);
        const want = expected(caller, id);
        expect(answerOf(response), `${caller.name} → ${id}: ${JSON.stringify(response.body)}`).toBe(want);
        if (want === 'sees')
          expect(response.body.data?.document).toMatchObject({ id, securityLevel: LEVEL[id] });
        if (want === 'stepUp') {
          const error = response.body.errors![0]!;
          expect(error.path).toEqual(['document']);
          expect(error.extensions).toEqual({
            code: 'INSUFFICIENT_AUTHENTICATION_LEVEL',
            requiredAcr: 'idporten-loa-high',
            loginUrl: `${platform.gatewayUrl}/auth/login?acr=idporten-loa-high`,
            requestId: response.headers.get('x-request-id'),
          });
        }
      }
    });
  }

  it('lists for an administrator only the documents the login meets, and all of them after a high login', async () => {
    const query = `{ organization(orgnr: "${DEMO_ORGS.fjordvik.orgnr}") { documents { id } } }`;
    const listed = async (level: Level) => {
      const response = await platform.graphql(
        query,
        {},
        await bearer(DEMO_PERSONS.kari.pid, level)(platform),
      );
      expect(response.body.errors).toBeUndefined();
      const { documents } = response.body.data?.organization as { documents: { id: string }[] };
      return documents.map((d) => d.id).sort();
    };
    expect(await listed('substantial')).toEqual(FJORDVIK.filter((id) => LEVEL[id] === 3).sort());
    expect(await listed('high')).toEqual([...FJORDVIK].sort());
  });

  it('steps a browser session up through the login URL the error names, and then shows the document', async () => {
    const { cookie, browser } = await browserLogin(platform, DEMO_PERSONS.ola.pid, 'substantial');
    const refused = await platform.graphql(DOCUMENT, { id: D.socialAssistance }, { cookie });
    expect(answerOf(refused)).toBe('stepUp');
    const loginUrl = new URL(refused.body.errors![0]!.extensions!.loginUrl as string);
    const start = await browser.request(loginUrl);
    expect(start.status).toBe(303);
    const authorization = new URL(start.headers.get('location')!);
    expect(authorization.searchParams.get('acr_values')).toBe('idporten-loa-high');
    const callback = await loginWithTestId(
      authorization,
      { pid: DEMO_PERSONS.ola.pid, level: 'high' },
      browser,
    );
    const landed = await browser.request(callback);
    const session = landed.headers.getSetCookie().find((line) => line.startsWith('fiks_session='));
    expect(session).toBeDefined();
    const stepped = await platform.graphql(
      DOCUMENT,
      { id: D.socialAssistance },
      { cookie: session!.split(';')[0]! },
    );
    expect(answerOf(stepped)).toBe('sees');
  });
});
