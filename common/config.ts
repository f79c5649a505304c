// The one typed configuration of the platform. Only the entry points in bin/ read process.env; they pass it to
// loadConfig(), and everything else receives the typed Config. Each variable is declared once below, with its
// description and default, and the README's table is checked against this list by a test.
import { dirname, join } from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { ACR_LEVELS, type Acr } from './acr.ts';
import { SUBGRAPH_NAMES, type SubgraphName } from './subgraph-names.ts';

const port = z.coerce.number().int().min(0).max(65535);
const httpUrl = z.url({ protocol: /^https?$/ });
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const limit = (max: number) => z.coerce.number().int().min(1).max(max);
const listSizes = z
  .string()
  .regex(
    /^[_A-Za-z]\w*\.[_A-Za-z]\w*=[1-9]\d{0,4}(,[_A-Za-z]\w*\.[_A-Za-z]\w*=[1-9]\d{0,4})*$/,
    'must be Type.field=size, comma-separated',
  )
  .transform((value) =>
    Object.fromEntries(
      value.split(',').map((entry) => {
        const [coordinate, size] = entry.split('=') as [string, string];
        return [coordinate, Number(size)];
      }),
    ),
  );

/** A private JWK given as JSON; the message never echoes the value (it is a key). */
function privateJwk(check: (jwk: Record<string, unknown>) => boolean, what: string) {
  return z.string().transform((text, ctx) => {
    let jwk: unknown;
    try {
      jwk = JSON.parse(text);
    } catch {
      jwk = undefined;
    }
    const ok = typeof jwk === 'object' && jwk !== null && typeof (jwk as { d?: unknown }).d === 'string';
    if (!ok || !check(jwk as Record<string, unknown>)) {
      ctx.addIssue({ code: 'custom', message: `must be ${what} as JSON` });
      return z.NEVER;
    }
    return jwk as JWK;
  });
}

interface Variable<T extends z.ZodType> {
  description: string;
  /** The default as the environment would spell it; undefined means "unset is allowed and means off". */
  default?: string;
  schema: T;
}
function variable<T extends z.ZodType>(v: Variable<T>): Variable<T> {
  return v;
}

/** The snooping report's threshold when nothing is configured (subgraphs/audit/report.ts). */
export const DEFAULT_SNOOPING_THRESHOLD = 25;

