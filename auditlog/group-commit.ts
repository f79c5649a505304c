// Group commit: events of concurrent requests are written together, one statement (one transaction, one commit and
// so one WAL flush) for all that arrived while the previous write was in flight. Each request's promise settles only
// when its own events are durable, or rejects when they cannot be (the request then fails closed). Under no load a
// request pays one write; under load the cost of a commit is shared by every request in its group.
import type { Queryable } from '../db/database.ts';
import { appendAuditEvents } from './append.ts';
import { assertValidEvent, type AuditEvent } from './event.ts';

export interface AuditAppender {
  /** Resolves when every event is stored; rejects when they could not be (then none of them is). */
  append(events: readonly AuditEvent[]): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most events in one statement; a larger backlog is written as several groups, in order.
   * @default 1000 */
  maxGroupEvents?: number;
}

interface Waiting {
  events: readonly AuditEvent[];
  resolve(): void;
  reject(error: unknown): void;
}

export function createGroupCommitter(db: Queryable, options: GroupCommitOptions = {}): AuditAppender {
  const maxGroupEvents = options.maxGroupEvents ?? 1000;
  let queue: Waiting[] = [];
  let writing = false;

  function takeGroup(): Waiting[] {
    let size = 0;
    let taken = 0;
    // A request's events stay together: they are durable, or not, as one.
    for (const waiting of queue) {
      if (taken > 0 && size + waiting.events.length > maxGroupEvents) break;
      size += waiting.events.length;
      taken += 1;
    }
    const group = queue.slice(0, taken);
    queue = queue.slice(taken);
    return group;
  }

  async function drain(): Promise<void> {
    writing = true;
    try {
      while (queue.length > 0) {
        const group = takeGroup();
        try {
          await appendAuditEvents(
            db,
            group.flatMap((w) => w.events),
          );
          for (const w of group) w.resolve();
        } catch (error) {
          for (const w of group) w.reject(error);
        }
      }
    } finally {
      writing = false;
    }
  }

  return {
    append(events) {
      if (events.length === 0) return Promise.resolve();
      // A malformed event fails its own request here, never the group it would have joined.
      try {
        for (const event of events) assertValidEvent(event);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      return new Promise<void>((resolve, reject) => {
        queue.push({ events, resolve, reject });
        if (!writing) void drain();
      });
    },
  };
}
