// Reading the audit log: the organisation's search, its export, the person's own access log and the snooping report.
// Every query runs on the caller's handle (row-level security, migrations/006), so none of them is the only wall.
// Pages and export batches are keyset-paged over (occurred_at, seq): seq alone orders appends, but the time range is
// what callers filter on, and the indexes of 006 serve (occurred_at, seq) within an organisation or a person.
import { isoTimestamp } from '../../../db/timestamps.ts';
import type { Queryable } from '../../../db/database.ts';

/** Where a page ends: the event's time in UTC to the microsecond (as the database holds it) and its seq. */
export interface EventKey {
  at: string;
  seq: string;
}

/** An event as read for the log, with its key. Same fields as store.ts's AuditEventRow, plus seq and the key. */
export interface LogEventRow {
  id: string;
  seq: string;
  occurredAt: string;
  actorType: string;
  actorId: string;
  onBehalfOf: string | null;
  orgnr: string | null;
  service: string;
  action: string;
  dataSubject: string | null;
  legalBasis: string | null;
  requestId: string | null;
  payload: Record<string, unknown> | null;
  key: EventKey;
}

export interface LogFilter {
  orgnr: string;
  /** Inclusive. */
  from?: string | null;
  /** Exclusive. */
  to?: string | null;
  actorType?: string | null;
  actorId?: string | null;
  dataSubject?: string | null;
  service?: string | null;
  action?: string | null;
}

export interface SnoopingRow {
  actorType: string;
  actorId: string;
  distinctPersons: number;
  reads: number;
  flagged: boolean;
}

/** Reads of a person's data (documented in README "Reading the audit log"): actions named *_READ that name a data
 * subject — PERSONAL_DATA_READ, DOCUMENT_READ, AUDIT_READ of a person's events, … The same predicate as the partial
 * index event_org_reads in migrations/006, so that index serves the report. */
const READ_OF_A_PERSON = `action like '%\\_READ' and data_subject is not null`;