/** Every environment variable the platform reads, in the order the README lists them. */
export const VARIABLES = {
  FIKS_MODE: variable({
    description:
      '`development` or `production`. Production refuses the local stand-ins, requires explicit keys and https identity providers.',
    default: 'development',
    schema: z.enum(['development', 'production']),
  }),
  DATABASE_URL: variable({
    description:
      'PostgreSQL connection URL. Unset: embedded PGlite in `PGLITE_DIR` (not allowed in production).',
    schema: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
  }),
  PGLITE_DIR: variable({
    description: 'Folder of the embedded PGlite database, used when `DATABASE_URL` is unset.',
    default: './data/pglite',
    schema: z.string().min(1),
  }),
  GATEWAY_HOST: variable({
    description: 'Address the gateway listens on.',
    default: '127.0.0.1',
    schema: z.string().min(1),
  }),
  GATEWAY_PORT: variable({ description: 'Port of the gateway.', default: '4000', schema: port }),
  GATEWAY_PUBLIC_URL: variable({
    description: 'The URL persons and integrations use to reach the gateway. Default: from host and port.',
    schema: httpUrl.optional(),
  }),
  TRUST_PROXY: variable({
    description:
      "Proxies in front of the gateway (comma-separated addresses or CIDRs, or `loopback`, `linklocal`, `uniquelocal`) whose `X-Forwarded-For` names the client, for rate limits, back-off and the audit log's source. Unset: none; the socket's address is the client's.",
    schema: z
      .string()
      .regex(/^[\w.:/, -]{1,500}$/, 'addresses, CIDRs or loopback/linklocal/uniquelocal, comma-separated')
      .optional(),
  }),
  TLS_CERT_FILE: variable({
    description:
      'PEM certificate (chain) file: with `TLS_KEY_FILE`, the gateway serves HTTPS itself and sends HSTS. Unset: plain HTTP (TLS ends in front of it, or development).',
    schema: z.string().min(1).optional(),
  }),
  TLS_KEY_FILE: variable({
    description: 'PEM private key file of `TLS_CERT_FILE`.',
    schema: z.string().min(1).optional(),
  }),
  CORS_ORIGINS: variable({
    description:
      'Comma-separated origins (e.g. `https://app.example.no`) whose pages may call the gateway from the browser, with credentials. Unset: none; other origins get no CORS headers.',
    schema: z
      .string()
      .transform((value, ctx) => {
        const origins = value.split(',').map((o) => o.trim());
        for (const origin of origins) {
          // An origin is scheme://host[:port] and nothing else: no path, no wildcard, no "null".
          if (!URL.canParse(origin) || new URL(origin).origin !== origin || !/^https?:/.test(origin)) {
            ctx.addIssue({ code: 'custom', message: 'must be comma-separated http(s) origins' });
            return z.NEVER;
          }
        }
        return origins;
      })
      .optional(),
  }),
  ORGANIZATIONS_URL: variable({
    description: 'GraphQL URL of the organizations subgraph, as the gateway reaches it.',
    default: 'http://127.0.0.1:4001/graphql',
    schema: httpUrl,
  }),
  INTEGRATIONS_URL: variable({
    description: 'GraphQL URL of the integrations subgraph.',
    default: 'http://127.0.0.1:4002/graphql',
    schema: httpUrl,
  }),
  DOCUMENTS_URL: variable({
    description: 'GraphQL URL of the documents subgraph.',
    default: 'http://127.0.0.1:4003/graphql',
    schema: httpUrl,
  }),
  AUDIT_URL: variable({
    description: 'GraphQL URL of the audit subgraph.',
    default: 'http://127.0.0.1:4004/graphql',
    schema: httpUrl,
  }),
  SUBGRAPH_HOST: variable({
    description: 'Address a subgraph started alone (`npm run start:subgraph`) listens on.',
    default: '127.0.0.1',
    schema: z.string().min(1),
  }),
  SUBGRAPH_PORT: variable({
    description: "Port of a subgraph started alone. Default: the port in that subgraph's `*_URL`.",
    schema: port.optional(),
  }),
  SUBGRAPH_TLS_CERT_FILE: variable({
    description:
      'PEM certificate (chain) file: with `SUBGRAPH_TLS_KEY_FILE`, a subgraph serves HTTPS, and its `*_URL` must then say `https`. Unset: plain HTTP (loopback, or a network only the gateway reaches).',
    schema: z.string().min(1).optional(),
  }),
  SUBGRAPH_TLS_KEY_FILE: variable({
    description: 'PEM private key file of `SUBGRAPH_TLS_CERT_FILE`.',
    schema: z.string().min(1).optional(),
  }),
  SUBGRAPH_CA_FILE: variable({
    description:
      "PEM file of the certificate authorities the gateway trusts for `https` subgraph URLs — then only these, not the system's. Unset: the system's.",
    schema: z.string().min(1).optional(),
  }),
  SUBGRAPH_CLIENT_CA_FILE: variable({
    description:
      "PEM file of the certificate authorities whose client certificates a subgraph serving HTTPS accepts: then every route but `/healthz` and `/readyz` needs one (the gateway's, `SUBGRAPH_CLIENT_CERT_FILE`) before the caller token is even read. Unset: no client certificate asked.",
    schema: z.string().min(1).optional(),
  }),
  SUBGRAPH_CLIENT_CERT_FILE: variable({
    description:
      'PEM certificate (chain) file the gateway presents to subgraphs that ask for one (`SUBGRAPH_CLIENT_CA_FILE` on their side), with `SUBGRAPH_CLIENT_KEY_FILE`.',
    schema: z.string().min(1).optional(),
  }),
  SUBGRAPH_CLIENT_KEY_FILE: variable({
    description: 'PEM private key file of `SUBGRAPH_CLIENT_CERT_FILE`.',
    schema: z.string().min(1).optional(),
  }),
  // A subgraph is near: connecting takes milliseconds, and 2 s still allows one lost SYN to be sent again (1 s).
  SUBGRAPH_CONNECT_TIMEOUT_MS: variable({
    description:
      'How long the gateway waits to connect to a subgraph; then the operation answers `SERVICE_UNAVAILABLE`.',
    default: '2000',
    schema: z.coerce.number().int().min(1).max(60_000),
  }),
  // Well above a normal answer (tens of milliseconds), well below the 30–60 s after which proxies and clients give
  // up on their own: the caller gets our code and request id rather than a proxy's bare 504.
  SUBGRAPH_TIMEOUT_MS: variable({
    description:
      "How long the gateway waits for a subgraph's whole answer, connecting included; then `SERVICE_UNAVAILABLE`.",
    default: '10000',
    schema: z.coerce.number().int().min(1).max(300_000),
  }),
  SUBGRAPH_RETRY_AFTER_SECONDS: variable({
    description:
      'The `Retry-After` of a 503 answered when a subgraph was unavailable and nothing of the operation could be answered.',
    default: '5',
    schema: z.coerce.number().int().min(0).max(3600),
  }),
  READINESS_TIMEOUT_MS: variable({
    description: 'How long `/readyz` waits for each of its checks (a subgraph, the database).',
    default: '1000',
    schema: z.coerce.number().int().min(1).max(60_000),
  }),
  CALLER_SIGNING_KEY: variable({
    description:
      'Private JWK (JSON, Ed25519) the gateway signs caller tokens with. Unset: a fresh key per start (development only).',
    schema: privateJwk((k) => k.kty === 'OKP' && k.crv === 'Ed25519', 'a private Ed25519 JWK').optional(),
  }),
  CALLER_JWKS_URL: variable({
    description:
      "URL of the gateway's caller-token JWKS, for a subgraph started alone. Default: `GATEWAY_PUBLIC_URL` + `/.well-known/caller-jwks.json`.",
    schema: httpUrl.optional(),
  }),
  CALLER_TOKEN_TTL_SECONDS: variable({
    description: 'Lifetime of the caller token the gateway sends to subgraphs.',
    default: '60',
    schema: z.coerce.number().int().min(5).max(600),
  }),
  IDPORTEN_ISSUER: variable({
    description:
      'ID-porten issuer, e.g. `https://test.idporten.no`. Unset in development: `npm start` runs the local stand-in.',
    schema: httpUrl.optional(),
  }),
  IDPORTEN_CLIENT_ID: variable({
    description: "The gateway's client id at ID-porten (browser login).",
    schema: z.string().min(1).optional(),
  }),
  IDPORTEN_CLIENT_SECRET: variable({
    description: "The gateway's client secret at ID-porten (`client_secret_basic`).",
    schema: z.string().min(1).optional(),
  }),
  IDPORTEN_AUDIENCE: variable({
    description:
      'The `aud` an ID-porten access token must carry to be accepted as a Bearer token. Default: `GATEWAY_PUBLIC_URL`.',
    schema: z.string().min(1).optional(),
  }),
  ACR_MINIMUM: variable({
    description: 'Weakest ID-porten level accepted for persons. Strong authentication is the default.',
    default: 'idporten-loa-substantial',
    schema: z.enum(ACR_LEVELS),
  }),
  MASKINPORTEN_ISSUER: variable({
    description:
      'Maskinporten issuer, e.g. `https://test.maskinporten.no/`. Unset in development: `npm start` runs the local stand-in.',
    schema: httpUrl.optional(),
  }),
  MASKINPORTEN_SCOPE: variable({
    description: "Scope an integration's Maskinporten token must carry.",
    default: 'ks:fiks',
    schema: z.string().regex(/^[a-z0-9:./_-]+$/i),
  }),
  ALTINN_URL: variable({
    description:
      "Base URL of Altinn's platform API (authorized parties). Unset in development: `npm start` runs the local stand-in.",
    schema: httpUrl.optional(),
  }),
  ALTINN_MASKINPORTEN_CLIENT_ID: variable({
    description: "The platform's Maskinporten client for calling Altinn.",
    schema: z.string().min(1).optional(),
  }),
  ALTINN_MASKINPORTEN_KEY: variable({
    description: 'Private JWK (JSON, RS256, with `kid`) of that client.',
    schema: privateJwk(
      (k) => k.kty === 'RSA' && typeof k.kid === 'string',
      'a private RSA JWK with kid',
    ).optional(),
  }),
  SESSION_ENCRYPTION_KEY: variable({
    description:
      'Key (base64url, 32 bytes) that encrypts tokens held in browser sessions. Unset: a fresh key per start (development only; sessions end at restart).',
    schema: z
      .string()
      .regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes, base64url without padding')
      .optional(),
  }),
  SESSION_IDLE_MINUTES: variable({
    description: 'A browser session ends after this long without a request (ID-porten: at most 30).',
    default: '30',
    schema: z.coerce.number().int().min(1).max(30),
  }),
  SESSION_MAX_MINUTES: variable({
    description: 'A browser session ends this long after login, however active (ID-porten SSO: 120).',
    default: '120',
    schema: z.coerce.number().int().min(1).max(720),
  }),
  INTEGRATION_PASSWORD_CHECKS: variable({
    description:
      'Integration password checks (scrypt, on the thread pool) running at once. Keep it below `UV_THREADPOOL_SIZE` (4).',
    default: '2',
    schema: z.coerce.number().int().min(1).max(64),
  }),
  INTEGRATION_PASSWORD_QUEUE: variable({
    description:
      'Password checks waiting for a free slot; beyond them the gateway answers 503 `AUTHENTICATION_BUSY` with `Retry-After`.',
    default: '8',
    schema: z.coerce.number().int().min(0).max(1000),
  }),
  INTEGRATION_FAILURES_BEFORE_BACKOFF: variable({
    description:
      'Failed integration logins from one address for one integration id before that pair backs off (refused without a password check).',
    default: '5',
    schema: z.coerce.number().int().min(1).max(1000),
  }),
  INTEGRATION_BACKOFF_INITIAL_SECONDS: variable({
    description: 'First back-off; it doubles with each further failure.',
    default: '1',
    schema: z.coerce.number().int().min(1).max(3600),
  }),
  INTEGRATION_BACKOFF_MAX_SECONDS: variable({
    description: 'Longest back-off, so a shared address never locks an integration out for long.',
    default: '60',
    schema: z.coerce.number().int().min(1).max(3600),
  }),
  INTEGRATION_FAILURE_WINDOW_SECONDS: variable({
    description: 'Failures are forgotten this long after the last one (and at the first success).',
    default: '900',
    schema: z.coerce.number().int().min(1).max(86_400),
  }),
  CREDENTIAL_CACHE_MAX_AGE_SECONDS: variable({
    description:
      "How long the gateway keeps an integration's looked-up credentials at most. A change is heard at once through the database's notifications (and at once by the gateway that made it); this bounds the age even so.",
    default: '300',
    schema: z.coerce.number().int().min(1).max(3600),
  }),
  LOGIN_RATE_PER_MINUTE: variable({
    description:
      'Browser logins (`/auth/login`, one stored attempt each) one client address may start per minute.',
    default: '60',
    schema: z.coerce.number().int().min(1).max(100_000),
  }),
  LOGIN_RATE_BURST: variable({
    description:
      'Logins one address may start at once before `LOGIN_RATE_PER_MINUTE` applies (429 with `Retry-After`).',
    default: '30',
    schema: z.coerce.number().int().min(1).max(100_000),
  }),
  REDIS_URL: variable({
    description:
      'Redis where replicas share state (`redis://` or `rediss://`): the gateways count rate limits in it, so they share one budget, and the subgraphs claim each caller token in it, so a token copied to another replica of the same subgraph is refused there too. Unset: each process counts and remembers in memory.',
    schema: z.url({ protocol: /^rediss?$/ }).optional(),
  }),
  RATE_LIMIT_REDIS_PREFIX: variable({
    description: 'Prefix of the rate-limit keys in Redis (one Redis may serve several deployments).',
    default: 'fiks:rate-limit:',
    schema: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, _ : . -'),
  }),
  REPLAY_GUARD_REDIS_PREFIX: variable({
    description: "Prefix of the subgraphs' caller-token keys in Redis (each kept until its token expires).",
    default: 'fiks:caller-token:',
    schema: z.string().regex(/^[\w:.-]{1,64}$/, 'must be 1-64 letters, digits, _ : . -'),
  }),
  RATE_LIMIT_WINDOW_SECONDS: variable({
    description: 'The rate-limit window: each budget below is for this long, counted from the first request.',
    default: '60',
    schema: z.coerce.number().int().min(1).max(86_400),
  }),
  RATE_LIMIT_INTEGRATION_MAX: variable({
    description:
      'Requests one integration may make per window, whichever replica it reaches. Past it: 429 `RATE_LIMITED` with `Retry-After`.',
    default: '1200',
    schema: z.coerce.number().int().min(1).max(100_000_000),
  }),
  RATE_LIMIT_PERSON_MAX: variable({
    description:
      'Requests one logged-in person may make per window (all their sessions and tokens together).',
    default: '600',
    schema: z.coerce.number().int().min(1).max(100_000_000),
  }),
  RATE_LIMIT_ADDRESS_MAX: variable({
    description:
      'Requests per window from one client address for what is not authenticated (pages, `/auth/*`, `/readyz`, unknown routes, refused authentications).',
    default: '600',
    schema: z.coerce.number().int().min(1).max(100_000_000),
  }),
  // One event per source and minute keeps a flood of failures one row a minute (README, "Security events").
  SECURITY_EVENT_WINDOW_SECONDS: variable({
    description:
      'Failed logins, failed integration authentications and refused operations are counted per source (or actor) for this long, then written as one audit event with the count.',
    default: '60',
    schema: z.coerce.number().int().min(1).max(3600),
  }),
  SECURITY_EVENT_MAX_SOURCES: variable({
    description:
      'Sources (or actors) counted at once; failures from further sources are counted together in one overflow event per window.',
    default: '1000',
    schema: z.coerce.number().int().min(1).max(100_000),
  }),
  MAX_BODY_BYTES: variable({
    description: 'Largest request body the gateway and the subgraphs accept.',
    default: '102400',
    schema: z.coerce.number().int().min(1024).max(10_485_760),
  }),
  // Fiks del dokument allows 5 GB a document; content streams through, so the size costs no memory.
  DOCUMENT_MAX_BYTES: variable({
    description:
      'Largest document content an upload (`PUT /documents/content/…`) may carry. Past it: 413 `PAYLOAD_TOO_LARGE`, and nothing is kept.',
    default: '5368709120',
    schema: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  }),
  MAX_OPERATION_DEPTH: variable({
    description:
      'Deepest field nesting an operation may ask for (`{ a { b } }` is 2), fragments included. Past it: 400 `MAX_DEPTH_EXCEEDED`.',
    default: '6',
    schema: limit(100),
  }),
  MAX_OPERATION_ALIASES: variable({
    description:
      'Most aliased fields in one operation, counted each time a fragment is spread. Past it: 400 `MAX_ALIASES_EXCEEDED`.',
    default: '15',
    schema: limit(1000),
  }),
  MAX_ROOT_FIELDS: variable({
    description: 'Most fields at the root of one operation. Past it: 400 `MAX_ROOT_FIELDS_EXCEEDED`.',
    default: '10',
    schema: limit(1000),
  }),
  MAX_OPERATION_DIRECTIVES: variable({
    description:
      'Most directives in one operation, counted each time a fragment is spread. Past it: 400 `MAX_DIRECTIVES_EXCEEDED`.',
    default: '50',
    schema: limit(1000),
  }),
  MAX_OPERATION_TOKENS: variable({
    description:
      'Most lexical tokens in a GraphQL document; the parser stops there. Past it: 400 `MAX_TOKENS_EXCEEDED`.',
    default: '1000',
    schema: limit(100_000),
  }),
  MAX_OPERATION_COST: variable({
    description:
      'Highest estimated cost: each field 1 plus its selection, times the size of each list it returns. Past it: 400 `MAX_COST_EXCEEDED`.',
    default: '5000',
    schema: limit(1_000_000_000),
  }),
  LIST_SIZE_ESTIMATE: variable({
    description: 'Estimated size of every list a field returns, for the cost limit.',
    default: '10',
    schema: limit(10_000),
  }),
  LIST_SIZE_ESTIMATES: variable({
    description:
      'Per-field list sizes overriding `LIST_SIZE_ESTIMATE`: comma-separated `Type.field=size`, e.g. `Organization.resources=50`.',
    schema: listSizes.optional(),
  }),
  OPERATIONS_DIR: variable({
    description:
      'Folder of the global trusted-operation manifests (Apollo persisted query manifests or `persisted-documents.json`), reloaded when they change. Default: `schema/operations/`.',
    schema: z.string().min(1).optional(),
  }),
  OPERATIONS_CHECK_INTERVAL_MS: variable({
    description:
      'How often the gateway looks for changed files in `OPERATIONS_DIR` (at most once per this many ms, on a request); `0` checks at every request.',
    default: '1000',
    schema: z.coerce.number().int().min(0).max(3_600_000),
  }),
  OPERATIONS_PERSON_MODE: variable({
    description:
      'Which operations persons (frontends, the explorer) may run: `audit` (anything; unregistered ones are logged by hash), `safelist` (registered ones, by id or text) or `id-only` (registered ones, by id). Integrations have their own mode (default `safelist`).',
    default: 'audit',
    schema: z.enum(['audit', 'safelist', 'id-only']),
  }),
  TRUSTED_OPERATION_MAX_DEPTH: variable({
    description:
      'Ceiling on the depth limit a trusted operation may be registered with (above `MAX_OPERATION_DEPTH`); higher registered limits are cut to this.',
    default: '12',
    schema: limit(100),
  }),
  TRUSTED_OPERATION_MAX_ALIASES: variable({
    description: 'Ceiling on the aliases limit a trusted operation may carry.',
    default: '100',
    schema: limit(10_000),
  }),
  TRUSTED_OPERATION_MAX_ROOT_FIELDS: variable({
    description: 'Ceiling on the root-fields limit a trusted operation may carry.',
    default: '50',
    schema: limit(10_000),
  }),
  TRUSTED_OPERATION_MAX_DIRECTIVES: variable({
    description: 'Ceiling on the directives limit a trusted operation may carry.',
    default: '200',
    schema: limit(10_000),
  }),
  TRUSTED_OPERATION_MAX_COST: variable({
    description: 'Ceiling on the cost limit a trusted operation may carry.',
    default: '100000',
    schema: limit(1_000_000_000),
  }),
  AUDIT_SNOOPING_THRESHOLD: variable({
    description:
      'The snooping report flags an actor who read more distinct persons’ data than this in the period asked for.',
    default: String(DEFAULT_SNOOPING_THRESHOLD),
    schema: z.coerce.number().int().min(1).max(1_000_000),
  }),
  AUDIT_SIGNING_KEY: variable({
    description:
      "Private JWK (JSON, Ed25519) signing the audit log's checkpoints. Unset: generated once, kept in `audit/` beside `PGLITE_DIR` (development only).",
    schema: privateJwk((k) => k.kty === 'OKP' && k.crv === 'Ed25519', 'a private Ed25519 JWK').optional(),
  }),
  AUDIT_WITNESS_FILE: variable({
    description:
      'The witness: a file (JSON lines) every audit checkpoint is also written to. Default: `audit/witness.jsonl` beside `PGLITE_DIR` (development only).',
    schema: z.string().min(1).optional(),
  }),
  AUDIT_CHECKPOINT_INTERVAL_MS: variable({
    description:
      'How often the audit log signs a checkpoint of its Merkle tree while events arrive; none while nothing arrives.',
    default: '2000',
    schema: z.coerce.number().int().min(100).max(3_600_000),
  }),
  AUDIT_RETENTION_DAYS: variable({
    description:
      "Days an audit event's content is kept; then it is deleted and only its hash stays in the tree. `0` (the default) keeps events forever.",
    default: '0',
    schema: z.coerce.number().int().min(0).max(36_500),
  }),
  DOCUMENT_KEY_FILE: variable({
    description:
      "The document store's key-encryption keys (JSON, mode 0600), which wrap every document's data key; keep it outside the data folder and its backups. Unset: `keys/document-kek.json` in the working folder, created on first start (development only).",
    schema: z.string().min(1).optional(),
  }),
  DOCUMENT_CONTENT_DIR: variable({
    description:
      "Folder of the document store's encrypted content. Default: `documents/` beside `PGLITE_DIR`.",
    schema: z.string().min(1).optional(),
  }),
  DOCUMENT_LINK_TTL_SECONDS: variable({
    description:
      'How long a content link (upload or download) may wait before it is used; each link is used once.',
    default: '120',
    schema: z.coerce.number().int().min(5).max(3600),
  }),
  DOCUMENT_UPLOAD_MAX_SECONDS: variable({
    description:
      'Longest an upload may take once started; an upload cut off by a crash is cleaned up after this long.',
    default: '21600',
    schema: z.coerce
      .number()
      .int()
      .min(10)
      .max(7 * 86_400),
  }),
  DOCUMENT_PURGE_INTERVAL_MS: variable({
    description:
      'How often the document store purges expired documents and unfinished uploads (one replica at a time).',
    default: '60000',
    schema: z.coerce.number().int().min(100).max(86_400_000),
  }),
  SEED_DEMO_DATA: variable({
    description: 'Load the synthetic demo data at start (idempotent). Never in production.',
    default: 'true',
    schema: bool,
  }),
  LOG_LEVEL: variable({
    description: 'pino log level.',
    default: 'info',
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  }),
} as const;

