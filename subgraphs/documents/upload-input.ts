// The metadata of an upload (startDocumentUpload's input), checked before a link is issued: Dokumentlager's
// dokumentnavn, mimetype, sikkerhetsniva, eksponertFor, korrelasjonsid and ttl / tilgjengeligTil (FIKS-FACTS §6).
// Errors name the field, never its value.
import { GraphQLError } from 'graphql';
import { hasValidPersonNumberCheckDigits, isUuid, isValidOrgnr } from '../../common/identifiers.ts';
import type { Exposure, ExposureKind, PendingDocument } from './store.ts';

export interface StartDocumentUploadInput {
  accountId: string;
  title: string;
  mimeType: string;
  securityLevel: number;
  exposedTo: { kind: ExposureKind; value: string }[];
  correlationId?: string | null;
  ttlSeconds?: number | null;
  availableUntil?: string | null;
}

/** A media type token pair (RFC 9110 §8.3.1), without parameters: it is served back as the download's type. */
const MIME_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$/;
const PRIVILEGE = /^[0-9A-Z_.]{1,100}$/;
export const MAX_EXPOSURES = 100;
/** Ten years: longer is a mistake, not a retention period. */
const MAX_TTL_SECONDS = 10 * 366 * 86_400;

function bad(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
}

function exposure(e: { kind: ExposureKind; value: string }): Exposure {
  const { kind, value } = e;
  const valid =
    (kind === 'PERSON' && /^\d{11}$/.test(value) && hasValidPersonNumberCheckDigits(value)) ||
    (kind === 'ORGANIZATION' && isValidOrgnr(value)) ||
    (kind === 'INTEGRATION' && isUuid(value)) ||
    (kind === 'AUTHORIZATION' &&
      value.split('@').length === 2 &&
      PRIVILEGE.test(value.split('@')[0]!) &&
      isUuid(value.split('@')[1]));
  if (!valid) throw bad(`exposedTo: a ${kind} exposure's value is not valid for its kind.`);
  return { kind, value };
}

/** The document an upload will make, for an account of organisation `orgnr`; `now` fixes ttlSeconds. */
export function pendingDocument(input: StartDocumentUploadInput, orgnr: string, now: Date): PendingDocument {
  const title = input.title.trim();
  if (title.length < 1 || title.length > 500) throw bad('title: 1 to 500 characters.');
  if (!MIME_TYPE.test(input.mimeType)) throw bad('mimeType: a media type such as application/pdf.');
  if (input.securityLevel !== 3 && input.securityLevel !== 4) throw bad('securityLevel: 3 or 4.');
  if (input.exposedTo.length < 1 || input.exposedTo.length > MAX_EXPOSURES)
    throw bad(`exposedTo: 1 to ${MAX_EXPOSURES} exposures.`);
  const exposures = [...new Map(input.exposedTo.map((e) => [`${e.kind}\0${e.value}`, exposure(e)])).values()];
  if (input.ttlSeconds != null && input.availableUntil != null)
    throw bad('ttlSeconds and availableUntil: give one of them.');
  let availableUntil: string | null = null;
  if (input.ttlSeconds != null) {
    if (input.ttlSeconds < 1 || input.ttlSeconds > MAX_TTL_SECONDS)
      throw bad('ttlSeconds: 1 second to 10 years.');
    availableUntil = new Date(now.getTime() + input.ttlSeconds * 1000).toISOString();
  } else if (input.availableUntil != null) {
    const at = Date.parse(input.availableUntil);
    if (Number.isNaN(at) || at <= now.getTime() || at > now.getTime() + MAX_TTL_SECONDS * 1000)
      throw bad('availableUntil: a date-time in the next ten years.');
    availableUntil = new Date(at).toISOString();
  }
  return {
    orgnr,
    accountId: input.accountId,
    title,
    mimeType: input.mimeType.toLowerCase(),
    securityLevel: input.securityLevel,
    correlationId: input.correlationId ?? null,
    availableUntil,
    exposures,
  };
}
