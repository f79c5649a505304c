// Where the wrapped data keys live: documents.data_key, one row per document. Rotation reads and replaces rows here
// and never touches content; deleting a row is what crypto-shreds a document, so a replace never recreates one.
import type { Queryable } from '../../../db/database.ts';
import type { WrappedKey } from './key-encryption-keys.ts';

export interface WrappedKeyRow {
  documentId: string;
  dataKeyId: string;
  keyId: string;
  version: number;
  wrapped: Buffer;
}

export interface WrappedKeyRepository {
  /**
   * Up to `limit` rows not wrapped with (keyId, version), ordered by document id, after `afterDocumentId` when given
   * (so rows that cannot be re-wrapped are passed over instead of being read again and again).
   */
  stale(
    current: { keyId: string; version: number },
    limit: number,
    afterDocumentId?: string,
  ): Promise<WrappedKeyRow[]>;
  /**
   * Compare-and-set: replaces the row's wrap only if it is still `row` (same keyId/version/wrapped); false if it
   * changed or is gone (deleted meanwhile — crypto-shredded documents are skipped, never resurrected).
   */
  replace(row: WrappedKeyRow, next: WrappedKey): Promise<boolean>;
  /** How many rows each version wraps. */
  countByVersion(): Promise<{ keyId: string; version: number; count: number }[]>;
}

interface DataKeyRecord {
  document_id: string;
  data_key_id: string;
  kek_id: string;
  kek_version: number;
  wrapped: Uint8Array;
}

export class SqlWrappedKeyRepository implements WrappedKeyRepository {
  constructor(private readonly db: Queryable) {}

  async stale(
    current: { keyId: string; version: number },
    limit: number,
    afterDocumentId?: string,
  ): Promise<WrappedKeyRow[]> {
    const rows = await this.db.query<DataKeyRecord>(
      `select document_id, data_key_id, kek_id, kek_version, wrapped
         from documents.data_key
        where (kek_id, kek_version) <> ($1, $2)
          and ($4::uuid is null or document_id > $4::uuid)
        order by document_id
        limit $3`,
      [current.keyId, current.version, limit, afterDocumentId ?? null],
    );
    return rows.map((r) => ({
      documentId: r.document_id,
      dataKeyId: r.data_key_id,
      keyId: r.kek_id,
      version: r.kek_version,
      // pg answers bytea as a Buffer, PGlite as a Uint8Array: one type for callers.
      wrapped: Buffer.from(r.wrapped),
    }));
  }

  async replace(row: WrappedKeyRow, next: WrappedKey): Promise<boolean> {
    const updated = await this.db.query(
      `update documents.data_key
          set kek_id = $4, kek_version = $5, wrapped = $6, rewrapped_at = now()
        where document_id = $1 and data_key_id = $2 and kek_id = $3 and kek_version = $7 and wrapped = $8
        returning document_id`,
      [
        row.documentId,
        row.dataKeyId,
        row.keyId,
        next.keyId,
        next.version,
        next.wrapped,
        row.version,
        row.wrapped,
      ],
    );
    return updated.length === 1;
  }

  async countByVersion(): Promise<{ keyId: string; version: number; count: number }[]> {
    const rows = await this.db.query<{ kek_id: string; kek_version: number; count: number }>(
      `select kek_id, kek_version, count(*)::int as count
         from documents.data_key group by kek_id, kek_version order by kek_id, kek_version`,
    );
    return rows.map((r) => ({ keyId: r.kek_id, version: r.kek_version, count: r.count }));
  }
}
