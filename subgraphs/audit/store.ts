// The audit subgraph's store: the only code that talks SQL to the audit schema. Append-only.
import { isoTimestamp } from '../../db/timestamps.ts';
import type { Db } from '../../db/database.ts';
import type { AuditLogSettings } from '../../common/config.ts';
import { ProofReader } from './store/proof.ts';
import { VerificationReader } from './store/verification.ts';
import { AuditReads } from './store/reading.ts';

/** A row to append, every column spelled out (subgraphs/runtime/audit.ts fills them from the request). */
export interface NewAuditRow {
  actorType: string;
  actorId: string;
  onBehalfOf?: string | null;
  orgnr?: string | null;
  service: string;
  action: string;
  dataSubject?: string | null;
  legalBasis?: string | null;
  requestId?: string | null;
  payload?: Record<string, unknown> | null;
}
export interface AuditEventRow extends Required<NewAuditRow> {
  id: string;
  occurredAt: string;
}

const COLUMNS = `id, occurred_at as "occurredAt", actor_type as "actorType", actor_id as "actorId",
  on_behalf_of as "onBehalfOf", orgnr, service, action, data_subject as "dataSubject",
  legal_basis as "legalBasis", request_id as "requestId", payload`;

function toRow(r: Omit<AuditEventRow, 'occurredAt'> & { occurredAt: Date | string }): AuditEventRow {
  return { ...r, occurredAt: isoTimestamp(r.occurredAt) };
}

export class AuditStore {
  /** Search, export, the person's access log and the snooping report (store/reading.ts). */
  readonly reads: AuditReads;

  constructor(
    private readonly db: Db,
    /** The tamper-evident log's settings (key, witness), for its resolvers; absent when it is not configured. */
    readonly auditLog?: AuditLogSettings,
  ) {
    this.reads = new AuditReads(db);
  }

  /** The tamper-evident log, read on this store's database (as the caller, for a request's store). */
  get proofs(): ProofReader {
    return new ProofReader(this.db);
  }

  get verification(): VerificationReader {
    return new VerificationReader(this.db);
  }

  async event(id: string): Promise<AuditEventRow | null> {
    const rows = await this.db.query<AuditEventRow>(`select ${COLUMNS} from audit.event where id = $1`, [id]);
    return rows[0] ? toRow(rows[0]) : null;
  }

  async forOrganization(orgnr: string, limit: number): Promise<AuditEventRow[]> {
    const rows = await this.db.query<AuditEventRow>(
      `select ${COLUMNS} from audit.event where orgnr = $1 order by seq desc limit $2`,
      [orgnr, limit],
    );
    return rows.map(toRow);
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: number }>('select count(*)::int as n from audit.event');
    return rows[0]?.n ?? 0;
  }

  async append(e: NewAuditRow & { id?: string }): Promise<void> {
    await this.db.query(
      `insert into audit.event (id, actor_type, actor_id, on_behalf_of, orgnr, service, action, data_subject,
         legal_basis, request_id, payload)
       values (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       on conflict (id) do nothing`,
      [
        e.id ?? null,
        e.actorType,
        e.actorId,
        e.onBehalfOf ?? null,
        e.orgnr ?? null,
        e.service,
        e.action,
        e.dataSubject ?? null,
        e.legalBasis ?? null,
        e.requestId ?? null,
        e.payload ?? null,
      ],
    );
  }
}
