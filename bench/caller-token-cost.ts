// npx tsx bench/caller-token-cost.ts: what one caller token costs to sign and to verify, by way of doing it, in
// isolation. For each way it reports the wall time per token with N in flight (as under load) and the CPU time per
// token split into this thread's event loop and everything else (WebCrypto runs on libuv's thread pool): on a
// shared 2-core machine both are taken from the same cores, but only the first stalls the servers' event loop.
import {
  createHash,
  createHmac,
  createPrivateKey,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  createPublicKey,
  randomUUID,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  type JWK,
} from 'jose';
import { CALLER_TOKEN_ALG, CALLER_TOKEN_ISSUER, callerTokenAudience } from '../access/caller-token.ts';
import { createCallerTokenSigner } from '../gateway/caller-token-signer.ts';
import { BENCH_PRINCIPAL, generateSigningKey } from './caller-tokens.ts';

const TOKENS = Number(process.env.COST_TOKENS ?? 20_000);
const IN_FLIGHT = 10;

interface Cost {
  wallMicros: number;
  loopCpuMicros: number;
  otherCpuMicros: number;
}

async function cost(run: (i: number) => unknown): Promise<Cost> {
  for (let i = 0; i < 2000; i++) await run(i); // warm the JIT
  const elu = performance.eventLoopUtilization();
  const cpu = process.cpuUsage();
  const start = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < TOKENS) await run(next++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  const wall = (performance.now() - start) * 1000;
  const used = process.cpuUsage(cpu);
  const loop = performance.eventLoopUtilization(elu).active * 1000; // ms → µs of this thread's busy time
  const all = used.user + used.system;
  return {
    wallMicros: wall / TOKENS,
    loopCpuMicros: loop / TOKENS,
    otherCpuMicros: Math.max(0, all - loop) / TOKENS,
  };
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

const signingKey = generateSigningKey();
const privateKey: KeyObject = createPrivateKey({ key: JSON.parse(signingKey) as never, format: 'jwk' });
const publicKey = createPublicKey(privateKey);
const publicJwk = await exportJWK(publicKey);
const kid = await calculateJwkThumbprint(publicJwk);
const joseKey = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
const keySet = createLocalJWKSet({ keys: [{ ...publicJwk, kid, alg: CALLER_TOKEN_ALG }] });
const audience = callerTokenAudience('documents');
const header = b64({ alg: CALLER_TOKEN_ALG, kid, typ: 'fiks-caller+jwt' });

function claims() {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: CALLER_TOKEN_ISSUER,
    aud: audience,
    iat,
    exp: iat + 60,
    jti: randomUUID(),
    rid: randomUUID(),
    prn: BENCH_PRINCIPAL,
  };
}

/** A compact JWS signed by node:crypto (synchronous, on the event loop). */
function nodeToken(): string {
  const input = `${header}.${b64(claims())}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}

const verifyOptions = {
  issuer: CALLER_TOKEN_ISSUER,
  audience,
  algorithms: [CALLER_TOKEN_ALG],
  typ: 'fiks-caller+jwt',
};
const sample = Array.from({ length: 1000 }, nodeToken);
/** The other design: a cached principal token plus, per call, a small signed binding of the request id to it. */
const bindings = sample.map((token) => {
  const input = `${header}.${b64({
    iss: CALLER_TOKEN_ISSUER,
    aud: audience,
    exp: Math.floor(Date.now() / 1000) + 60,
    rid: randomUUID(),
    pth: createHash('sha256').update(token).digest('base64url'),
  })}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
});
/** The alternative construction (#13 item 4): HMAC-SHA-256 with a key per subgraph derived from one secret (HKDF),
 * as Hive Gateway's upstream signature plugin does; the same claims, `alg: HS256`. */
const hmacKey = Buffer.from(
  hkdfSync('sha256', randomBytes(32), Buffer.alloc(0), 'fiks caller token documents', 32),
);
const hmacHeader = b64({ alg: 'HS256', kid: 'documents', typ: 'fiks-caller+jwt' });
function hmacToken(): string {
  const input = `${hmacHeader}.${b64(claims())}`;
  return `${input}.${createHmac('sha256', hmacKey).update(input).digest('base64url')}`;
}
const hmacSample = Array.from({ length: 1000 }, hmacToken);
const joseHmacKey = new Uint8Array(hmacKey);

const signer = await createCallerTokenSigner({ signingKey: JSON.parse(signingKey) as JWK, ttlSeconds: 60 });

const results: Record<string, Cost> = {
  'sign: jose SignJWT (WebCrypto)': await cost(() =>
    new SignJWT(claims())
      .setProtectedHeader({ alg: CALLER_TOKEN_ALG, kid, typ: 'fiks-caller+jwt' })
      .sign(joseKey),
  ),
  'sign: node:crypto.sign, compact JWS by hand': await cost(nodeToken),
  'sign: gateway/caller-token.ts tokenFor': await cost(() =>
    signer.tokenFor(BENCH_PRINCIPAL, 'documents', randomUUID()),
  ),
  'sign: HMAC-SHA-256, node:crypto createHmac, compact JWS by hand': await cost(hmacToken),
  'verify: HMAC-SHA-256, node:crypto createHmac + timingSafeEqual, signature only': await cost((i) => {
    const token = hmacSample[i % hmacSample.length]!;
    const dot = token.lastIndexOf('.');
    const expected = createHmac('sha256', hmacKey).update(token.slice(0, dot)).digest();
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }),
  'verify: HMAC-SHA-256, jose jwtVerify (claims included)': await cost((i) =>
    jwtVerify(hmacSample[i % hmacSample.length]!, joseHmacKey, { ...verifyOptions, algorithms: ['HS256'] }),
  ),
  'verify: jose jwtVerify (WebCrypto)': await cost((i) =>
    jwtVerify(sample[i % sample.length]!, keySet, verifyOptions),
  ),
  'verify: jose jwtVerify of a binding {rid, hash of principal token}': await cost((i) =>
    jwtVerify(bindings[i % bindings.length]!, keySet, verifyOptions),
  ),
  'verify: node:crypto.verify of the signature only': await cost((i) => {
    const token = sample[i % sample.length]!;
    const dot = token.lastIndexOf('.');
    return verify(
      null,
      Buffer.from(token.slice(0, dot)),
      publicKey,
      Buffer.from(token.slice(dot + 1), 'base64url'),
    );
  }),
};

console.log(`${TOKENS} tokens, ${IN_FLIGHT} in flight; µs per token`);
console.log('| Way | Wall | Event-loop CPU | Other threads CPU |');
console.log('| --- | ---: | ---: | ---: |');
for (const [way, c] of Object.entries(results)) {
  console.log(
    `| ${way} | ${c.wallMicros.toFixed(0)} | ${c.loopCpuMicros.toFixed(0)} | ${c.otherCpuMicros.toFixed(0)} |`,
  );
}
