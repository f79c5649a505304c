// The credential cache (gateway/auth/credential-cache.ts) kept fresh by the integrations subgraph's notifications
// (credential-freshness.ts, migration 006), against a real database on both backends: a committed change evicts the
// integration, a lookup overtaken by a change is not kept, and while notifications are not heard nothing is kept.
// Nothing here waits on a timer: each step waits for the event it needs (a notification heard, a state entered).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { integrationCredentials } from '../../access/integration-credentials.ts';
import { createLogger } from '../../common/logger.ts';
import { openDatabase, type Db, type NotificationHandlers } from '../../db/database.ts';
import { migrate } from '../../db/migrations.ts';
import { LISTENER_APPLICATION_NAME } from '../../db/notifications.ts';
import { createScratchDatabase } from '../../db/scratch-database.ts';
import { createCredentialCache, type CredentialCache } from '../../gateway/auth/credential-cache.ts';
import { keepCredentialsFresh, type CredentialFreshness } from '../../gateway/auth/credential-freshness.ts';
import { integrations } from '../../subgraphs/integrations/index.ts';
import { POSTGRES_URL } from '../support/database.ts';

/** Both backends in every run: PostgreSQL on the server the suite is given, else this machine's. */
const SERVER_URL =
  POSTGRES_URL ?? process.env.POSTGRES_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ORGNR = '933000001';

/** The cache as the gateway uses it, with each eviction observable: a test awaits the one it caused. */
function observed(cache: CredentialCache) {
  const evictions: string[] = [];
  let waiting: { count: number; resolve: () => void }[] = [];
  const note = (what: string) => {
    evictions.push(what);
    waiting = waiting.filter((w) => (evictions.length >= w.count ? (w.resolve(), false) : true));
  };
  const wrapper: CredentialCache = {
    get: (id) => cache.get(id),
    evict(id) {
      cache.evict(id);
      note(id);
    },
    clear() {
      cache.clear();
      note('*');
    },
    resume: () => cache.resume(),
    suspend: () => cache.suspend(),
    get caching() {
      return cache.caching;
    },
    get size() {
      return cache.size;
    },
  };
  return {
    cache: wrapper,
    evictions,
    /** Resolves once `count` evictions in all have been heard. */
    evicted: (count: number) =>
      evictions.length >= count
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiting.push({ count, resolve })),
  };
}

/** A Db whose notifications the test cuts and restores; the queries are the real database's. */
function cuttableChannel(db: Db) {
  let handlers: NotificationHandlers | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  const connect = () => {
    const subscription = db.listen!('integration_credentials', handlers!);
    unlisten = () => subscription.close();
  };
  const channelDb: Db = {
    ...db,
    listen(_channel, h) {
      handlers = h;
      connect();
      return { close: () => unlisten!() };
    },
  };
  return {
    db: channelDb,
    async cut() {
      await unlisten!();
      handlers!.lost(Object.assign(new Error('cut by the test'), { code: 'ECONNRESET' }));
    },
    restore: connect,
  };
}

const backends = [
  ['PGlite', () => Promise.resolve({ target: { kind: 'pglite' as const }, drop: () => Promise.resolve() })],
  ['PostgreSQL', () => createScratchDatabase(SERVER_URL, 'fiks_test')],
] as const;

