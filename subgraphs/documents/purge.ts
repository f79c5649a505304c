// The document store's housekeeping (issue #11 item 10), every DOCUMENT_PURGE_INTERVAL_MS:
// - documents past their available-until (ttl) are crypto-shredded — key and title gone, metadata kept — each purge
//   audited (DOCUMENT_PURGED, one event per person it was for), in the same transaction;
// - the content of deleted documents is removed from the content store (their key went first, at deletion);
// - uploads a crash cut off (UPLOADING longer than DOCUMENT_UPLOAD_MAX_SECONDS) are removed, content and all;
// - spent and expired content links are forgotten.
// It works from what the database says, so it survives restarts, and runs in one replica at a time: a round takes a
// transaction-scoped advisory lock and a replica that does not get it skips its round. Tests call purgeDocuments.
import type { Logger } from '../../common/logger.ts';
import type { AuditEvent } from '../../auditlog/event.ts';
import { appendAuditEvents } from '../../auditlog/append.ts';
import type { Db } from '../../db/database.ts';
import type { BackgroundTask } from '../runtime/types.ts';
import type { DocumentResources } from './resources.ts';

/** Rows per step of a round; the next round takes the rest. */
const BATCH = 500;
const LOCK = 'fiks-documents-purge';

export interface PurgeRound {
  /** False when another replica held the lock. */
  ran: boolean;
  expired: number;
  contentRemoved: number;
  abandonedUploads: number;
}

export async function purgeDocuments(db: Db, resources: DocumentResources): Promise<PurgeRound> {
  const uploadMaxSeconds = resources.settings.uploadMaxSeconds;
  return db.transaction(async (tx) => {
    const [lock] = await tx.query<{ held: boolean }>(
      'select pg_try_advisory_xact_lock(hashtext($1)) as held',
      [LOCK],
    );
    if (!lock?.held) return { ran: false, expired: 0, contentRemoved: 0, abandonedUploads: 0 };

    const expired = await tx.query<{ id: string; orgnr: string; persons: string[] | null }>(
      `select d.id, d.orgnr,
              array(select e.value from documents.exposure e where e.document_id = d.id and e.kind = 'PERSON') as persons
         from documents.document d
        where d.state = 'STORED' and d.available_until <= now()
        order by d.available_until limit $1`,
      [BATCH],
    );
    const events: AuditEvent[] = [];
    for (const document of expired) {
      await tx.query(`select documents.destroy_content_as_platform($1, 'EXPIRED')`, [document.id]);
      const persons = document.persons ?? [];
      for (const dataSubject of persons.length > 0 ? persons : [null]) {
        events.push({
          actorType: 'PLATFORM',
          actorId: 'documents-purge',
          onBehalfOf: null,
          service: 'documents',
          requestId: null,
          orgnr: document.orgnr,
          action: 'DOCUMENT_PURGED',
          dataSubject,
          payload: { documentId: document.id, reason: 'EXPIRED' },
        });
      }
    }
    // No purge without its events: they commit with it, or neither does.
    if (events.length > 0) await appendAuditEvents(tx, events);

    const abandoned = await tx.query<{ id: string }>(
      `delete from documents.document
        where state = 'UPLOADING' and created_at < now() - make_interval(secs => $1)
        returning id`,
      [uploadMaxSeconds],
    );
    // Content goes after its key (deleted documents, whatever deleted them) or with its document (abandoned
    // uploads). A removal that the transaction then rolls back is repeated next round: removing is idempotent.
    const toRemove = await tx.query<{ id: string }>(
      `select id from documents.document where state = 'DELETED' and content_removed_at is null
        order by deleted_at limit $1`,
      [BATCH],
    );
    for (const { id } of [...abandoned, ...toRemove]) await resources.content.delete(id);
    if (toRemove.length > 0)
      await tx.query(`update documents.document set content_removed_at = now() where id = any($1::uuid[])`, [
        toRemove.map((r) => r.id),
      ]);
    await tx.query('delete from documents.content_link where expires_at < now()');
    return {
      ran: true,
      expired: expired.length,
      contentRemoved: toRemove.length,
      abandonedUploads: abandoned.length,
    };
  });
}

export function startPurge(db: Db, resources: DocumentResources, logger: Logger): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  let stopped = false;

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      round = purgeDocuments(db, resources)
        .then((done) => {
          if (done.expired + done.contentRemoved + done.abandonedUploads > 0)
            logger.info(done, 'documents purged');
        })
        .catch((error: unknown) => {
          // Only a code: a database error's detail can quote a row. The next round tries again.
          const code = (error as { code?: unknown } | null)?.code;
          logger.error({ purgeError: typeof code === 'string' ? code : 'unknown' }, 'document purge failed');
        })
        .finally(schedule);
    }, resources.settings.purgeIntervalMs);
  }

  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await round;
    },
  };
}
