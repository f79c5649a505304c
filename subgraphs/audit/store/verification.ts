// SQL of verification: everything in the log, page by page, through the functions of migration 005 (the owner, or a
// platform operator as the application role; the database refuses anyone else).
import type { CanonicalFields } from '../canonical-event.ts';
import { CANONICAL_COLUMNS, TreeStore } from './tree.ts';

export interface VerificationRow {
  leafIndex: number;
  eventId: string;
  salt: Buffer;
  leafHash: Buffer;
  /** The event's canonical fields; null once retention (or someone) deleted the event. */
  event: CanonicalFields | null;
}

interface RowText extends CanonicalFields {
  leafIndex: string;
  eventId: string;
  salt: string;
  leafHash: string;
  present: boolean;
}

export class VerificationReader extends TreeStore {
  /** One past the highest leaf index stored (0 for none). */
  async leafEnd(): Promise<number> {
    const rows = await this.db.query<{ end: string | null }>(
      'select (max(leaf_index) + 1)::text as end from audit.leaf',
    );
    return Number(rows[0]?.end ?? 0);
  }

  /** Leaves [from, to), in order, with their events. */
  async rows(from: number, to: number): Promise<VerificationRow[]> {
    const rows = await this.db.query<RowText>(
      `select leaf_index::text as "leafIndex", event_id as "eventId", encode(salt, 'hex') as salt,
         encode(leaf_hash, 'hex') as "leafHash", present, ${CANONICAL_COLUMNS}
       from audit.verification_rows($1::bigint, $2::bigint)`,
      [String(from), String(to)],
    );
    return rows.map(({ leafIndex, eventId, salt, leafHash, present, ...event }) => ({
      leafIndex: Number(leafIndex),
      eventId,
      salt: Buffer.from(salt, 'hex'),
      leafHash: Buffer.from(leafHash, 'hex'),
      event: present ? event : null,
    }));
  }

  /** Stored subtrees of one level with node_index in [from, to), in order. */
  async nodes(level: number, from: number, to: number): Promise<{ index: number; hash: Buffer }[]> {
    const rows = await this.db.query<{ i: string; h: string }>(
      `select node_index::text as i, encode(hash, 'hex') as h from audit.node
       where level = $1 and node_index >= $2::bigint and node_index < $3::bigint order by node_index`,
      [level, String(from), String(to)],
    );
    return rows.map((r) => ({ index: Number(r.i), hash: Buffer.from(r.h, 'hex') }));
  }

  /** The highest level with stored subtrees, and one past the highest index of each level. */
  async nodeLevels(): Promise<Map<number, number>> {
    const rows = await this.db.query<{ l: number; end: string }>(
      'select level::int as l, (max(node_index) + 1)::text as end from audit.node group by level',
    );
    return new Map(rows.map((r) => [r.l, Number(r.end)]));
  }

  async unleafedEvents(): Promise<{ eventId: string; seq: number }[]> {
    const rows = await this.db.query<{ eventId: string; seq: string }>(
      'select event_id as "eventId", seq::text as seq from audit.unleafed_events()',
    );
    return rows.map((r) => ({ eventId: r.eventId, seq: Number(r.seq) }));
  }

  /** AUDIT_PRUNED events' payloads, as JSON text. */
  async pruningRecords(): Promise<{ eventId: string; payload: string | null }[]> {
    return this.db.query('select event_id as "eventId", payload from audit.pruning_records()');
  }
}
