// The documents subgraph's store: the only code that talks SQL to the documents schema.
import { isoTimestamp } from '../../db/timestamps.ts';
import type { Db } from '../../db/database.ts';

export type ExposureKind = 'PERSON' | 'ORGANIZATION' | 'INTEGRATION' | 'AUTHORIZATION';
export interface Exposure {
  kind: ExposureKind;
  value: string;
}
export interface DocumentRow {
  id: string;
  /** Who the document is exposed to; loaded with the row, since every access decision needs it. */
  exposures: Exposure[];
  orgnr: string;
  title: string;
  mimeType: string;
  sizeBytes: number;
  securityLevel: number;
  createdAt: string;
}

const COLUMNS = `d.id, d.orgnr, d.title, d.mime_type as "mimeType", d.size_bytes as "sizeBytes",
  d.security_level as "securityLevel", d.created_at as "createdAt",
  (select json_agg(json_build_object('kind', e.kind, 'value', e.value) order by e.kind, e.value)
     from documents.exposure e where e.document_id = d.id) as exposures`;

type Raw = Omit<DocumentRow, 'createdAt' | 'exposures'> & {
  createdAt: Date | string;
  exposures: Exposure[] | null;
};

function toRow(r: Raw): DocumentRow {
  return {
    ...r,
    exposures: r.exposures ?? [],
    createdAt: isoTimestamp(r.createdAt),
  };
}

export class DocumentsStore {
  constructor(private readonly db: Db) {}

  async document(id: string): Promise<DocumentRow | null> {
    const rows = await this.db.query<Raw>(`select ${COLUMNS} from documents.document d where d.id = $1`, [
      id,
    ]);
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
      `select ${COLUMNS} from documents.document d where d.orgnr = $1 order by d.created_at, d.id`,
      [orgnr],
    );
    return rows.map(toRow);
  }

  async upsert(row: Omit<DocumentRow, 'createdAt' | 'exposures'>, exposedTo: Exposure[]): Promise<void> {
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
