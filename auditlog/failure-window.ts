// Counted security events: failed logins, failed authentications and refused operations arrive as fast as an attacker
// sends them, so each is counted in memory and written as ONE audit event per (action, actor, key) and window, with
// the count and the distinct reasons. A flood of a million failures from one address is one event a minute, never a
// million rows (OWASP Logging Cheat Sheet: the log must not become the denial of service).
//
// - A window opens at an aggregate's first occurrence and closes `windowMs` later; a later occurrence opens the next.
//   An unref'd timer writes closed windows (it never holds the process open); close() writes the open ones too.
// - Memory is bounded: at most `maxSources` aggregates at once; beyond them, occurrences are counted in one overflow
//   aggregate per action (payload `overflow: true`), and every collected list holds at most `maxDistinct` values.
// - A failed write is reported to `onWriteError` and dropped: a refusal already answered cannot be undone, and
//   retrying without bound would turn a database outage into a memory leak.
import type { AuditEvent } from './event.ts';
import type { AuditAppender } from './group-commit.ts';

/** An unauthenticated source: no actor to name; where it came from and what it claimed are in the payload. */
export const ANONYMOUS_ACTOR: Pick<AuditEvent, 'actorType' | 'actorId' | 'onBehalfOf'> = {
  actorType: 'ANONYMOUS',
  actorId: '-',
  onBehalfOf: null,
};

export interface CountedEvent {
  /** LOGIN_FAILED, INTEGRATION_AUTHENTICATION_FAILED, OPERATION_REFUSED, ... */
  action: string;
  actor: Pick<AuditEvent, 'actorType' | 'actorId' | 'onBehalfOf'>;
  orgnr: string | null;
  /** What, besides action and actor, tells one aggregate from another (source address, claimed id, code); stored
   * in the payload as given. Never a password, token or secret. */
  key: Record<string, string | boolean | null>;
  /** Why, as a stable code (`wrong_password`, `unknown_state`, ...); collected as the distinct `reasons`. */
  reason?: string;
  /** Further values collected distinct per aggregate, e.g. `{ operations: ['Me'], fields: ['Query.secret'] }`. */
  details?: Record<string, readonly string[]>;
  /** The request it happened in; the aggregate keeps the first, so an operator can find a log line. */
  requestId?: string | null;
}

export interface FailureWindowOptions {
  appender: AuditAppender;
  /** The component writing the events, e.g. `gateway`. */
  service: string;
  /** @default 60000 */
  windowMs?: number;
  /** Aggregates counted at once before the overflow aggregate takes over. @default 1000 */
  maxSources?: number;
  /** Most distinct values kept in `reasons` and in each details list. @default 20 */
  maxDistinct?: number;
  now?: () => number;
  /** Called when closed windows could not be written (they are dropped). @default ignore */
  onWriteError?: (error: unknown, events: number) => void;
}

export interface FailureWindow {
  record(event: CountedEvent): void;
  /** Writes every window closed by now (every window, with `all`); resolves once every write under way is done. */
  flush(options?: { all?: boolean }): Promise<void>;
  /** Writes every window, waits for writes under way and stops the timer; later records wait for a flush. */
  close(): Promise<void>;
}

interface Aggregate {
  event: CountedEvent;
  openedAt: number;
  lastAt: number;
  count: number;
  requestId: string | null;
  reasons: Set<string>;
  details: Map<string, Set<string>>;
}

/** A stable code: lower case, digits and underscores, at most 60; anything else (a value an attacker chose) is
 * `other`. Library codes (`OAUTH_INVALID_RESPONSE`) are lower-cased first. */
const CODE = /^[a-z][a-z0-9_]{0,59}$/;
function reasonCode(reason: string): string {
  const code = reason.toLowerCase();
  return CODE.test(code) ? code : 'other';
}
const MAX_VALUE_LENGTH = 200;

export function createFailureWindow(options: FailureWindowOptions): FailureWindow {
  const windowMs = options.windowMs ?? 60_000;
  const maxSources = options.maxSources ?? 1000;
  const maxDistinct = options.maxDistinct ?? 20;
  const now = options.now ?? Date.now;
  const open = new Map<string, Aggregate>();
  const writing = new Set<Promise<void>>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function keyOf(e: CountedEvent): string {
    return JSON.stringify([e.action, e.actor.actorType, e.actor.actorId, e.actor.onBehalfOf, e.orgnr, e.key]);
  }

  function collect(set: Set<string>, value: string) {
    if (set.size < maxDistinct) set.add(value.slice(0, MAX_VALUE_LENGTH));
  }

  function toEvent(a: Aggregate): AuditEvent {
    const details = Object.fromEntries([...a.details].map(([name, values]) => [name, [...values].sort()]));
    return {
      ...a.event.actor,
      orgnr: a.event.orgnr,
      action: a.event.action,
      service: options.service,
      requestId: a.requestId,
      payload: {
        ...a.event.key,
        count: a.count,
        reasons: [...a.reasons].sort(),
        ...details,
        firstAt: new Date(a.openedAt).toISOString(),
        lastAt: new Date(a.lastAt).toISOString(),
        windowSeconds: windowMs / 1000,
      },
    };
  }

  /** Writes aggregates; close() waits for every write started, also the timer's. */
  function write(done: Aggregate[]): Promise<void> {
    if (done.length === 0) return Promise.resolve();
    const written = options.appender.append(done.map(toEvent)).then(
      () => undefined,
      (error: unknown) => options.onWriteError?.(error, done.length),
    );
    writing.add(written);
    void written.finally(() => writing.delete(written));
    return written;
  }

  function take(all: boolean): Aggregate[] {
    const at = now();
    const done: Aggregate[] = [];
    for (const [key, a] of open) {
      if (all || a.openedAt + windowMs <= at) {
        done.push(a);
        open.delete(key);
      }
    }
    return done;
  }

  function arm() {
    if (timer || closed || open.size === 0) return;
    const earliest = Math.min(...[...open.values()].map((a) => a.openedAt));
    timer = setTimeout(
      () => {
        timer = undefined;
        void write(take(false)).finally(arm);
      },
      Math.max(earliest + windowMs - now(), 0),
    );
    timer.unref();
  }

  return {
    record(event) {
      const at = now();
      let key = keyOf(event);
      let a = open.get(key);
      if (a && a.openedAt + windowMs <= at) {
        // Its window closed before the timer wrote it: write it now, and this occurrence opens the next one.
        open.delete(key);
        void write([a]);
        a = undefined;
      }
      if (!a && open.size >= maxSources) {
        // Past the cap: counted together, without the source (that is what would need the memory).
        event = {
          action: event.action,
          actor: ANONYMOUS_ACTOR,
          orgnr: null,
          key: { overflow: true },
          reason: event.reason,
        };
        key = keyOf(event);
        a = open.get(key);
      }
      if (!a) {
        a = {
          event,
          openedAt: at,
          lastAt: at,
          count: 0,
          requestId: event.requestId ?? null,
          reasons: new Set(),
          details: new Map(),
        };
        open.set(key, a);
      }
      a.count += 1;
      a.lastAt = at;
      if (event.reason !== undefined) collect(a.reasons, reasonCode(event.reason));
      for (const [name, values] of Object.entries(event.details ?? {})) {
        let set = a.details.get(name);
        if (!set) a.details.set(name, (set = new Set()));
        for (const value of values) collect(set, value);
      }
      arm();
    },
    async flush(flushOptions = {}) {
      void write(take(flushOptions.all ?? false));
      await Promise.all([...writing]);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      void write(take(true));
      await Promise.all([...writing]);
    },
  };
}