type Variables = typeof VARIABLES;
type Values = { [K in keyof Variables]: z.output<Variables[K]['schema']> };

export interface Config {
  mode: 'development' | 'production';
  databaseUrl: string | undefined;
  pgliteDir: string;
  gateway: {
    host: string;
    port: number;
    publicUrl: string;
    /** Served over HTTPS with these PEM files (gateway/tls.ts); undefined: plain HTTP. */
    tls: { certFile: string; keyFile: string } | undefined;
    /** Origins allowed to call from a browser, with credentials (gateway/cors.ts). */
    corsOrigins: string[];
    /** Proxies whose X-Forwarded-For is believed (fastify's trustProxy); undefined: none. */
    trustProxy: string | undefined;
  };
  subgraphUrls: Record<SubgraphName, string>;
  /** Where a subgraph started alone listens, its certificate when it serves HTTPS (undefined: plain HTTP), and the
   * authorities of the client certificates it then requires (undefined: none asked). */
  subgraph: {
    host: string;
    port: number | undefined;
    tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  };
  subgraphCalls: {
    connectTimeoutMs: number;
    timeoutMs: number;
    retryAfterSeconds: number;
    /** PEM file of the only authorities trusted for https subgraphs; undefined: the system's. */
    caFile: string | undefined;
    /** The gateway's own certificate and key for subgraphs that ask for one; undefined: none. */
    clientCertFile: string | undefined;
    clientKeyFile: string | undefined;
  };
  readinessTimeoutMs: number;
  callerToken: { signingKey: JWK | undefined; jwksUrl: string; ttlSeconds: number };
  idporten: {
    issuer: string | undefined;
    clientId: string | undefined;
    clientSecret: string | undefined;
    audience: string;
    acrMinimum: Acr;
  };
  maskinporten: { issuer: string | undefined; scope: string };
  altinn: { url: string | undefined; clientId: string | undefined; clientKey: JWK | undefined };
  session: {
    encryptionKey: string | undefined;
    idleMinutes: number;
    maxMinutes: number;
    loginRate: { perMinute: number; burst: number };
  };
  /** Bounds on integration authentication (#9 item 3). */
  integrationAuth: {
    limit: { concurrent: number; queued: number };
    backoff: { failuresBeforeBackoff: number; initialMs: number; maxMs: number; windowMs: number };
    /** The credential cache's second bound (gateway/auth/credential-cache.ts). */
    credentialsMaxAgeMs: number;
  };
  /** Counted security events (auditlog/failure-window.ts, gateway/audit/). */
  securityEvents: { windowMs: number; maxSources: number };
  maxBodyBytes: number;
  /** Largest document content upload (gateway/document-content.ts). */
  documentMaxBytes: number;
  /** Operation limits at the gateway (gateway/plugins/operation-limits.ts). */
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxRootFields: number;
    maxDirectives: number;
    maxTokens: number;
    maxCost: number;
    listSizeEstimate: number;
    listSizes: Record<string, number>;
  };
  /** Trusted operations (gateway/trusted-operations/): the global list, persons' mode, the ceiling on their limits. */
  trustedOperations: {
    directory: string | undefined;
    checkIntervalMs: number;
    personMode: 'audit' | 'safelist' | 'id-only';
    ceiling: {
      maxDepth: number;
      maxAliases: number;
      maxRootFields: number;
      maxDirectives: number;
      maxCost: number;
    };
  };
  /** The audit log's tamper evidence (subgraphs/audit, docs/AUDIT-LOG.md). */
  auditLog: AuditLogSettings;
  /** The document store: its key hierarchy, content folder and limits (subgraphs/documents). */
  documents: DocumentStoreSettings;
  /** Rate limits per principal (gateway/rate-limit/). */
  rateLimit: RateLimitSettings;
  /** The subgraphs' replay guard shared in Redis (subgraphs/runtime/shared-replay-guard.ts); undefined without
   * REDIS_URL. */
  sharedReplayGuard: { redisUrl: string; redisPrefix: string } | undefined;
  seedDemoData: boolean;
  logLevel: Values['LOG_LEVEL'];
}

