// #9 item 3, piece by piece with a pinned clock and a counting password hash: the limit on concurrent checks, the
// back-off per (id, address), and the integration check that combines them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuthError } from '../../gateway/auth/auth-error.ts';
import { createFailureBackoff } from '../../gateway/auth/failure-backoff.ts';
import { createIntegrationCheck } from '../../gateway/auth/integration-credentials.ts';
import { createPasswordCheckLimit } from '../../gateway/auth/password-check-limit.ts';

const ID = '6f1c2b3a-0000-4000-8000-000000000001';
const UNKNOWN = '6f1c2b3a-0000-4000-8000-0000000000ff';
const ORGNR = '933000001';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('gateway / password check limit', () => {
  it('runs the bound at once, queues the next in order and refuses beyond the queue with AUTHENTICATION_BUSY', async () => {
    const limit = createPasswordCheckLimit({ concurrent: 2, queued: 1 });
    const gates = [deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((gate, i) =>
      limit.run(async () => {
        started.push(i);
        await gate.promise;
        return i;
      }),
    );
    await Promise.resolve();
    expect(started).toEqual([0, 1]);
    expect(limit.load).toEqual({ running: 2, waiting: 1 });
    const refused = await limit.run(() => Promise.resolve('never')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AuthError);
    expect(refused).toMatchObject({ status: 503, code: 'AUTHENTICATION_BUSY', retryAfterSeconds: 1 });
    gates[1]!.resolve();
    expect(await runs[1]).toBe(1);
    expect(started).toEqual([0, 1, 2]);
    gates[0]!.resolve();
    gates[2]!.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(limit.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a check that throws', async () => {
    const limit = createPasswordCheckLimit({ concurrent: 1, queued: 0 });
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limit.run(() => Promise.resolve('ok'))).toBe('ok');
  });
});

describe('gateway / failure back-off', () => {
  const options = { failuresBeforeBackoff: 3, initialMs: 1000, maxMs: 8000, windowMs: 60_000 };

  it('blocks after N failures, doubling with each further failure up to the cap, and per (id, address)', () => {
    let now = 0;
    const backoff = createFailureBackoff({ ...options, now: () => now });
    const key = [ID, '10.0.0.1'];
    for (let i = 0; i < 2; i += 1) backoff.recordFailure(key);
    expect(backoff.blocked(key)).toBe(false);
    const blockedFor: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      backoff.recordFailure(key);
      const from = now;
      while (backoff.blocked(key)) now += 250;
      blockedFor.push(now - from);
    }
    expect(blockedFor).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
    backoff.recordFailure(key);
    expect(backoff.blocked(key)).toBe(true);
    expect(backoff.blocked([ID, '10.0.0.2'])).toBe(false);
    expect(backoff.blocked([UNKNOWN, '10.0.0.1'])).toBe(false);
  });

  it('forgets failures at a success and after the window', () => {
    let now = 0;
    const backoff = createFailureBackoff({ ...options, now: () => now });
    const key = [ID, '10.0.0.1'];
    for (let i = 0; i < 3; i += 1) backoff.recordFailure(key);
    expect(backoff.blocked(key)).toBe(true);
    backoff.recordSuccess(key);
    expect(backoff.blocked(key)).toBe(false);
    for (let i = 0; i < 2; i += 1) backoff.recordFailure(key);
    now += options.windowMs;
    backoff.recordFailure(key);
    expect(backoff.blocked(key)).toBe(false);
  });

  it('never blocks before N failures in the window, nor longer than the cap after the last failure', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('fail' as const), fc.integer({ min: 1, max: 20_000 }))),
        (steps) => {
          let now = 0;
          const backoff = createFailureBackoff({ ...options, now: () => now });
          const key = [ID, '10.0.0.1'];
          let lastFailure = -Infinity;
          let streak = 0;
          for (const step of steps) {
            if (step === 'fail') {
              streak = now - lastFailure >= options.windowMs ? 1 : streak + 1;
              lastFailure = now;
              backoff.recordFailure(key);
            } else now += step;
            if (backoff.blocked(key)) {
              expect(streak).toBeGreaterThanOrEqual(options.failuresBeforeBackoff);
              expect(now - lastFailure).toBeLessThan(options.maxMs);
            }
          }
        },
      ),
    );
  });
});