// seq is selected as text (int8 arrives as a string from pg and as a bigint from PGlite); ORDER BY names the table's
// column (event.seq), since a bare `seq` would sort by that text.
const KEY_AT = `to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
const COLUMNS = `id, seq::text as seq, occurred_at as "occurredAt", ${KEY_AT} as "keyAt",
  actor_type as "actorType", actor_id as "actorId", on_behalf_of as "onBehalfOf", orgnr, service, action,
  data_subject as "dataSubject", legal_basis as "legalBasis", request_id as "requestId", payload`;

type Raw = Omit<LogEventRow, 'occurredAt' | 'key'> & { occurredAt: Date | string; keyAt: string };

function toRow({ keyAt, ...r }: Raw): LogEventRow {
  return { ...r, occurredAt: isoTimestamp(r.occurredAt), key: { at: keyAt, seq: r.seq } };
}

/** A WHERE clause built from optional conditions, each with its one parameter. */
class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];
  add(clause: (param: string) => string, value: unknown): this {
    if (value === undefined || value === null) return this;
    this.params.push(value);
    this.clauses.push(clause(`$${this.params.length}`));
    return this;
  }
  /** Before (newest first) or after (oldest first) the key. */
  page(key: EventKey | null, direction: '<' | '>'): this {
    if (!key) return this;
    this.params.push(key.at, key.seq);
    const n = this.params.length;
    this.clauses.push(`(occurred_at, seq) ${direction} ($${n - 1}::timestamptz, $${n}::bigint)`);
    return this;
  }
  limit(n: number): string {
    this.params.push(n);
    return `$${this.params.length}`;
  }
  get where(): string {
    return this.clauses.join(' and ');
  }
}

export class AuditReads {
  constructor(private readonly db: Queryable) {}

  /** The organisation's events matching the filter, newest first, after the key. */
  async search(filter: LogFilter, after: EventKey | null, limit: number): Promise<LogEventRow[]> {
    const c = new Conditions()
      .add((p) => `orgnr = ${p}`, filter.orgnr)
      .add((p) => `occurred_at >= ${p}::timestamptz`, filter.from)
      .add((p) => `occurred_at < ${p}::timestamptz`, filter.to)
      .add((p) => `actor_type = ${p}`, filter.actorType)
      .add((p) => `actor_id = ${p}`, filter.actorId)
      .add((p) => `data_subject = ${p}`, filter.dataSubject)
      .add((p) => `service = ${p}`, filter.service)
      .add((p) => `action = ${p}`, filter.action)
      .page(after, '<');
    const limitParam = c.limit(limit);
    const rows = await this.db.query<Raw>(
      // eslint-disable-next-line fiks/no-sql-interpolation -- Conditions writes only placeholders ($n); the values are in c.params.
      `select ${COLUMNS} from audit.event where ${c.where}
        order by event.occurred_at desc, event.seq desc limit ${limitParam}`,
      c.params,
    );
    return rows.map(toRow);
  }

  /** The database's clock, to the microsecond, as an event key's time (UTC). */
  async now(): Promise<string> {
    const rows = await this.db.query<{ now: string }>(
      `select to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as now`,
    );
    return rows[0]!.now;
  }

  /** One batch of the organisation's events in [from, to) and before `until`, oldest first, after the key. */
  async exportBatch(
    orgnr: string,
    range: { from: string; to: string; until: string },
    after: EventKey | null,
    limit: number,
  ): Promise<LogEventRow[]> {
    const c = new Conditions()
      .add((p) => `orgnr = ${p}`, orgnr)
      .add((p) => `occurred_at >= ${p}::timestamptz`, range.from)
      .add((p) => `occurred_at < ${p}::timestamptz`, range.to)
      .add((p) => `occurred_at < ${p}::timestamptz`, range.until)
      .page(after, '>');
    const limitParam = c.limit(limit);
    const rows = await this.db.query<Raw>(
      // eslint-disable-next-line fiks/no-sql-interpolation -- Conditions writes only placeholders ($n); the values are in c.params.
      `select ${COLUMNS} from audit.event where ${c.where}
        order by event.occurred_at, event.seq limit ${limitParam}`,
      c.params,
    );
    return rows.map(toRow);
  }

  /** Events about the person by anyone but the person, newest first, after the key. */
  async accessLog(pid: string, after: EventKey | null, limit: number): Promise<LogEventRow[]> {
    const c = new Conditions()
      .add((p) => `data_subject = ${p} and not (actor_type = 'PERSON' and actor_id = ${p})`, pid)
      .page(after, '<');
    const limitParam = c.limit(limit);
    const rows = await this.db.query<Raw>(
      // eslint-disable-next-line fiks/no-sql-interpolation -- Conditions writes only placeholders ($n); the values are in c.params.
      `select ${COLUMNS} from audit.event where ${c.where}
        order by event.occurred_at desc, event.seq desc limit ${limitParam}`,
      c.params,
    );
    return rows.map(toRow);
  }

  /** Actors ranked by the distinct persons whose data they read in [from, to) in the organisation; a person's reads
   * of their own data do not count. One statement, at most `limit` rows, the most distinct persons first. */
  snooping(
    orgnr: string,
    range: { from: string; to: string },
    threshold: number,
    limit: number,
  ): Promise<SnoopingRow[]> {
    return this.db.query<SnoopingRow>(
      `select actor_type as "actorType", actor_id as "actorId",
              count(distinct data_subject)::int as "distinctPersons", count(*)::int as reads,
              count(distinct data_subject) > $4 as flagged
         from audit.event
        where orgnr = $1 and occurred_at >= $2::timestamptz and occurred_at < $3::timestamptz
          and ${READ_OF_A_PERSON}
          and not (actor_type = 'PERSON' and actor_id = data_subject)
        group by actor_type, actor_id
        order by "distinctPersons" desc, reads desc, actor_type, actor_id
        limit $5`,
      [orgnr, range.from, range.to, threshold, limit],
    );
  }
}
