// The documents subgraph's store: the only code that talks SQL to the documents schema. Each request's store runs as
// the caller under row-level security (migrations 002–004), so what a query may return is also the database's call.
import { isoTimestamp } from '../../db/timestamps.ts';
import type { Db, Queryable } from '../../db/database.ts';

export type ExposureKind = 'PERSON' | 'ORGANIZATION' | 'INTEGRATION' | 'AUTHORIZATION';
export interface Exposure {
  kind: ExposureKind;
  value: string;
}
export type DocumentDeletion = 'RECIPIENT' | 'UPLOADER' | 'EXPIRED' | 'OPT_OUT';
export type Actor = { type: 'PERSON' | 'INTEGRATION'; id: string };

export interface DocumentRow {
  id: string;
  /** Who the document is exposed to; loaded with the row, since every access decision needs it. */
  exposures: Exposure[];
  orgnr: string;
  /** Null once deleted: the title often names the person, and goes with the content. */
  title: string | null;
  mimeType: string;
  sizeBytes: number;
  securityLevel: number;
  createdAt: string;
  accountId: string | null;
  correlationId: string | null;
  availableUntil: string | null;
  sha256: string | null;
  state: 'UPLOADING' | 'STORED' | 'DELETED';
  uploader: Actor | null;
  readAt: string | null;
  deletedAt: string | null;
  deletedBy: DocumentDeletion | null;
}

/** What an upload link carries until the content arrives: the document it will make. */
export interface PendingDocument {
  orgnr: string;
  accountId: string;
  title: string;
  mimeType: string;
  securityLevel: number;
  correlationId: string | null;
  availableUntil: string | null;
  exposures: Exposure[];
}

export interface ContentLinkRow {
  purpose: 'UPLOAD' | 'DOWNLOAD';
  documentId: string;
  pending: PendingDocument | null;
}

export interface OptOutDeletion {
  documentId: string;
  orgnr: string;
  contentDestroyed: boolean;
}

export interface StoredDataKey {
  documentId: string;
  dataKeyId: string;
  keyId: string;
  version: number;
  wrapped: Buffer;
}

const COLUMNS = `d.id, d.orgnr, d.title, d.mime_type as "mimeType", d.size_bytes as "sizeBytes",
  d.security_level as "securityLevel", d.created_at as "createdAt", d.account_id as "accountId",
  d.correlation_id as "correlationId", d.available_until as "availableUntil", d.sha256, d.state,
  d.uploader_type as "uploaderType", d.uploader_id as "uploaderId", d.read_at as "readAt",
  d.deleted_at as "deletedAt", d.deleted_by as "deletedBy",
  (select json_agg(json_build_object('kind', e.kind, 'value', e.value) order by e.kind, e.value)
     from documents.exposure e where e.document_id = d.id) as exposures`;

type Stamp = Date | string | null;
type Raw = Omit<
  DocumentRow,
  'createdAt' | 'exposures' | 'sizeBytes' | 'availableUntil' | 'readAt' | 'deletedAt' | 'uploader'
> & {
  createdAt: Date | string;
  availableUntil: Stamp;
  readAt: Stamp;
  deletedAt: Stamp;
  sizeBytes: number | string;
  uploaderType: Actor['type'] | null;
  uploaderId: string | null;
  exposures: Exposure[] | null;
};

const stamp = (value: Stamp) => (value === null ? null : isoTimestamp(value));

function toRow({ uploaderType, uploaderId, ...r }: Raw): DocumentRow {
  return {
    ...r,
    // bigint arrives as a string from pg; sizes stay far below 2^53.
    sizeBytes: Number(r.sizeBytes),
    exposures: r.exposures ?? [],
    createdAt: isoTimestamp(r.createdAt),
    availableUntil: stamp(r.availableUntil),
    readAt: stamp(r.readAt),
    deletedAt: stamp(r.deletedAt),
    uploader: uploaderType && uploaderId ? { type: uploaderType, id: uploaderId } : null,
  };
}

