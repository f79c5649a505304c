// Database access for the subgraphs: one small interface over PostgreSQL (pg) and embedded PGlite, so every store
// runs unchanged on both. Only store modules and the migration runner use it.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  checkChannelName,
  listenOnPostgres,
  type NotificationHandlers,
  type NotificationSubscription,
} from './notifications.ts';

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly kind: 'postgres' | 'pglite';
  /**
   * LISTENs for a channel on a connection of its own (db/notifications.ts): handlers hear each notification, and
   * when listening is confirmed or lost. Optional: a Db without it offers no notifications, and whoever would rely
   * on them must behave as if they were lost.
   */
  listen?(channel: string, handlers: NotificationHandlers): NotificationSubscription;
}

export type { NotificationHandlers, NotificationSubscription } from './notifications.ts';

export type DatabaseTarget = { kind: 'postgres'; url: string } | { kind: 'pglite'; dir?: string };

export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  return target.kind === 'postgres' ? openPostgres(target.url) : openPglite(target.dir);
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the process; the pool replaces the client.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<R>(text: string, params?: readonly unknown[]) {
      const result = await pool.query(text, params as unknown[] | undefined);
      return result.rows as R[];
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx = {
          async query<R>(text: string, params?: readonly unknown[]) {
            return (await client.query(text, params as unknown[] | undefined)).rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        };
        const result = await fn(tx);
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    listen(channel, handlers) {
      return listenOnPostgres(url, channel, handlers);
    },
    async close() {
      await pool.end();
    },
  };
}

async function openPglite(dir: string | undefined): Promise<Db> {
  if (dir) await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  return {
    kind: 'pglite',
    async query<R>(text: string, params?: readonly unknown[]) {
      return (await db.query<R>(text, params as unknown[] | undefined)).rows;
    },
    transaction(fn) {
      return db.transaction((t) =>
        fn({
          async query<R>(text: string, params?: readonly unknown[]) {
            return (await t.query<R>(text, params as unknown[] | undefined)).rows;
          },
          async exec(sql: string) {
            await t.exec(sql);
          },
        }),
      );
    },
    // In process there is no connection to lose: once LISTEN is confirmed, every notification arrives, delivered
    // before the notifying statement's (or commit's) promise resolves.
    listen(channel, handlers) {
      let closed = false;
      const unlisten = db.listen(checkChannelName(channel), (payload) => {
        if (!closed) handlers.notification(payload);
      });
      unlisten.then(
        () => {
          if (!closed) handlers.listening();
        },
        (error: unknown) => handlers.lost(error),
      );
      return {
        async close() {
          closed = true;
          const unsubscribe = await unlisten.catch(() => undefined);
          await unsubscribe?.().catch(() => undefined);
        },
      };
    },
    async close() {
      await db.close();
    },
  };
}
