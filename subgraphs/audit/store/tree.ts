// SQL of the audit log's Merkle tree (migration 005): leaves, stored subtrees and checkpoints. Hashes cross the
// driver as hex text and big integers as text, so node-postgres and PGlite answer alike.
import type { Queryable } from '../../../db/database.ts';
import type { CanonicalFields } from '../canonical-event.ts';
import type { SignedCheckpoint } from '../checkpoint.ts';
import { refKey } from '../merkle/proofs.ts';
import type { NodeRef } from '../merkle/ranges.ts';
import type { StoredNode } from '../merkle/tree.ts';

export interface CheckpointRow extends SignedCheckpoint {
  seqFloor: number;
}

export interface NewLeaf {
  eventId: string;
  salt: Buffer;
  hash: Buffer;
}

/** The canonical fields, from audit.canonical_event or the functions that return its columns (migration 005). */
export const CANONICAL_COLUMNS = `id_text as id, occurred_at as "occurredAt", actor_type as "actorType",
  actor_id as "actorId", on_behalf_of as "onBehalfOf", orgnr, service, action, data_subject as "dataSubject",
  legal_basis as "legalBasis", request_id as "requestId", payload`;

const CHECKPOINT_COLUMNS = `tree_size::text as "treeSize", encode(root_hash, 'hex') as "rootHash",
  to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "issuedAt", key_id as "keyId",
  encode(signature, 'hex') as signature, seq_floor::text as "seqFloor"`;

interface CheckpointText {
  treeSize: string;
  rootHash: string;
  issuedAt: string;
  keyId: string;
  signature: string;
  seqFloor: string;
}

function checkpointOf(row: CheckpointText): CheckpointRow {
  return {
    ...row,
    treeSize: Number(row.treeSize),
    seqFloor: Number(row.seqFloor),
    signature: Buffer.from(row.signature, 'hex').toString('base64url'),
  };
}

export class TreeStore {
  constructor(protected readonly db: Queryable) {}

  async latestCheckpoint(): Promise<CheckpointRow | null> {
    const rows = await this.db.query<CheckpointText>(
      `select ${CHECKPOINT_COLUMNS} from audit.checkpoint order by tree_size desc limit 1`,
    );
    return rows[0] ? checkpointOf(rows[0]) : null;
  }

  async checkpoints(): Promise<CheckpointRow[]> {
    const rows = await this.db.query<CheckpointText>(
      `select ${CHECKPOINT_COLUMNS} from audit.checkpoint order by tree_size`,
    );
    return rows.map(checkpointOf);
  }

  /** The highest seq committed so far (0 for none). */
  async maxSeq(): Promise<number> {
    const rows = await this.db.query<{ seq: string | null }>('select max(seq)::text as seq from audit.event');
    return Number(rows[0]?.seq ?? 0);
  }

  /** The hashes of these complete subtrees: level 0 from audit.leaf, the rest from audit.node. */
  async subtrees(refs: readonly NodeRef[]): Promise<Map<string, Buffer>> {
    const leaves = refs.filter((r) => r.level === 0).map((r) => String(r.index));
    const nodes = refs.filter((r) => r.level > 0);
    const found = new Map<string, Buffer>();
    if (leaves.length > 0) {
      const rows = await this.db.query<{ i: string; h: string }>(
        `select leaf_index::text as i, encode(leaf_hash, 'hex') as h from audit.leaf
         where leaf_index = any($1::bigint[])`,
        [leaves],
      );
      for (const r of rows) found.set(refKey({ level: 0, index: Number(r.i) }), Buffer.from(r.h, 'hex'));
    }
    if (nodes.length > 0) {
      const rows = await this.db.query<{ l: number; i: string; h: string }>(
        `select n.level::int as l, n.node_index::text as i, encode(n.hash, 'hex') as h
         from audit.node n join unnest($1::int[], $2::bigint[]) as want(level, node_index)
           on n.level = want.level and n.node_index = want.node_index`,
        [nodes.map((r) => r.level), nodes.map((r) => String(r.index))],
      );
      for (const r of rows) found.set(refKey({ level: r.l, index: Number(r.i) }), Buffer.from(r.h, 'hex'));
    }
    return found;
  }

