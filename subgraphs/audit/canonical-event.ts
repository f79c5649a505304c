// The canonical event: the one exact UTF-8 string a leaf of the audit log's Merkle tree hashes (RFC 9162 §2.1.1:
// leaf hash = SHA-256(0x00 ‖ canonical event)). A citizen's browser recomputes the leaf hash from this string, so it
// is plain JSON with a fixed key order and no whitespace; docs/AUDIT-LOG.md describes it byte for byte.
//
// The fields that hold a person's data (those marked @personalData on AuditEvent) are not in the string itself but
// sealed: each is replaced by a commitment SHA-256(field salt ‖ value), its field salt derived from a random salt per
// event. A proof can then open the fields its reader may read (the citizen's own fødselsnummer) and keep the others
// (the caseworker's) closed, and the closed ones cannot be guessed from the hash, as an unsalted fødselsnummer could.
import { createHash, createHmac } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { leafHash } from './merkle/hash.ts';

/** An event's fields as audit.canonical_event spells them: the time with microseconds, the payload as jsonb text. */
export interface CanonicalFields {
  id: string;
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
  /** PostgreSQL's jsonb text, or null. */
  payload: string | null;
}

/** Format version, the first key of every canonical event. */
export const CANONICAL_EVENT_VERSION = 1;

/** The sealed fields, in the order the canonical event lists them. */
export const SEALED_FIELDS = ['actorId', 'onBehalfOf', 'dataSubject', 'payload'] as const;
export type SealedField = (typeof SEALED_FIELDS)[number];

/** A sealed field opened: its field salt and its value as JSON text, which SHA-256 to the commitment. */
export interface Disclosure {
  /** Hex. */
  salt: string;
  /** The value as JSON text: a quoted string, `null`, or the canonical payload. */
  value: string;
}

/** HMAC-SHA256(event salt, field name): one field's salt gives away nothing of another's. */
export function fieldSalt(eventSalt: Uint8Array, field: SealedField): Buffer {
  return createHmac('sha256', eventSalt).update(field, 'utf8').digest();
}

/** A sealed field's value as JSON text. */
export function sealedValue(fields: CanonicalFields, field: SealedField): string {
  if (field === 'payload') return fields.payload === null ? 'null' : canonicalJson(fields.payload);
  return JSON.stringify(fields[field]);
}

/** SHA-256(field salt ‖ UTF-8 value), hex. */
export function commitment(salt: Uint8Array, value: string): string {
  return createHash('sha256').update(salt).update(value, 'utf8').digest('hex');
}

export function disclose(fields: CanonicalFields, eventSalt: Uint8Array, field: SealedField): Disclosure {
  return { salt: fieldSalt(eventSalt, field).toString('hex'), value: sealedValue(fields, field) };
}

export function canonicalEvent(fields: CanonicalFields, eventSalt: Uint8Array): string {
  const sealed = SEALED_FIELDS.map(
    (field) =>
      `${JSON.stringify(field)}:"${commitment(fieldSalt(eventSalt, field), sealedValue(fields, field))}"`,
  );
  const open = [
    ['v', CANONICAL_EVENT_VERSION],
    ['id', fields.id],
    ['occurredAt', fields.occurredAt],
    ['actorType', fields.actorType],
    ['orgnr', fields.orgnr],
    ['service', fields.service],
    ['action', fields.action],
    ['legalBasis', fields.legalBasis],
    ['requestId', fields.requestId],
  ] as const;
  return `{${open.map(([k, v]) => `"${k}":${JSON.stringify(v)}`).join(',')},"sealed":{${sealed.join(',')}}}`;
}

/** RFC 9162 §2.1.1: the leaf hash of an event. */
export function eventLeafHash(fields: CanonicalFields, eventSalt: Uint8Array): Buffer {
  return leafHash(Buffer.from(canonicalEvent(fields, eventSalt), 'utf8'));
}