export type RateLimitKind = 'integration' | 'person' | 'address';

export interface RateLimitSettings {
  /** Shared counting in Redis; undefined: in memory, per process. */
  redisUrl: string | undefined;
  redisPrefix: string;
  windowMs: number;
  /** Requests per window for each kind of caller. */
  max: Record<RateLimitKind, number>;
}

export interface AuditLogSettings {
  /** Signs checkpoints; undefined in development, where `signingKeyFile` keeps a generated one. */
  signingKey: JWK | undefined;
  signingKeyFile: string;
  witnessFile: string;
  checkpointIntervalMs: number;
  /** 0: keep forever. */
  retentionDays: number;
  /** Distinct persons read in a period above which the snooping report flags an actor.
   * @default DEFAULT_SNOOPING_THRESHOLD */
  snoopingThreshold?: number;
}

export interface DocumentStoreSettings {
  /** The key-encryption-key file; created on first start when `createKeyFile` (development only). */
  keyFile: string;
  createKeyFile: boolean;
  contentDir: string;
  maxBytes: number;
  linkTtlSeconds: number;
  uploadMaxSeconds: number;
  purgeIntervalMs: number;
}

/** The identity providers' URLs: production speaks to them over TLS only. */
const IDENTITY_PROVIDER_URLS = ['IDPORTEN_ISSUER', 'MASKINPORTEN_ISSUER', 'ALTINN_URL'] as const;