  /** A subtree lookup over what `subtrees` found; a missing one is an error (the stored tree is incomplete). */
  async lookup(refs: readonly NodeRef[]): Promise<(ref: NodeRef) => Buffer> {
    const found = await this.subtrees(refs);
    return (ref) => {
      const hash = found.get(refKey(ref));
      if (!hash) throw new Error(`audit tree: subtree ${refKey(ref)} is missing`);
      return hash;
    };
  }
}

/** What the checkpointer writes, on its own transaction, as the owner. */
export class TreeWriter extends TreeStore {
  /** Serialises checkpointers across processes for the rest of the transaction. */
  async lock(): Promise<void> {
    await this.db.query(`select pg_advisory_xact_lock(hashtext('fiks-audit-checkpoint'))`);
  }

  /**
   * Waits until no transaction that inserted into audit.event is still open (a SHARE lock conflicts with the
   * inserts' ROW EXCLUSIVE), then answers the highest seq: every event at or below it is committed or rolled back,
   * for good — an insert takes its lock before it draws its seq. Held only for this statement's transaction.
   */
  async settledSeq(lockTimeoutMs: number): Promise<number> {
    await this.db.query(`select set_config('lock_timeout', $1, true)`, [`${lockTimeoutMs}ms`]);
    await this.db.query('lock table audit.event in share mode');
    return this.maxSeq();
  }

  async eventsAfter(
    floor: number,
    upTo: number,
    limit: number,
  ): Promise<(CanonicalFields & { seq: number })[]> {
    const rows = await this.db.query<CanonicalFields & { seqText: string }>(
      `select c.seq::text as "seqText", ${CANONICAL_COLUMNS} from audit.canonical_event c
       where c.seq > $1 and c.seq <= $2 order by c.seq limit $3`,
      [String(floor), String(upTo), limit],
    );
    return rows.map(({ seqText, ...r }) => ({ ...r, seq: Number(seqText) }));
  }

  async insertLeaves(first: number, leaves: readonly NewLeaf[]): Promise<void> {
    await this.db.query(
      `insert into audit.leaf (leaf_index, event_id, salt, leaf_hash)
       select $1::bigint + t.ord - 1, t.event_id, decode(t.salt, 'hex'), decode(t.hash, 'hex')
       from unnest($2::uuid[], $3::text[], $4::text[]) with ordinality as t(event_id, salt, hash, ord)`,
      [
        String(first),
        leaves.map((l) => l.eventId),
        leaves.map((l) => l.salt.toString('hex')),
        leaves.map((l) => l.hash.toString('hex')),
      ],
    );
  }

  async insertNodes(nodes: readonly StoredNode[]): Promise<void> {
    if (nodes.length === 0) return;
    await this.db.query(
      `insert into audit.node (level, node_index, hash)
       select t.level, t.node_index, decode(t.hash, 'hex') from unnest($1::int[], $2::bigint[], $3::text[])
         as t(level, node_index, hash)`,
      [
        nodes.map((n) => n.level),
        nodes.map((n) => String(n.index)),
        nodes.map((n) => n.hash.toString('hex')),
      ],
    );
  }

  async insertCheckpoint(c: SignedCheckpoint, seqFloor: number): Promise<void> {
    await this.db.query(
      `insert into audit.checkpoint (tree_size, root_hash, issued_at, key_id, signature, seq_floor)
       values ($1, decode($2, 'hex'), $3, $4, decode($5, 'hex'), $6)`,
      [
        String(c.treeSize),
        c.rootHash,
        c.issuedAt,
        c.keyId,
        Buffer.from(c.signature, 'base64url').toString('hex'),
        String(seqFloor),
      ],
    );
  }
}
