import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PersonPrincipal } from '../../access/principal.ts';
import { DEMO_ORGS, DEMO_PERSONS } from '../../common/demo-identities.ts';
import { createActFor, type AltinnOptions } from '../../gateway/altinn/index.ts';
import { AuthError } from '../../gateway/auth/auth-error.ts';
import { startSimulators, type Simulators } from '../../simulators/index.ts';

let sims: Simulators;
let clock: number;

beforeAll(async () => {
  sims = await startSimulators({ mode: 'development' });
});

afterAll(async () => {
  await sims?.stop();
});

beforeEach(() => {
  clock = Date.now();
});

function person(who: keyof typeof DEMO_PERSONS): PersonPrincipal {
  return { kind: 'person', pid: DEMO_PERSONS[who].pid, acr: 'idporten-loa-substantial', sessionId: 's-1' };
}

function urlOf(input: Parameters<typeof fetch>[0]): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

/** A fetch that counts calls to Maskinporten's token endpoint and to Altinn, and may answer for Altinn. */
function counting(altinnAnswer?: (call: number) => Response | undefined) {
  const calls = { token: 0, altinn: 0, all: 0 };
  const counted: typeof fetch = (input, init) => {
    const url = urlOf(input);
    calls.all++;
    if (url === sims.maskinporten.tokenEndpoint) calls.token++;
    if (url.startsWith(sims.altinn.url)) {
      calls.altinn++;
      const answer = altinnAnswer?.(calls.altinn);
      if (answer) return Promise.resolve(answer);
    }
    return fetch(input, init);
  };
  return { calls, fetch: counted };
}

function options(overrides: Partial<AltinnOptions> = {}): AltinnOptions {
  return {
    url: sims.altinn.url,
    maskinporten: {
      issuer: sims.maskinporten.issuer,
      tokenEndpoint: sims.maskinporten.tokenEndpoint,
      clientId: sims.demoClients.platform.clientId,
      privateKey: sims.demoClients.platform.privateJwk,
    },
    now: () => clock,
    ...overrides,
  };
}

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AuthError);
  return error as AuthError;
}

