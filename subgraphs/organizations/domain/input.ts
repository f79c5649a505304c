// Checking the privilege store's inputs: anything malformed is BAD_USER_INPUT before the store is asked. The rules
// are the database's own (migrations 001, 004), checked here first so the caller learns what is wrong.
import type { Actor } from '../../../access/privileges.ts';
import { FORBIDDEN_MESSAGE, platformError } from '../../../common/errors.ts';
import { hasValidPersonNumberCheckDigits, isUuid, isValidOrgnr } from '../../../common/identifiers.ts';

export { isUuid };

/** Privilege and resource type names (Fiks: `^[0-9A-Z_.]+$`). */
const NAME = /^[0-9A-Z_.]{1,100}$/;
/** The root resource's type; no other resource may have it. */
export const ROOT_TYPE = 'ORGANISASJON';
export const ADMIN = 'ADMIN';

function badInput(message: string): Error {
  return platformError('BAD_USER_INPUT', message);
}

/** The one refusal for "you may not" and "there is no such thing", so the two cannot be told apart. */
export function forbidden(): Error {
  return platformError('FORBIDDEN', FORBIDDEN_MESSAGE);
}

export function requireOrgnr(orgnr: string): string {
  if (!isValidOrgnr(orgnr)) throw badInput('orgnr must be a valid organisation number.');
  return orgnr;
}

export function requirePid(pid: string): string {
  if (!hasValidPersonNumberCheckDigits(pid)) throw badInput('pid must be a valid fødselsnummer or d-nummer.');
  return pid;
}

export function requirePrivilege(privilege: string): string {
  if (!NAME.test(privilege)) throw badInput('privilege must match ^[0-9A-Z_.]+$ (at most 100 characters).');
  return privilege;
}

export function requireResourceType(type: string): string {
  if (!NAME.test(type)) throw badInput('type must match ^[0-9A-Z_.]+$ (at most 100 characters).');
  if (type === ROOT_TYPE) throw badInput(`${ROOT_TYPE} is the type of an organisation's root resource only.`);
  return type;
}

export function requireName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 200) throw badInput('name must be 1–200 characters.');
  return trimmed;
}

/** A grant's legal basis (lovhjemmel), e.g. "forvaltningsloven § 13 b": optional, printable, 3–200 characters. */
export function optionalLegalBasis(legalBasis: string | null | undefined): string | null {
  if (legalBasis === null || legalBasis === undefined) return null;
  const trimmed = legalBasis.trim();
  // The database's own check (organizations migration 007), stated first so the caller learns what is wrong.
  // eslint-disable-next-line no-control-regex
  if (!/^[^\x00-\x1f\x7f]{3,200}$/.test(trimmed))
    throw badInput('legalBasis must be 3–200 printable characters.');
  return trimmed;
}

/** A person by fødselsnummer or an integration by id (a UUID, kept in lower case as the platform stores it). */
export function requireActor(actorType: string, actorId: string): Actor {
  if (actorType === 'PERSON') return { type: 'PERSON', id: requirePid(actorId) };
  if (actorType === 'INTEGRATION') {
    if (!isUuid(actorId)) throw badInput('actorId of an integration must be its id.');
    return { type: 'INTEGRATION', id: actorId.toLowerCase() };
  }
  throw badInput('actorType must be PERSON or INTEGRATION.');
}