export interface DocumentsStoreOptions {
  /** How long a content link waits to be used (DOCUMENT_LINK_TTL_SECONDS). @default 120 */
  linkTtlSeconds?: number;
}

export class DocumentsStore {
  private readonly linkTtlSeconds: number;

  constructor(
    private readonly db: Db,
    options: DocumentsStoreOptions = {},
  ) {
    this.linkTtlSeconds = options.linkTtlSeconds ?? 120;
  }

  async document(id: string): Promise<DocumentRow | null> {
    const rows = await this.db.query<Raw>(
      `select ${COLUMNS} from documents.document d where d.id = $1 and d.state <> 'UPLOADING'`,
      [id],
    );
    return rows[0] ? toRow(rows[0]) : null;
  }

  /**
   * The security level of a document the caller would see after a stronger login (documents.step_up_level,
   * migration 003); null when there is no such document, or the caller would not see it at any level.
   */
  async stepUpLevel(id: string): Promise<number | null> {
    const rows = await this.db.query<{ level: number | null }>(
      'select documents.step_up_level($1) as level',
      [id],
    );
    return rows[0]?.level ?? null;
  }

  async heldBy(orgnr: string): Promise<DocumentRow[]> {
    const rows = await this.db.query<Raw>(
      `select ${COLUMNS} from documents.document d where d.orgnr = $1 and d.state <> 'UPLOADING'
        order by d.created_at, d.id`,
      [orgnr],
    );
    return rows.map(toRow);
  }

  /** A person's own documents (exposed to their fødselsnummer), newest first; deleted ones left out. */
  async exposedToPerson(pid: string): Promise<DocumentRow[]> {
    const rows = await this.db.query<Raw>(
      `select ${COLUMNS} from documents.document d
        where d.state = 'STORED'
          and exists (select 1 from documents.exposure e
                       where e.document_id = d.id and e.kind = 'PERSON' and e.value = $1)
        order by d.created_at desc, d.id`,
      [pid],
    );
    return rows.map(toRow);
  }

  async byCorrelationId(accountId: string, correlationId: string): Promise<DocumentRow[]> {
    const rows = await this.db.query<Raw>(
      `select ${COLUMNS} from documents.document d
        where d.account_id = $1 and d.correlation_id = $2 and d.state <> 'UPLOADING'
        order by d.created_at, d.id`,
      [accountId, correlationId],
    );
    return rows.map(toRow);
  }