/** Every message in the cause chain, to check that none of them names the person. */
function messages(error: unknown): string {
  const parts: string[] = [];
  for (let e = error; e instanceof Error; e = e.cause) parts.push(e.message, String(e.stack));
  return parts.join('\n');
}

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('gateway / altinn act-for', () => {
  it('lets Liv act for the vendor, with her roles there sorted', async () => {
    const liv = person('liv');
    const acting = await createActFor(options()).actFor(liv, DEMO_ORGS.vendor.orgnr);
    expect(acting).toEqual({
      ...liv,
      actingFor: { orgnr: DEMO_ORGS.vendor.orgnr, roles: ['A0236', 'DAGL'] },
    });
    expect(liv.actingFor).toBeUndefined();
  });

  it('refuses Kari acting for the vendor', async () => {
    const error = await refusal(createActFor(options()).actFor(person('kari'), DEMO_ORGS.vendor.orgnr));
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect(error.message).toContain(DEMO_ORGS.vendor.orgnr);
    expect(messages(error)).not.toContain(DEMO_PERSONS.kari.pid);
  });

  it('refuses Ola acting for Fjordvik', async () => {
    const error = await refusal(createActFor(options()).actFor(person('ola'), DEMO_ORGS.fjordvik.orgnr));
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('refuses Liv acting for an organisation other than the one she holds roles for', async () => {
    const error = await refusal(createActFor(options()).actFor(person('liv'), DEMO_ORGS.fjordvik.orgnr));
    expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('fails closed with SERVICE_UNAVAILABLE when Altinn is unreachable, without naming the person', async () => {
    const actFor = createActFor(options({ url: 'http://127.0.0.1:9' }));
    const error = await refusal(actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr));
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(error.message).toContain(DEMO_ORGS.vendor.orgnr);
    expect(messages(error)).not.toContain(DEMO_PERSONS.liv.pid);
  });

  it('fails closed with SERVICE_UNAVAILABLE when Maskinporten is unreachable', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(
      options({
        fetch,
        maskinporten: {
          issuer: 'http://127.0.0.1:9/',
          clientId: sims.demoClients.platform.clientId,
          privateKey: sims.demoClients.platform.privateJwk,
        },
      }),
    );
    const error = await refusal(actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr));
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(calls.altinn).toBe(0);
  });

  it('reuses one Maskinporten token across calls', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(options({ fetch }));
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    await expect(actFor.actFor(person('kari'), DEMO_ORGS.vendor.orgnr)).rejects.toThrow(AuthError);
    await expect(actFor.actFor(person('ola'), DEMO_ORGS.fjordvik.orgnr)).rejects.toThrow(AuthError);
    expect(calls).toMatchObject({ token: 1, altinn: 3 });
  });

  it('asks Maskinporten once for concurrent first calls', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(options({ fetch }));
    const outcomes = await Promise.allSettled([
      actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr),
      actFor.actFor(person('kari'), DEMO_ORGS.vendor.orgnr),
      actFor.actFor(person('per'), DEMO_ORGS.vendor.orgnr),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(calls.token).toBe(1);
  });

  it('refuses a malformed organisation number without asking Maskinporten or Altinn', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(options({ fetch }));
    // A bad check digit, too short, not digits, and text that must not reach a message.
    for (const orgnr of ['933000002', '93300000', '93300000x', '', '933000001\nFORGED']) {
      const error = await refusal(actFor.actFor(person('liv'), orgnr));
      expect(error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect(error.message).not.toContain('FORGED');
    }
    expect(calls.all).toBe(0);
  });

  it('reuses a person’s parties within cacheSeconds and asks Altinn again after', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(options({ fetch, cacheSeconds: 60 }));
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    clock += 59_000;
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    // Switching organisation within the window uses the same answer, including "no role there".
    await expect(actFor.actFor(person('liv'), DEMO_ORGS.fjordvik.orgnr)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    expect(calls.altinn).toBe(1);
    clock += 1_001;
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    expect(calls.altinn).toBe(2);
  });

  it('asks Altinn every time when cacheSeconds is 0', async () => {
    const { calls, fetch } = counting();
    const actFor = createActFor(options({ fetch, cacheSeconds: 0 }));
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    await actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    expect(calls.altinn).toBe(2);
  });

  it('fetches a new Maskinporten token once when Altinn answers 401', async () => {
    const { calls, fetch } = counting((n) => (n === 1 ? new Response(null, { status: 401 }) : undefined));
    const acting = await createActFor(options({ fetch })).actFor(person('liv'), DEMO_ORGS.vendor.orgnr);
    expect(acting.actingFor?.orgnr).toBe(DEMO_ORGS.vendor.orgnr);
    expect(calls).toMatchObject({ token: 2, altinn: 2 });
  });

  it('gives up after one new token when Altinn keeps answering 401', async () => {
    const { calls, fetch } = counting(() => new Response(null, { status: 401 }));
    const error = await refusal(
      createActFor(options({ fetch })).actFor(person('liv'), DEMO_ORGS.vendor.orgnr),
    );
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    expect(calls).toMatchObject({ token: 2, altinn: 2 });
  });

  it('fails closed on an answer of unknown shape, and does not cache the failure', async () => {
    const answers: Response[] = [
      json({ parties: [] }),
      json([{ organizationNumber: DEMO_ORGS.vendor.orgnr, authorizedRoles: 'DAGL', isDeleted: false }]),
      new Response(`not json ${DEMO_PERSONS.liv.pid}`, { status: 200 }),
      json({ title: 'Internal Server Error' }, 500),
    ];
    const { calls, fetch } = counting((n) => answers[n - 1]);
    const actFor = createActFor(options({ fetch }));
    for (let i = 0; i < answers.length; i++) {
      const error = await refusal(actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr));
      expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      expect(messages(error)).not.toContain(DEMO_PERSONS.liv.pid);
    }
    // The stand-in answers the fifth call: the failures above were not cached.
    await expect(actFor.actFor(person('liv'), DEMO_ORGS.vendor.orgnr)).resolves.toMatchObject({
      actingFor: { orgnr: DEMO_ORGS.vendor.orgnr },
    });
    expect(calls.altinn).toBe(5);
  });

  it('finds a subunit among the parties and refuses a deleted organisation', async () => {
    const subunit = '974760673';
    const deleted = DEMO_ORGS.heiberg.orgnr;
    const answer = [
      {
        organizationNumber: null,
        personId: DEMO_PERSONS.liv.pid,
        isDeleted: false,
        authorizedRoles: ['PRIV'],
      },
      {
        organizationNumber: DEMO_ORGS.fjordvik.orgnr,
        isDeleted: false,
        onlyHierarchyElementWithNoAccess: true,
        authorizedRoles: [],
        subunits: [{ organizationNumber: subunit, isDeleted: false, authorizedRoles: ['A0236', 'A0236'] }],
      },
      { organizationNumber: deleted, isDeleted: true, authorizedRoles: ['DAGL'] },
    ];
    const { fetch } = counting(() => json(answer));
    const actFor = createActFor(options({ fetch }));
    await expect(actFor.actFor(person('liv'), subunit)).resolves.toMatchObject({
      actingFor: { orgnr: subunit, roles: ['A0236'] },
    });
    for (const orgnr of [DEMO_ORGS.fjordvik.orgnr, deleted]) {
      await expect(actFor.actFor(person('liv'), orgnr)).rejects.toMatchObject({
        status: 403,
        code: 'FORBIDDEN',
      });
    }
  });
});
