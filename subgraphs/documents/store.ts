// The documents subgraph's store: the only code that talks SQL to the documents schema.
import type { Db } from '../runtime/database.ts';

export type ExposureKind = 'PERSON' | 'ORGANIZATION' | 'INTEGRATION' | 'AUTHORIZATION';
export interface Exposure {
  kind: ExposureKind;
  value: string;
}
export interface DocumentRow {
  id: string;
  orgnr: string;
  title: string;
  mimeType: string;
  sizeBytes: number;
  securityLevel: number;
  createdAt: string;
}

const COLUMNS = `id, orgnr, title, mime_type as "mimeType", size_bytes as "sizeBytes",
  security_level as "securityLevel", created_at as "createdAt"`;

function toRow(r: Omit<DocumentRow, 'createdAt'> & { createdAt: Date | string }): DocumentRow {
  return { ...r, createdAt: r.createdAt instanceof Date ? r.createdAt.toISOString() : r.createdAt };
}

export class DocumentsStore {
  constructor(private readonly db: Db) {}

  async document(id: string): Promise<DocumentRow | null> {
    const rows = await this.db.query<DocumentRow>(`select ${COLUMNS} from documents.document where id = $1`, [
      id,
    ]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async heldBy(orgnr: string): Promise<DocumentRow[]> {
    const rows = await this.db.query<DocumentRow>(
      `select ${COLUMNS} from documents.document where orgnr = $1 order by created_at, id`,
      [orgnr],
    );
    return rows.map(toRow);
  }

  exposures(documentId: string): Promise<Exposure[]> {
    return this.db.query<Exposure>(
      'select kind, value from documents.exposure where document_id = $1 order by kind, value',
      [documentId],
    );
  }

  async upsert(row: Omit<DocumentRow, 'createdAt'>, exposedTo: Exposure[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `insert into documents.document (id, orgnr, title, mime_type, size_bytes, security_level)
         values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
        [row.id, row.orgnr, row.title, row.mimeType, row.sizeBytes, row.securityLevel],
      );
      for (const e of exposedTo) {
        await tx.query(
          'insert into documents.exposure (document_id, kind, value) values ($1, $2, $3) on conflict do nothing',
          [row.id, e.kind, e.value],
        );
      }
    });
  }
}