  /** Seeds and tests: a stored document without content (metadata only, as before content existed). */
  async upsert(
    row: Pick<DocumentRow, 'id' | 'orgnr' | 'mimeType' | 'sizeBytes' | 'securityLevel'> & { title: string },
    exposedTo: Exposure[],
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into documents.document (id, orgnr, title, mime_type, size_bytes, security_level)
         values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
        [row.id, row.orgnr, row.title, row.mimeType, row.sizeBytes, row.securityLevel],
      );
      await insertExposures(tx, row.id, exposedTo);
    });
  }

  // --- Content links -------------------------------------------------------------------------------------------

  async createLink(link: {
    hash: Buffer;
    purpose: 'UPLOAD' | 'DOWNLOAD';
    documentId: string;
    actor: Actor;
    pending: PendingDocument | null;
  }): Promise<string> {
    const rows = await this.db.query<{ expiresAt: Date | string }>(
      `insert into documents.content_link (hash, purpose, document_id, actor_type, actor_id, pending, expires_at)
       values (decode($1, 'hex'), $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
       returning expires_at as "expiresAt"`,
      [
        link.hash.toString('hex'),
        link.purpose,
        link.documentId,
        link.actor.type,
        link.actor.id,
        link.pending === null ? null : JSON.stringify(link.pending),
        this.linkTtlSeconds,
      ],
    );
    return isoTimestamp(rows[0]!.expiresAt);
  }

  /** Uses a link (its expiry is the database's clock, as its issue was): at most once, before it expires, by the caller it was made for (also row-level security). */
  async useLink(hash: Buffer, actor: Actor): Promise<ContentLinkRow | null> {
    const rows = await this.db.query<{
      purpose: ContentLinkRow['purpose'];
      documentId: string;
      pending: unknown;
    }>(
      `update documents.content_link set used_at = now()
        where hash = decode($1, 'hex') and used_at is null and expires_at > now()
          and actor_type = $2 and actor_id = $3
        returning purpose, document_id as "documentId", pending`,
      [hash.toString('hex'), actor.type, actor.id],
    );
    const row = rows[0];
    if (!row) return null;
    const pending = typeof row.pending === 'string' ? (JSON.parse(row.pending) as unknown) : row.pending;
    return {
      purpose: row.purpose,
      documentId: row.documentId,
      pending: (pending ?? null) as PendingDocument | null,
    };
  }

  // --- Uploads ---------------------------------------------------------------------------------------------------

  /** The document, UPLOADING and the uploader's alone, with its wrapped data key: before any content is written. */
  async beginUpload(
    id: string,
    pending: PendingDocument,
    uploader: Actor,
    key: Omit<StoredDataKey, 'documentId'>,
  ) {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into documents.document (id, orgnr, title, mime_type, size_bytes, security_level, account_id,
           correlation_id, available_until, state, uploader_type, uploader_id)
         values ($1, $2, $3, $4, 0, $5, $6, $7, $8, 'UPLOADING', $9, $10)`,
        [
          id,
          pending.orgnr,
          pending.title,
          pending.mimeType,
          pending.securityLevel,
          pending.accountId,
          pending.correlationId,
          pending.availableUntil,
          uploader.type,
          uploader.id,
        ],
      );
      await insertExposures(tx, id, pending.exposures);
      await tx.query(
        `insert into documents.data_key (document_id, data_key_id, kek_id, kek_version, wrapped)
         values ($1, $2, $3, $4, decode($5, 'hex'))`,
        [id, key.dataKeyId, key.keyId, key.version, key.wrapped.toString('hex')],
      );
    });
  }

  /**
   * The content is stored: the document becomes visible. Refused ('OPTED_OUT', nothing changed) when a person it is
   * exposed to opted out while it was uploading.
   */
  async completeUpload(
    id: string,
    sizeBytes: number,
    sha256: string,
    /** The upload's audit event, on this transaction: no stored document without it. */
    onStored: (tx: Queryable) => Promise<void>,
  ): Promise<'STORED' | 'OPTED_OUT'> {
    return this.db.transaction(async (tx) => {
      const optedOut = await tx.query<{ n: number }>(
        `select cardinality(documents.opted_out(array(
           select e.value from documents.exposure e where e.document_id = $1 and e.kind = 'PERSON'))) as n`,
        [id],
      );
      if (Number(optedOut[0]?.n ?? 0) > 0) return 'OPTED_OUT';
      await tx.query(
        `update documents.document set state = 'STORED', size_bytes = $2, sha256 = $3
          where id = $1 and state = 'UPLOADING'`,
        [id, sizeBytes, sha256],
      );
      await onStored(tx);
      return 'STORED';
    });
  }

  /** An upload that did not finish leaves no document (its exposures and key go with it). */
  async abortUpload(id: string): Promise<void> {
    await this.db.query(`delete from documents.document where id = $1 and state = 'UPLOADING'`, [id]);
  }

  // --- Keys, reads, deletion -------------------------------------------------------------------------------------

  /** The document's wrapped data key: only for a caller it is exposed to (row-level security, migration 004). */
  async dataKey(documentId: string): Promise<StoredDataKey | null> {
    const rows = await this.db.query<{ dataKeyId: string; keyId: string; version: number; wrapped: string }>(
      `select data_key_id as "dataKeyId", kek_id as "keyId", kek_version as version, encode(wrapped, 'hex') as wrapped
         from documents.data_key where document_id = $1`,
      [documentId],
    );
    const row = rows[0];
    return row ? { documentId, ...row, wrapped: Buffer.from(row.wrapped, 'hex') } : null;
  }

  /** The first whole read by a party it is exposed to; later reads keep the first time. */
  async markRead(id: string): Promise<void> {
    await this.db.query(`update documents.document set read_at = now() where id = $1 and read_at is null`, [
      id,
    ]);
  }

  /** Crypto-shreds the document (documents.destroy_content decides whether the caller may): false if not done. */
  async destroy(
    id: string,
    by: 'RECIPIENT' | 'UPLOADER' | 'OPT_OUT',
    /** The deletion's audit event, on this transaction: no deletion without it. */
    onDone: (tx: Queryable) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<{ done: boolean }>('select documents.destroy_content($1, $2) as done', [
        id,
        by,
      ]);
      if (rows[0]?.done !== true) return false;
      await onDone(tx);
      return true;
    });
  }

  /** Removes a person's own exposure (their copy of a document other persons still have); false if there was none. */
  async removePersonExposure(
    id: string,
    pid: string,
    onDone: (tx: Queryable) => Promise<void>,
  ): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query(
        `delete from documents.exposure where document_id = $1 and kind = 'PERSON' and value = $2 returning 1`,
        [id, pid],
      );
      if (rows.length === 0) return false;
      await onDone(tx);
      return true;
    });
  }

  // --- Opting out ------------------------------------------------------------------------------------------------

  async optedOut(pids: readonly string[]): Promise<string[]> {
    if (pids.length === 0) return [];
    const rows = await this.db.query<{ pids: string[] }>('select documents.opted_out($1::text[]) as pids', [
      pids,
    ]);
    return rows[0]?.pids ?? [];
  }

  async storagePreference(pid: string): Promise<{ optedOut: boolean; since: string | null }> {
    const rows = await this.db.query<{ since: Date | string }>(
      'select since from documents.storage_opt_out where pid = $1',
      [pid],
    );
    return rows[0]
      ? { optedOut: true, since: isoTimestamp(rows[0].since) }
      : { optedOut: false, since: null };
  }

  /**
   * The calling person opts out (documents.opt_out_caller, migration 004): every document kept for them is deleted
   * — their copy only where another person it is exposed to remains — in one transaction with `onDone`'s events.
   */
  async optOut(onDone: (tx: Queryable, deleted: OptOutDeletion[]) => Promise<void>): Promise<void> {
    await this.db.transaction(async (tx) => {
      const deleted = await tx.query<OptOutDeletion>(
        `select document_id as "documentId", orgnr, content_destroyed as "contentDestroyed"
           from documents.opt_out_caller()`,
      );
      await onDone(tx, deleted);
    });
  }

  /** Whether the document is exposed to the caller at any login level (documents.caller_exposed, migration 004). */
  async exposedToCaller(id: string): Promise<boolean> {
    const rows = await this.db.query<{ exposed: boolean }>('select documents.caller_exposed($1) as exposed', [
      id,
    ]);
    return rows[0]?.exposed === true;
  }

  /** The organisation of a document account (a resource of type DOKUMENTLAGER.KONTO); null for anything else. */
  async accountOrganization(accountId: string): Promise<string | null> {
    const rows = await this.db.query<{ orgnr: string | null }>(
      'select documents.account_organization($1) as orgnr',
      [accountId],
    );
    return rows[0]?.orgnr ?? null;
  }

  async optIn(pid: string): Promise<void> {
    await this.db.query('delete from documents.storage_opt_out where pid = $1', [pid]);
  }
}

async function insertExposures(
  tx: Queryable,
  documentId: string,
  exposures: readonly Exposure[],
): Promise<void> {
  for (const e of exposures) {
    await tx.query(
      'insert into documents.exposure (document_id, kind, value) values ($1, $2, $3) on conflict do nothing',
      [documentId, e.kind, e.value],
    );
  }
}