/** True for a URL whose host is this machine: localhost, 127.0.0.0/8 or ::1. */
function isLoopbackUrl(url: string): boolean {
  if (!URL.canParse(url)) return false;
  const host = new URL(url).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** True for an absolute https URL (any letter case in the scheme, as URL parsing normalises it). */
export function isHttps(url: string): boolean {
  return URL.canParse(url) && new URL(url).protocol === 'https:';
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment; a bad value throws a ConfigError naming the variable, never echoing a secret. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const values = {} as Record<string, unknown>;
  const problems: string[] = [];
  for (const [name, v] of Object.entries(VARIABLES) as [string, Variable<z.ZodType>][]) {
    const raw = env[name] === '' ? undefined : (env[name] ?? v.default);
    const parsed = v.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name}: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  const v = values as Values;

  if (v.FIKS_MODE === 'production') {
    if (!v.DATABASE_URL) throw new ConfigError('DATABASE_URL: required in production');
    if (v.SEED_DEMO_DATA) throw new ConfigError('SEED_DEMO_DATA: demo data is never loaded in production');
    for (const name of [
      'IDPORTEN_ISSUER',
      'MASKINPORTEN_ISSUER',
      'SESSION_ENCRYPTION_KEY',
      'CALLER_SIGNING_KEY',
      // A generated key on the container's disk, or a witness beside the database, would prove nothing there.
      'AUDIT_SIGNING_KEY',
      'AUDIT_WITNESS_FILE',
      // Generated beside the process, the key that unlocks every document would share the content's fate and disk.
      'DOCUMENT_KEY_FILE',
    ] as const) {
      if (!v[name]) throw new ConfigError(`${name}: required in production`);
    }
    // Tokens are trusted because of the keys these URLs serve; over plain HTTP anyone on the path could swap them.
    // Loopback is no exception: in production the identity providers are never on this machine.
    for (const name of IDENTITY_PROVIDER_URLS) {
      const url = v[name];
      if (url !== undefined && !isHttps(url))
        throw new ConfigError(`${name}: must be an https URL in production`);
    }
  }
  if ((v.TLS_CERT_FILE === undefined) !== (v.TLS_KEY_FILE === undefined))
    throw new ConfigError('TLS_CERT_FILE, TLS_KEY_FILE: set both or neither');
  if ((v.SUBGRAPH_TLS_CERT_FILE === undefined) !== (v.SUBGRAPH_TLS_KEY_FILE === undefined))
    throw new ConfigError('SUBGRAPH_TLS_CERT_FILE, SUBGRAPH_TLS_KEY_FILE: set both or neither');
  if ((v.SUBGRAPH_CLIENT_CERT_FILE === undefined) !== (v.SUBGRAPH_CLIENT_KEY_FILE === undefined))
    throw new ConfigError('SUBGRAPH_CLIENT_CERT_FILE, SUBGRAPH_CLIENT_KEY_FILE: set both or neither');
  // A client certificate is asked for in the TLS handshake: without TLS there is none to ask.
  if (v.SUBGRAPH_CLIENT_CA_FILE !== undefined && v.SUBGRAPH_TLS_CERT_FILE === undefined)
    throw new ConfigError(
      'SUBGRAPH_CLIENT_CA_FILE: needs SUBGRAPH_TLS_CERT_FILE (client certificates need TLS)',
    );
  const tls =
    v.TLS_CERT_FILE && v.TLS_KEY_FILE ? { certFile: v.TLS_CERT_FILE, keyFile: v.TLS_KEY_FILE } : undefined;
  const scheme = tls ? 'https' : 'http';
  const publicUrl = (v.GATEWAY_PUBLIC_URL ?? `${scheme}://${v.GATEWAY_HOST}:${v.GATEWAY_PORT}`).replace(
    /\/$/,
    '',
  );
  const subgraphUrls = Object.fromEntries(
    SUBGRAPH_NAMES.map((name) => [name, v[`${name.toUpperCase()}_URL` as keyof Values] as string]),
  ) as Record<SubgraphName, string>;
  // Personal data and document content cross these calls. In production they leave the machine only over TLS; a
  // loopback URL stays on it (a service mesh's sidecar that speaks TLS for the process, or one host).
  if (v.FIKS_MODE === 'production') {
    for (const name of SUBGRAPH_NAMES) {
      const url = subgraphUrls[name];
      if (!isHttps(url) && !isLoopbackUrl(url))
        throw new ConfigError(`${name.toUpperCase()}_URL: must be an https URL in production (or loopback)`);
    }
  }
  const subgraphTls =
    v.SUBGRAPH_TLS_CERT_FILE && v.SUBGRAPH_TLS_KEY_FILE
      ? {
          certFile: v.SUBGRAPH_TLS_CERT_FILE,
          keyFile: v.SUBGRAPH_TLS_KEY_FILE,
          clientCaFile: v.SUBGRAPH_CLIENT_CA_FILE,
        }
      : undefined;
  return {
    mode: v.FIKS_MODE,
    databaseUrl: v.DATABASE_URL,
    pgliteDir: v.PGLITE_DIR,
    gateway: {
      host: v.GATEWAY_HOST,
      port: v.GATEWAY_PORT,
      publicUrl,
      tls,
      corsOrigins: v.CORS_ORIGINS ?? [],
      trustProxy: v.TRUST_PROXY,
    },
    subgraphUrls,
    subgraph: { host: v.SUBGRAPH_HOST, port: v.SUBGRAPH_PORT, tls: subgraphTls },
    subgraphCalls: {
      connectTimeoutMs: v.SUBGRAPH_CONNECT_TIMEOUT_MS,
      timeoutMs: v.SUBGRAPH_TIMEOUT_MS,
      retryAfterSeconds: v.SUBGRAPH_RETRY_AFTER_SECONDS,
      caFile: v.SUBGRAPH_CA_FILE,
      clientCertFile: v.SUBGRAPH_CLIENT_CERT_FILE,
      clientKeyFile: v.SUBGRAPH_CLIENT_KEY_FILE,
    },
    readinessTimeoutMs: v.READINESS_TIMEOUT_MS,
    callerToken: {
      signingKey: v.CALLER_SIGNING_KEY,
      jwksUrl: v.CALLER_JWKS_URL ?? `${publicUrl}/.well-known/caller-jwks.json`,
      ttlSeconds: v.CALLER_TOKEN_TTL_SECONDS,
    },
    idporten: {
      issuer: v.IDPORTEN_ISSUER?.replace(/\/$/, ''),
      clientId: v.IDPORTEN_CLIENT_ID,
      clientSecret: v.IDPORTEN_CLIENT_SECRET,
      audience: v.IDPORTEN_AUDIENCE ?? publicUrl,
      acrMinimum: v.ACR_MINIMUM,
    },
    maskinporten: { issuer: v.MASKINPORTEN_ISSUER, scope: v.MASKINPORTEN_SCOPE },
    altinn: {
      url: v.ALTINN_URL?.replace(/\/$/, ''),
      clientId: v.ALTINN_MASKINPORTEN_CLIENT_ID,
      clientKey: v.ALTINN_MASKINPORTEN_KEY,
    },
    session: {
      encryptionKey: v.SESSION_ENCRYPTION_KEY,
      idleMinutes: v.SESSION_IDLE_MINUTES,
      maxMinutes: v.SESSION_MAX_MINUTES,
      loginRate: { perMinute: v.LOGIN_RATE_PER_MINUTE, burst: v.LOGIN_RATE_BURST },
    },
    integrationAuth: {
      limit: { concurrent: v.INTEGRATION_PASSWORD_CHECKS, queued: v.INTEGRATION_PASSWORD_QUEUE },
      backoff: {
        failuresBeforeBackoff: v.INTEGRATION_FAILURES_BEFORE_BACKOFF,
        initialMs: v.INTEGRATION_BACKOFF_INITIAL_SECONDS * 1000,
        maxMs: Math.max(v.INTEGRATION_BACKOFF_MAX_SECONDS, v.INTEGRATION_BACKOFF_INITIAL_SECONDS) * 1000,
        windowMs: v.INTEGRATION_FAILURE_WINDOW_SECONDS * 1000,
      },
      credentialsMaxAgeMs: v.CREDENTIAL_CACHE_MAX_AGE_SECONDS * 1000,
    },
    securityEvents: {
      windowMs: v.SECURITY_EVENT_WINDOW_SECONDS * 1000,
      maxSources: v.SECURITY_EVENT_MAX_SOURCES,
    },
    maxBodyBytes: v.MAX_BODY_BYTES,
    documentMaxBytes: v.DOCUMENT_MAX_BYTES,
    limits: {
      maxDepth: v.MAX_OPERATION_DEPTH,
      maxAliases: v.MAX_OPERATION_ALIASES,
      maxRootFields: v.MAX_ROOT_FIELDS,
      maxDirectives: v.MAX_OPERATION_DIRECTIVES,
      maxTokens: v.MAX_OPERATION_TOKENS,
      maxCost: v.MAX_OPERATION_COST,
      listSizeEstimate: v.LIST_SIZE_ESTIMATE,
      listSizes: v.LIST_SIZE_ESTIMATES ?? {},
    },
    trustedOperations: {
      directory: v.OPERATIONS_DIR,
      checkIntervalMs: v.OPERATIONS_CHECK_INTERVAL_MS,
      personMode: v.OPERATIONS_PERSON_MODE,
      ceiling: {
        maxDepth: v.TRUSTED_OPERATION_MAX_DEPTH,
        maxAliases: v.TRUSTED_OPERATION_MAX_ALIASES,
        maxRootFields: v.TRUSTED_OPERATION_MAX_ROOT_FIELDS,
        maxDirectives: v.TRUSTED_OPERATION_MAX_DIRECTIVES,
        maxCost: v.TRUSTED_OPERATION_MAX_COST,
      },
    },
    auditLog: {
      signingKey: v.AUDIT_SIGNING_KEY,
      signingKeyFile: join(dirname(v.PGLITE_DIR), 'audit', 'signing-key.json'),
      witnessFile: v.AUDIT_WITNESS_FILE ?? join(dirname(v.PGLITE_DIR), 'audit', 'witness.jsonl'),
      checkpointIntervalMs: v.AUDIT_CHECKPOINT_INTERVAL_MS,
      retentionDays: v.AUDIT_RETENTION_DAYS,
      snoopingThreshold: v.AUDIT_SNOOPING_THRESHOLD,
    },
    documents: {
      // ./data/pglite → ./keys/document-kek.json: beside the data folder, not in it.
      keyFile: v.DOCUMENT_KEY_FILE ?? join(dirname(dirname(v.PGLITE_DIR)), 'keys', 'document-kek.json'),
      createKeyFile: v.FIKS_MODE !== 'production',
      contentDir: v.DOCUMENT_CONTENT_DIR ?? join(dirname(v.PGLITE_DIR), 'documents'),
      maxBytes: v.DOCUMENT_MAX_BYTES,
      linkTtlSeconds: v.DOCUMENT_LINK_TTL_SECONDS,
      uploadMaxSeconds: v.DOCUMENT_UPLOAD_MAX_SECONDS,
      purgeIntervalMs: v.DOCUMENT_PURGE_INTERVAL_MS,
    },
    rateLimit: {
      redisUrl: v.REDIS_URL,
      redisPrefix: v.RATE_LIMIT_REDIS_PREFIX,
      windowMs: v.RATE_LIMIT_WINDOW_SECONDS * 1000,
      max: {
        integration: v.RATE_LIMIT_INTEGRATION_MAX,
        person: v.RATE_LIMIT_PERSON_MAX,
        address: v.RATE_LIMIT_ADDRESS_MAX,
      },
    },
    sharedReplayGuard: v.REDIS_URL
      ? { redisUrl: v.REDIS_URL, redisPrefix: v.REPLAY_GUARD_REDIS_PREFIX }
      : undefined,
    seedDemoData: v.SEED_DEMO_DATA,
    logLevel: v.LOG_LEVEL,
  };
}
