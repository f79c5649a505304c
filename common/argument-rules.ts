// What an argument value must look like before it may go any further, read from the argument's type and name in the
// schema — the same conventions everywhere: an ID is a UUID, `orgnr`/`*Orgnr` an organisation number, `pid`/`*Pid` a
// fødselsnummer, `actorId` either of a fødselsnummer or an integration's id, other `id`/`*Id` strings UUIDs. Every
// string is well-formed Unicode without control characters and of bounded length; every Int fits PostgreSQL's int4.
// These are shapes the database and the stores can take without failing; the domain modules still check meaning
// (check digits, privilege name syntax, who may) with their own messages.
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  type GraphQLInputType,
} from 'graphql';
import { isUuid } from './identifiers.ts';

/** Longer than any name, title or description the platform keeps; long enough for a generous free text. */
export const MAX_STRING_LENGTH = 1000;

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;

// Unicode general category Cc: C0 (NUL included), DEL and C1. PostgreSQL refuses NUL in text outright (22021).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ORGNR = /^\d{9}$/;
const PID = /^\d{11}$/;

function isNamed(name: string, base: string, suffix: string): boolean {
  return name === base || name.endsWith(suffix);
}

/** The text of a registered operation (schema/integrations.graphql): a document, not a name, so longer, with lines. */
export const MAX_DOCUMENT_LENGTH = 100_000;
// GraphQL's own white space and line terminators (tab, LF, CR) are part of a document; other control characters are not.
// eslint-disable-next-line no-control-regex
const DOCUMENT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

function documentProblem(value: string): string | null {
  if (value.length > MAX_DOCUMENT_LENGTH) return `must be at most ${MAX_DOCUMENT_LENGTH} characters`;
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode';
  if (DOCUMENT_CONTROL.test(value))
    return 'must not contain control characters other than tab and line breaks';
  return null;
}

/** Why a string is refused, or null. `name` is the argument's (or input field's) name. */
function stringProblem(name: string, scalar: string, value: string): string | null {
  if (scalar === 'GraphQLDocument') return documentProblem(value);
  if (value.length > MAX_STRING_LENGTH) return `must be at most ${MAX_STRING_LENGTH} characters`;
  // A lone surrogate is not text: drivers would silently store U+FFFD in its place.
  if (LONE_SURROGATE.test(value)) return 'must be well-formed Unicode';
  if (CONTROL.test(value)) return 'must not contain control characters';
  if (scalar === 'ID') return isUuid(value) ? null : 'must be a UUID';
  if (name === 'actorId') {
    return PID.test(value) || isUuid(value)
      ? null
      : 'must be a fødselsnummer (11 digits) or an integration id';
  }
  if (isNamed(name, 'orgnr', 'Orgnr'))
    return ORGNR.test(value) ? null : 'must be an organisation number (9 digits)';
  if (isNamed(name, 'pid', 'Pid')) return PID.test(value) ? null : 'must be a fødselsnummer (11 digits)';
  if (isNamed(name, 'id', 'Id')) return isUuid(value) ? null : 'must be a UUID';
  return null;
}

/**
 * Why a coerced argument value is refused, as `[path, reason]`, or null when it may go on. Lists and input objects
 * are checked element by element and field by field; enums and booleans are already exact after coercion. A custom
 * scalar (federation's `_Any`, `JSON`) has no rule here: no API field takes one as an argument.
 */
export function argumentProblem(
  name: string,
  type: GraphQLInputType,
  value: unknown,
  path: string = name,
): [string, string] | null {
  if (value === null || value === undefined) return null;
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const items = Array.isArray(value) ? (value as unknown[]) : [value];
    for (const [i, item] of items.entries()) {
      const problem = argumentProblem(name, inner.ofType, item, `${path}[${i}]`);
      if (problem) return problem;
    }
    return null;
  }
  if (isInputObjectType(inner)) {
    for (const field of Object.values(inner.getFields())) {
      const fieldValue = (value as Record<string, unknown>)[field.name];
      const problem = argumentProblem(field.name, field.type, fieldValue, `${path}.${field.name}`);
      if (problem) return problem;
    }
    return null;
  }
  if (isEnumType(inner)) return null;
  const scalar = getNamedType(inner).name;
  if (typeof value === 'string') {
    const problem = stringProblem(name, scalar, value);
    return problem ? [path, problem] : null;
  }
  if (typeof value === 'number' && scalar === 'Int') {
    return Number.isInteger(value) && value >= INT4_MIN && value <= INT4_MAX
      ? null
      : [path, 'must be an integer within -2147483648..2147483647'];
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return [path, 'must be a finite number'];
  return null;
}
