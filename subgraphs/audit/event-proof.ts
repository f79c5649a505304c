// An event's inclusion proof against the latest signed checkpoint (issue #10 item 10): the canonical event, its leaf
// index, the audit path (RFC 9162 §2.1.3) and the checkpoint, so that a reader who trusts only the key can check that
// the event is in the log everyone else sees. Its sealed fields are opened one by one (resolvers.ts), each only for a
// reader who may read that field.
import {
  canonicalEvent,
  disclose,
  type CanonicalFields,
  type Disclosure,
  type SealedField,
} from './canonical-event.ts';
import { signedContent, type SignedCheckpoint } from './checkpoint.ts';
import { inclusionProofRanges, rangeHash, subtreesOf } from './merkle/proofs.ts';
import type { ProofReader } from './store/proof.ts';

export interface EventProof extends CanonicalFields {
  canonicalEvent: string;
  leafIndex: number;
  /** Hex, bottom up. */
  auditPath: string[];
  checkpoint: SignedCheckpoint & { signedContent: string };
  /** The event's salt: never answered, only fields derived from it (disclose). */
  salt: Buffer;
}

/** Null when the event is in no checkpoint yet, or the caller may not see it (the database decides too). */
export async function eventProof(reader: ProofReader, id: string): Promise<EventProof | null> {
  const event = await reader.proofEvent(id);
  if (!event) return null;
  const head = await reader.latestCheckpoint();
  if (!head || event.leafIndex >= head.treeSize) return null;
  const ranges = inclusionProofRanges(event.leafIndex, head.treeSize);
  const lookup = await reader.lookup(subtreesOf(ranges));
  const { seqFloor: _, ...checkpoint } = head;
  return {
    ...event.fields,
    canonicalEvent: canonicalEvent(event.fields, event.salt),
    leafIndex: event.leafIndex,
    auditPath: ranges.map((range) => rangeHash(range, lookup).toString('hex')),
    checkpoint: { ...checkpoint, signedContent: signedContent(checkpoint) },
    salt: event.salt,
  };
}

/** One sealed field opened: { salt, value }. */
export function disclosureOf(proof: EventProof, field: SealedField): Disclosure {
  return disclose(proof, proof.salt, field);
}