describe.each(backends)('gateway / integration credential cache on %s', (backend, scratch) => {
  let db: Db;
  let drop: () => Promise<void>;
  const logs: string[] = [];
  const logger = createLogger({ level: 'info', name: 'test', destination: { write: (l) => logs.push(l) } });
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    const made = await scratch();
    drop = () => made.drop();
    db = await openDatabase(made.target);
    await migrate(db, 'integrations', integrations.migrations);
  });
  // Each test's listener ends with it, so a test that kills listening connections finds its own only.
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await db.close();
    await drop();
  });

  async function newIntegration(): Promise<string> {
    const rows = await db.query<{ id: string }>(
      `insert into integrations.integration (name, owner_orgnr, authorized_orgnr, password_hash)
       values ('Arkiv', $1, $1, 'scrypt$first') returning id`,
      [ORGNR],
    );
    return rows[0]!.id;
  }

  /** A cache over the real lookup, counting the reads, kept fresh by the real (or a cuttable) channel. */
  async function listeningCache(
    options: { channelDb?: Db; now?: () => number; beforeStore?: (id: string) => Promise<void> } = {},
  ) {
    let reads = 0;
    const inner = createCredentialCache(
      (id) => {
        reads += 1;
        return integrationCredentials(db, id);
      },
      { maxAgeMs: 60_000, now: options.now, beforeStore: options.beforeStore },
    );
    const watched = observed(inner);
    const freshness: CredentialFreshness = keepCredentialsFresh(
      options.channelDb ?? db,
      watched.cache,
      logger,
    );
    closers.push(() => freshness.close());
    await freshness.whenState('listening');
    return { ...watched, freshness, reads: () => reads };
  }

  it('keeps a looked-up row and reads it again once a change to it is committed, in either case of the id', async () => {
    const id = await newIntegration();
    const { cache, evicted, evictions, reads } = await listeningCache();
    expect((await cache.get(id))?.passwordHash).toBe('scrypt$first');
    expect((await cache.get(id.toUpperCase()))?.passwordHash).toBe('scrypt$first');
    expect(reads()).toBe(1);

    await db.query(`update integrations.integration set password_hash = 'scrypt$second' where id = $1`, [id]);
    await evicted(1);
    expect(evictions).toEqual([id]);
    expect((await cache.get(id.toUpperCase()))?.passwordHash).toBe('scrypt$second');
    expect(reads()).toBe(2);
  });

  it('hears every change the credential lookup reads, a creation and a removal, at commit and never a rollback', async () => {
    const id = await newIntegration();
    const { evicted, evictions } = await listeningCache();
    const changes = [
      () => db.query('update integrations.integration set enabled = false where id = $1', [id]),
      () =>
        db.query(`update integrations.integration set authorized_orgnr = '933000002' where id = $1`, [id]),
      () => db.query(`update integrations.integration set operations_mode = 'audit' where id = $1`, [id]),
      () =>
        db.query(
          'update integrations.integration set operations_version = operations_version + 1 where id = $1',
          [id],
        ),
      () => db.query('update integrations.integration set password_hash = null where id = $1', [id]),
    ];
    for (const [i, change] of changes.entries()) {
      await change();
      await evicted(i + 1);
    }
    // Inside a transaction nothing is heard until it commits; a rolled-back change is never heard.
    await db
      .transaction(async (tx) => {
        await tx.query(`update integrations.integration set enabled = true where id = $1`, [id]);
        expect(evictions).toHaveLength(changes.length);
        throw new Error('rolled back');
      })
      .catch(() => undefined);
    // The next heard is another integration's removal, not the rolled-back change.
    const other = await newIntegration();
    await evicted(changes.length + 1);
    await db.query(`delete from integrations.integration where id = $1`, [other]);
    await evicted(changes.length + 2);
    expect(evictions).toEqual([...changes.map(() => id), other, other]);
  });

  it('does not keep a row read before a change whose notification arrived before the row was stored', async () => {
    const id = await newIntegration();
    let raced = false;
    const { cache, evicted, reads } = await listeningCache({
      // The read is done; before it is stored, the password is rotated and the notification is heard.
      beforeStore: async () => {
        if (raced) return;
        raced = true;
        await db.query(`update integrations.integration set password_hash = 'scrypt$rotated' where id = $1`, [
          id,
        ]);
        await evicted(1);
      },
    });
    // The lookup that raced answers what it read (the change committed after it was asked) …
    expect((await cache.get(id))?.passwordHash).toBe('scrypt$first');
    // … but is not kept: the next call reads the rotated hash.
    expect(cache.size).toBe(0);
    expect((await cache.get(id))?.passwordHash).toBe('scrypt$rotated');
    expect(reads()).toBe(2);
  });

  it('keeps a row no longer than its max age, notification or not', async () => {
    const id = await newIntegration();
    let now = 0;
    const { cache, reads } = await listeningCache({ now: () => now });
    await cache.get(id);
    now += 59_999;
    await cache.get(id);
    expect(reads()).toBe(1);
    now += 1;
    await cache.get(id);
    expect(reads()).toBe(2);
  });

  it('keeps nothing while notifications are not heard, and caches again only once they are back', async () => {
    const id = await newIntegration();
    const channel = cuttableChannel(db);
    const { cache, freshness, reads } = await listeningCache({ channelDb: channel.db });
    await cache.get(id);
    await cache.get(id);
    expect(reads()).toBe(1);

    await channel.cut();
    expect(freshness.state).toBe('not listening');
    expect(cache.size).toBe(0);
    // A change made while nothing is heard is seen at once: every call reads its row.
    await db.query(`update integrations.integration set enabled = false where id = $1`, [id]);
    expect((await cache.get(id))?.enabled).toBe(false);
    expect((await cache.get(id))?.enabled).toBe(false);
    expect(reads()).toBe(3);
    expect(await freshness.readiness.check(AbortSignal.timeout(1000))).toBe('degraded');
    const lost = logs.filter((l) => l.includes('credential notifications lost'));
    expect(lost).toHaveLength(1);
    expect(JSON.parse(lost[0]!)).toMatchObject({ level: 40, errorCode: 'ECONNRESET' });
    expect(lost[0]).not.toContain('cut by the test');

    channel.restore();
    await freshness.whenState('listening');
    await cache.get(id);
    await cache.get(id);
    expect(reads()).toBe(4);
    expect(await freshness.readiness.check(AbortSignal.timeout(1000))).toBe('ready');
  });

  // Only PostgreSQL has a connection to lose; PGlite listens in process.
  if (backend === 'PostgreSQL')
    it('stops caching when its listening connection is killed, reconnects, and hears changes again', async () => {
      const id = await newIntegration();
      const { cache, freshness, evicted, reads } = await listeningCache();
      await cache.get(id);
      await cache.get(id);
      expect(reads()).toBe(1);

      const lost = freshness.whenState('not listening');
      const killed = await db.query<{ killed: boolean }>(
        `select pg_terminate_backend(pid) as killed from pg_stat_activity
          where application_name = $1 and datname = current_database()`,
        [LISTENER_APPLICATION_NAME],
      );
      expect(killed).toEqual([{ killed: true }]);
      await lost;
      // Checked before any timer runs, so before any reconnect: nothing kept, nothing to be kept.
      expect(cache.caching).toBe(false);
      expect(cache.size).toBe(0);

      await freshness.whenState('listening');
      await cache.get(id);
      await cache.get(id);
      expect(reads()).toBe(2);
      await db.query(`update integrations.integration set enabled = false where id = $1`, [id]);
      await evicted(1);
      expect((await cache.get(id))?.enabled).toBe(false);
    });
});