describe('gateway / integration check bounds', () => {
  const HASH = 'scrypt$stored';
  const RIGHT = 'the-right-password';
  function setup() {
    let now = 0;
    const calls: string[] = [];
    const db = {
      query: (_sql: string, params?: readonly unknown[]) =>
        Promise.resolve(
          params?.[0] === ID ? [{ authorizedOrgnr: ORGNR, passwordHash: HASH, enabled: true }] : [],
        ) as Promise<never[]>,
    };
    const check = createIntegrationCheck(db, {
      limit: { concurrent: 2, queued: 2 },
      backoff: { failuresBeforeBackoff: 3, initialMs: 10_000, maxMs: 60_000, windowMs: 600_000 },
      now: () => now,
      verify: (password, stored) => {
        calls.push(password);
        return Promise.resolve(password === RIGHT && stored === HASH);
      },
    });
    return { check, calls, advance: (ms: number) => (now += ms) };
  }
  const message = (error: unknown) => (error as AuthError).message;

  it('refuses a backed-off id with the same 401 as a wrong password, without running the slow hash', async () => {
    const { check, calls } = setup();
    const answers: unknown[] = [];
    for (let i = 0; i < 3; i += 1)
      answers.push(await check.check(ID, `wrong-${i}`, ORGNR, 'a').catch((e: unknown) => e));
    expect(calls).toHaveLength(3);
    answers.push(await check.check(ID, RIGHT, ORGNR, 'a').catch((e: unknown) => e));
    answers.push(await check.check(ID, 'wrong-again', ORGNR, 'a').catch((e: unknown) => e));
    expect(calls).toHaveLength(3);
    for (const answer of answers) {
      expect(answer).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', retryAfterSeconds: undefined });
      expect(message(answer)).toBe(`Autentisering feilet for integrasjon med id ${ID}`);
    }
    // From another address the id is not backed off.
    await expect(check.check(ID, RIGHT, ORGNR, 'b')).resolves.toEqual({ mode: 'safelist', version: 0 });
    expect(calls).toHaveLength(4);
  });

  it('backs an unknown id off exactly as a known one', async () => {
    const { check, calls } = setup();
    const answers: unknown[] = [];
    for (let i = 0; i < 5; i += 1)
      answers.push(await check.check(UNKNOWN, RIGHT, ORGNR, 'a').catch((e: unknown) => e));
    expect(calls).toHaveLength(3);
    for (const answer of answers) {
      expect(message(answer)).toBe(`Autentisering feilet for integrasjon med id ${UNKNOWN}`);
    }
  });

  it('checks the password again once the back-off has passed, and a verified password gets in during it', async () => {
    const { check, calls, advance } = setup();
    await check.check(ID, RIGHT, ORGNR, 'a');
    for (let i = 0; i < 3; i += 1) await check.check(ID, `wrong-${i}`, ORGNR, 'a').catch(() => undefined);
    const before = calls.length;
    // Verified a moment ago: no slow hash needed, so the back-off does not stand in its way.
    await expect(check.check(ID, RIGHT, ORGNR, 'a')).resolves.toEqual({ mode: 'safelist', version: 0 });
    expect(calls).toHaveLength(before);
    // Its success forgets the failures; three more start the back-off again, and it passes with time.
    for (let i = 0; i < 3; i += 1) await check.check(ID, `wrong-${i}`, ORGNR, 'a').catch(() => undefined);
    await expect(check.check(ID, 'another-wrong', ORGNR, 'a')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(before + 3);
    advance(10_000);
    await expect(check.check(ID, 'another-wrong', ORGNR, 'a')).rejects.toMatchObject({ status: 401 });
    expect(calls).toHaveLength(before + 4);
  });
});
