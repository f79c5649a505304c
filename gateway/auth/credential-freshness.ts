// Keeps the credential cache (credential-cache.ts) honest across replicas: it LISTENs for the integrations
// subgraph's notifications on a connection of its own and evicts the integration each one names. Other replicas'
// changes therefore stop a call here once PostgreSQL has delivered the notification — a network round trip after
// the commit — and at the latest after the cache's max age. While listening is not confirmed (at start, or after
// the connection was lost, until it is back) the cache keeps nothing: every call reads its row, as before the cache.
// The readiness endpoint says `degraded` meanwhile — slower, not wrong.
import { DEGRADED, type ReadinessCheck } from '../../common/readiness.ts';
import type { Logger } from '../../common/logger.ts';
import { isUuid } from '../../common/identifiers.ts';
import type { Db } from '../../db/database.ts';
import type { CredentialCache } from './credential-cache.ts';

/** The channel subgraphs/integrations/migrations/006_credential_notifications.sql notifies on. */
export const CREDENTIALS_CHANNEL = 'integration_credentials';

export type FreshnessState = 'listening' | 'not listening';

export interface CredentialFreshness {
  readonly state: FreshnessState;
  /** Resolves once the state is (or becomes) this one. */
  whenState(state: FreshnessState): Promise<void>;
  /** For /readyz: ready while listening, degraded (still serving, every call reading its row) otherwise. */
  readiness: ReadinessCheck;
  /** Resolves at the first answer to LISTEN, confirmed or lost (at once without notifications): the gateway starts
   * once it knows, so its first readiness answer is not a guess. */
  settled: Promise<void>;
  close(): Promise<void>;
}

export function keepCredentialsFresh(db: Db, cache: CredentialCache, logger: Logger): CredentialFreshness {
  let state: FreshnessState = 'not listening';
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const waiting: { state: FreshnessState; resolve: () => void }[] = [];
  const enter = (next: FreshnessState) => {
    state = next;
    for (const waiter of waiting.splice(0)) {
      if (waiter.state === next) waiter.resolve();
      else waiting.push(waiter);
    }
  };
  const subscription = db.listen?.(CREDENTIALS_CHANNEL, {
    listening() {
      cache.resume();
      enter('listening');
      settle();
      logger.info(
        { channel: CREDENTIALS_CHANNEL },
        'credential notifications heard: caching integration credentials',
      );
    },
    lost(error) {
      cache.suspend();
      const wasListening = state === 'listening';
      enter('not listening');
      settle();
      // Once per loss, not once per failed reconnect; the error's class and code say why, its message stays out.
      if (wasListening) {
        const { name: errorClass, code: errorCode } = error as { name?: string; code?: unknown };
        logger.warn(
          { channel: CREDENTIALS_CHANNEL, errorClass, errorCode },
          'credential notifications lost: every integration call reads its credentials until they are back',
        );
      }
    },
    notification(payload) {
      // An id names one integration; anything else (a truncate's empty payload) means all of them.
      if (isUuid(payload)) cache.evict(payload);
      else cache.clear();
    },
  });
  if (!subscription) {
    logger.warn('this database offers no notifications: integration credentials are read on every call');
    settle();
  }
  return {
    get state() {
      return state;
    },
    whenState(wanted) {
      if (state === wanted) return Promise.resolve();
      return new Promise((resolve) => waiting.push({ state: wanted, resolve }));
    },
    settled,
    readiness: {
      name: 'credential-notifications',
      check: () => Promise.resolve(state === 'listening' ? 'ready' : DEGRADED),
    },
    async close() {
      cache.suspend();
      await subscription?.close();
    },
  };
}
