// The SQL of browser sessions; nothing else in gateway/session talks to the database. Times are passed in from the
// module's clock (never the database's now()), so tests can drive idle and maximum age without waiting.
import { isAcr, type Acr } from '../../access/principal.ts';
import type { Db, Queryable } from '../../db/database.ts';

export interface LoginAttempt {
  state: string;
  browserHash: string;
  codeVerifierSealed: string;
  nonce: string;
  returnTo: string;
  /** The level this login asked ID-porten for (`/auth/login?acr=`); null: the configured minimum. */
  acr: Acr | null;
  createdAt: number;
}

export interface SessionRow {
  id: string;
  cookieHash: string;
  pidSealed: string;
  acr: string;
  sid: string | null;
  idTokenSealed: string;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  accessTokenExpiresAt: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

/** The sealed tokens a renewal replaces. */
export interface TokenUpdate {
  idTokenSealed: string;
  accessTokenSealed: string;
  refreshTokenSealed: string | null;
  accessTokenExpiresAt: number;
  lastSeenAt: number;
}

type Time = Date | string;
interface RawAttempt {
  state: string;
  browser_hash: string;
  code_verifier_sealed: string;
  nonce: string;
  return_to: string;
  acr: string | null;
  created_at: Time;
}
interface RawSession {
  id: string;
  cookie_hash: string;
  pid_sealed: string;
  acr: string;
  sid: string | null;
  id_token_sealed: string;
  access_token_sealed: string;
  refresh_token_sealed: string | null;
  access_token_expires_at: Time;
  created_at: Time;
  last_seen_at: Time;
  expires_at: Time;
}

const SESSION_COLUMNS = `id, cookie_hash, pid_sealed, acr, sid, id_token_sealed, access_token_sealed,
  refresh_token_sealed, access_token_expires_at, created_at, last_seen_at, expires_at`;

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (t: Time) => new Date(t).getTime();

function toSession(r: RawSession): SessionRow {
  return {
    id: r.id,
    cookieHash: r.cookie_hash,
    pidSealed: r.pid_sealed,
    acr: r.acr,
    sid: r.sid,
    idTokenSealed: r.id_token_sealed,
    accessTokenSealed: r.access_token_sealed,
    refreshTokenSealed: r.refresh_token_sealed,
    accessTokenExpiresAt: ms(r.access_token_expires_at),
    createdAt: ms(r.created_at),
    lastSeenAt: ms(r.last_seen_at),
    expiresAt: ms(r.expires_at),
  };
}

export interface SessionStore {
  insertAttempt(attempt: LoginAttempt): Promise<void>;
  /** Deletes and returns the attempt: a state is good for one callback, whatever its outcome. */
  takeAttempt(state: string): Promise<LoginAttempt | undefined>;
  pruneAttempts(createdBefore: number): Promise<void>;
  insertSession(row: SessionRow): Promise<void>;
  findByCookieHash(cookieHash: string): Promise<SessionRow | undefined>;
  touch(id: string, at: number): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Deletes and returns the session the cookie names, live or not. */
  takeByCookieHash(cookieHash: string): Promise<SessionRow | undefined>;
  /** Deletes and returns the sessions of one ID-porten session (front-channel logout). */
  takeBySid(sid: string): Promise<SessionRow[]>;
  pruneSessions(now: number, lastSeenBefore: number): Promise<void>;
  /**
   * Runs fn with the session row locked (`for update`), so two gateway processes renewing one session take turns;
   * fn gets the row as it is once the lock is held, and may update or delete it.
   */
  withLockedSession<T>(
    id: string,
    fn: (
      row: SessionRow | undefined,
      ops: { update(tokens: TokenUpdate): Promise<void>; remove(): Promise<void> },
    ) => Promise<T>,
  ): Promise<T>;
}

export function createSessionStore(db: Db): SessionStore {
  const remove = (q: Queryable, id: string) => q.query('delete from gateway.session where id = $1', [id]);
  return {
    async insertAttempt(a) {
      await db.query(
        `insert into gateway.login_attempt
           (state, browser_hash, code_verifier_sealed, nonce, return_to, acr, created_at)
         values ($1, $2, $3, $4, $5, $6, $7)`,
        [a.state, a.browserHash, a.codeVerifierSealed, a.nonce, a.returnTo, a.acr, iso(a.createdAt)],
      );
    },
    async takeAttempt(state) {
      const [r] = await db.query<RawAttempt>(
        'delete from gateway.login_attempt where state = $1 returning *',
        [state],
      );
      return r
        ? {
            state: r.state,
            browserHash: r.browser_hash,
            codeVerifierSealed: r.code_verifier_sealed,
            nonce: r.nonce,
            returnTo: r.return_to,
            acr: isAcr(r.acr) ? r.acr : null,
            createdAt: ms(r.created_at),
          }
        : undefined;
    },
    async pruneAttempts(createdBefore) {
      await db.query('delete from gateway.login_attempt where created_at < $1', [iso(createdBefore)]);
    },
    async insertSession(s) {
      await db.query(
        `insert into gateway.session (${SESSION_COLUMNS})
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          s.id,
          s.cookieHash,
          s.pidSealed,
          s.acr,
          s.sid,
          s.idTokenSealed,
          s.accessTokenSealed,
          s.refreshTokenSealed,
          iso(s.accessTokenExpiresAt),
          iso(s.createdAt),
          iso(s.lastSeenAt),
          iso(s.expiresAt),
        ],
      );
    },
    async findByCookieHash(cookieHash) {
      const [r] = await db.query<RawSession>(
        `select ${SESSION_COLUMNS} from gateway.session where cookie_hash = $1`,
        [cookieHash],
      );
      return r && toSession(r);
    },
    async touch(id, at) {
      await db.query('update gateway.session set last_seen_at = $2 where id = $1 and last_seen_at < $2', [
        id,
        iso(at),
      ]);
    },
    async deleteSession(id) {
      await remove(db, id);
    },
    async takeByCookieHash(cookieHash) {
      const [r] = await db.query<RawSession>(
        `delete from gateway.session where cookie_hash = $1 returning ${SESSION_COLUMNS}`,
        [cookieHash],
      );
      return r && toSession(r);
    },
    async takeBySid(sid) {
      const rows = await db.query<RawSession>(
        `delete from gateway.session where sid = $1 returning ${SESSION_COLUMNS}`,
        [sid],
      );
      return rows.map(toSession);
    },
    async pruneSessions(now, lastSeenBefore) {
      await db.query('delete from gateway.session where expires_at <= $1 or last_seen_at < $2', [
        iso(now),
        iso(lastSeenBefore),
      ]);
    },
    withLockedSession(id, fn) {
      return db.transaction(async (tx) => {
        const [r] = await tx.query<RawSession>(
          `select ${SESSION_COLUMNS} from gateway.session where id = $1 for update`,
          [id],
        );
        return fn(r && toSession(r), {
          async update(t) {
            await tx.query(
              `update gateway.session set id_token_sealed = $2, access_token_sealed = $3,
                 refresh_token_sealed = $4, access_token_expires_at = $5, last_seen_at = $6
               where id = $1`,
              [
                id,
                t.idTokenSealed,
                t.accessTokenSealed,
                t.refreshTokenSealed,
                iso(t.accessTokenExpiresAt),
                iso(t.lastSeenAt),
              ],
            );
          },
          async remove() {
            await remove(tx, id);
          },
        });
      });
    },
  };
}
