// SQL of an event's inclusion proof, as the caller: audit.proof_event answers only an event the caller sees.
import type { CanonicalFields } from '../canonical-event.ts';
import { CANONICAL_COLUMNS, TreeStore } from './tree.ts';

export class ProofReader extends TreeStore {
  async proofEvent(id: string): Promise<{ leafIndex: number; salt: Buffer; fields: CanonicalFields } | null> {
    const rows = await this.db.query<CanonicalFields & { leafIndex: string; salt: string }>(
      `select leaf_index::text as "leafIndex", encode(salt, 'hex') as salt, ${CANONICAL_COLUMNS}
       from audit.proof_event($1::uuid)`,
      [id],
    );
    const row = rows[0];
    if (!row) return null;
    const { leafIndex, salt, ...fields } = row;
    return { leafIndex: Number(leafIndex), salt: Buffer.from(salt, 'hex'), fields };
  }
}
