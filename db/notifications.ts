// LISTEN for one channel on a connection of its own, told apart from the pool: a pooled client would stop listening
// the moment it is returned. Whoever listens must know when it may have missed a notification, so the handlers hear
// not only each notification but when listening is confirmed and when it is lost; a lost connection is replaced
// with a growing delay, until the subscription is closed.
import pg from 'pg';

export interface NotificationHandlers {
  /** LISTEN is confirmed (at first, and again after each reconnect): from now on every notification arrives. */
  listening(): void;
  /** The listening connection failed or ended: notifications may be missed until listening() is heard again. */
  lost(error: unknown): void;
  /** A notification's payload, delivered after the notifying transaction committed. */
  notification(payload: string): void;
}

export interface NotificationSubscription {
  close(): Promise<void>;
}

export interface ReconnectOptions {
  /** The first wait before connecting again; it doubles with each failure. @default 250 */
  initialMs?: number;
  /** @default 30_000 */
  maxMs?: number;
}

/** Channels are SQL identifiers, quoted here; only plain lower-case names are accepted, so quoting is exact. */
export function checkChannelName(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  return channel;
}

/** The application_name of listening connections, so an operator (or a test) can tell them apart. */
export const LISTENER_APPLICATION_NAME = 'fiks-gateway-listener';

export function listenOnPostgres(
  url: string,
  channel: string,
  handlers: NotificationHandlers,
  options: ReconnectOptions = {},
): NotificationSubscription {
  checkChannelName(channel);
  const initialMs = options.initialMs ?? 250;
  const maxMs = options.maxMs ?? 30_000;
  let delayMs = initialMs;
  let closed = false;
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  function scheduleReconnect() {
    if (closed) return;
    // unref'd: a gateway shutting down does not wait for a reconnect that no longer matters.
    retry = setTimeout(() => void connect(), delayMs);
    retry.unref();
    delayMs = Math.min(delayMs * 2, maxMs);
  }

  async function connect() {
    const client = new pg.Client({
      connectionString: url,
      application_name: LISTENER_APPLICATION_NAME,
      // A server that never answers (to the connection or to LISTEN) is a lost connection too, not a wait without
      // end: the gateway waits for the first answer before it starts.
      connectionTimeoutMillis: 10_000,
      query_timeout: 10_000,
      keepAlive: true,
    });
    current = client;
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      if (current === client) current = undefined;
      client.end().catch(() => undefined);
      if (closed) return;
      handlers.lost(error);
      scheduleReconnect();
    };
    client.on('error', fail);
    client.on('end', () => fail(new Error('the listening connection ended')));
    client.on('notification', (message) => {
      if (!failed && message.channel === channel) handlers.notification(message.payload ?? '');
    });
    try {
      await client.connect();
      // LISTEN takes no parameters; the channel passed checkChannelName (a plain lower-case identifier) above.
      // eslint-disable-next-line fiks/no-sql-interpolation -- a checked identifier, quoted
      await client.query(`listen "${channel}"`);
    } catch (error) {
      fail(error);
      return;
    }
    if (closed) {
      await client.end().catch(() => undefined);
      return;
    }
    if (failed) return;
    delayMs = initialMs;
    handlers.listening();
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
