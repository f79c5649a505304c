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
import { settingsStatement, type TransactionSettings } from './transaction-settings.ts';

export interface Queryable {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
}

/** Transaction-local settings for the statements of one transaction (e.g. the caller, for row-level security). */
export interface TransactionOptions {
  /** `set_config(name, value, true)` for each, in this order, before the transaction's first statement; names and
   * values are sent as parameters. On PostgreSQL they travel with `begin`, in the same round trip. */
  settings?: TransactionSettings;
}

export interface Db extends Queryable {
  /** One statement. With settings, in a transaction of its own: on PostgreSQL `begin` with the settings in one
   * round trip, the statement with `commit` in a second. */
  query<R = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
    options?: TransactionOptions,
  ): Promise<R[]>;
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  transaction<T>(
    fn: (tx: Queryable & { exec(sql: string): Promise<void> }) => Promise<T>,
    options?: TransactionOptions,
  ): Promise<T>;
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
  // Pipeline mode (pg's `pipeline`): a statement issued while the one before is still unanswered is sent at once
  // instead of queued, so `begin` and a transaction's settings share one round trip, and a lone statement and its
  // `commit` another. The server still runs them one by one, in the order sent.
  const pool = new pg.Pool({ connectionString: url, max: 10, pipeline: true });
  // An idle client's error (server restart) must not crash the process; the pool replaces the client.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<R>(text: string, params?: readonly unknown[], options?: TransactionOptions) {
      if (!options?.settings?.length)
        return (await pool.query(text, params as unknown[] | undefined)).rows as R[];
      return inTransaction(pool, options, async (client) => {
        // Sent together: a failed statement leaves the transaction aborted, and the commit of an aborted transaction
        // rolls it back, so nothing of a failed statement is ever committed.
        const [statement, commit] = await Promise.allSettled([
          client.query(text, params as unknown[] | undefined),
          client.query('commit'),
        ]);
        if (statement.status === 'rejected') throw statement.reason;
        if (commit.status === 'rejected') throw commit.reason;
        return statement.value.rows as R[];
      });
    },
    transaction(fn, options) {
      return inTransaction(pool, options, async (client) => {
        const result = await fn({
          async query<R>(text: string, params?: readonly unknown[]) {
            return (await client.query(text, params as unknown[] | undefined)).rows as R[];
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('commit');
        return result;
      });
    },
    listen(channel, handlers) {
      return listenOnPostgres(url, channel, handlers);
    },
    async close() {
      await pool.end();
    },
  };
}

/** `begin` and the settings, then body, which commits; rolled back when anything throws. */
async function inTransaction<T>(
  pool: pg.Pool,
  options: TransactionOptions | undefined,
  body: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await begin(client, options?.settings ?? []);
    return await body(client);
  } catch (error) {
    // Nothing to roll back when the server said the transaction is over (a failed statement's pipelined commit
    // ended it as a rollback). A client whose rollback failed may still be inside a transaction: it is destroyed,
    // never lent again.
    if (client.getTransactionStatus() !== 'I') {
      await client.query('rollback').catch((rollbackError: unknown) => {
        broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
      });
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Opens the transaction with its settings in place; nothing of the transaction is sent before this resolves. */
async function begin(client: pg.PoolClient, settings: NonNullable<TransactionOptions['settings']>) {
  if (settings.length === 0) {
    await client.query('begin');
    return;
  }
  const statement = settingsStatement(settings);
  const [begun, applied] = await Promise.allSettled([
    client.query('begin'),
    // eslint-disable-next-line fiks/no-sql-interpolation -- placeholders only (db/transaction-settings.ts).
    client.query(statement.text, statement.params),
  ]);
  if (begun.status === 'rejected') throw begun.reason;
  if (applied.status === 'rejected') throw applied.reason;
  // A transaction-local setting made outside a transaction block lasts only its own statement: had `begin` not
  // taken, the statements to come would run without the settings. ReadyForQuery says 'T' inside a block.
  if (client.getTransactionStatus() !== 'T') throw new Error('transaction settings outside a transaction');
}

async function openPglite(dir: string | undefined): Promise<Db> {
  if (dir) await mkdir(dir, { recursive: true });
  const db = await PGlite.create(dir ? { dataDir: dir } : {});
  // In process: a "round trip" is a function call, so the settings are simply the transaction's first statement.
  const transaction: Db['transaction'] = (fn, options) =>
    db.transaction(async (t) => {
      if (options?.settings?.length) {
        const statement = settingsStatement(options.settings);
        // eslint-disable-next-line fiks/no-sql-interpolation -- placeholders only (db/transaction-settings.ts).
        await t.query(statement.text, statement.params);
      }
      return fn({
        async query<R>(text: string, params?: readonly unknown[]) {
          return (await t.query<R>(text, params as unknown[] | undefined)).rows;
        },
        async exec(sql: string) {
          await t.exec(sql);
        },
      });
    });
  return {
    kind: 'pglite',
    async query<R>(text: string, params?: readonly unknown[], options?: TransactionOptions) {
      if (options?.settings?.length) return transaction((tx) => tx.query<R>(text, params), options);
      return (await db.query<R>(text, params as unknown[] | undefined)).rows;
    },
    transaction,
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
