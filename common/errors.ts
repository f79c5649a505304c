// The stable error codes the platform answers with. Messages may change; codes may not. Every error that leaves
// the gateway or a subgraph carries one of these in `extensions.code`, and the request id in
// `extensions.requestId`, so an operator can find the log line without the caller seeing internals.
import { GraphQLError } from 'graphql';

/** Operation limits at the gateway (gateway/plugins/operation-limits.ts), one code per limit. */
export const OPERATION_LIMIT_CODES = [
  'MAX_DEPTH_EXCEEDED',
  'MAX_ALIASES_EXCEEDED',
  'MAX_ROOT_FIELDS_EXCEEDED',
  'MAX_DIRECTIVES_EXCEEDED',
  'MAX_TOKENS_EXCEEDED',
  'MAX_COST_EXCEEDED',
] as const;

export const ERROR_CODES = [
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_USER_INPUT',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  // Trusted operations (gateway/trusted-operations/), with Apollo Router's codes and statuses: an id not registered
  // (404), text where only ids are accepted (400), both at once (400), text not registered under safelisting (403).
  'PERSISTED_QUERY_NOT_IN_LIST',
  'PERSISTED_QUERY_ID_REQUIRED',
  'CANNOT_SEND_PQ_ID_AND_BODY',
  'QUERY_NOT_IN_SAFELIST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // Allowed after a stronger ID-porten login: extensions.requiredAcr names the level, extensions.loginUrl (at the
  // gateway) starts it.
  'INSUFFICIENT_AUTHENTICATION_LEVEL',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  // Refused by the HTTP parser before there is a request (common/http-server.ts clientErrorHandler): headers past
  // Node's limit (431), a request not complete in time (408).
  'REQUEST_HEADERS_TOO_LARGE',
  'REQUEST_TIMEOUT',
  // A document content link (/documents/content/:ticket) that is not one: malformed, unknown, used or expired.
  'DOCUMENT_LINK_INVALID',
  ...OPERATION_LIMIT_CODES,
  'SERVICE_UNAVAILABLE',
  // No audit, no data: the audit events of the request could not be stored, so no personal data is answered.
  'AUDIT_UNAVAILABLE',
  'AUTHENTICATION_BUSY',
  // Past the caller's rate limit (gateway/rate-limit/): 429 with Retry-After and the RateLimit headers.
  'RATE_LIMITED',
  // The document store (issue #11): a content link that is malformed, unknown, used, expired, for another purpose
  // or another caller (one answer for all, so a link cannot be probed); a recipient who opted out of storage; content
  // that fails its checks (tampered, or a key that does not fit); a key-encryption key version not available.
  'DOCUMENT_LINK_INVALID',
  'RECIPIENT_OPTED_OUT',
  'DOCUMENT_CONTENT_TAMPERED',
  'DOCUMENT_KEY_MISMATCH',
  'DOCUMENT_KEY_UNAVAILABLE',
  'DOCUMENT_KEY_UNWRAP_FAILED',
  'RANGE_NOT_SATISFIABLE',
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one answer to every refusal, whoever refuses: it says nothing of why, or whether the thing exists. */
export const FORBIDDEN_MESSAGE = 'Du har ikke tilgang til dette.';

const KNOWN = new Set<string>(ERROR_CODES);
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && KNOWN.has(code);
}

/** A GraphQL error with a stable code; `cause` stays on the server (logged), never in the response. */
export function platformError(code: ErrorCode, message: string, cause?: unknown): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code },
    originalError: cause instanceof Error ? cause : undefined,
  });
}

/** The data asks for a stronger login than the caller's (FIKS-FACTS §3: acr_values asks ID-porten for a minimum). */
export function stepUpError(requiredAcr: string): GraphQLError {
  return new GraphQLError('Dette krever innlogging med et høyere sikkerhetsnivå.', {
    extensions: { code: 'INSUFFICIENT_AUTHENTICATION_LEVEL', requiredAcr },
  });
}

export interface ErrorBody {
  errors: { message: string; extensions: { code: ErrorCode; requestId: string } & Record<string, unknown> }[];
}

/** The body of an error answered before GraphQL execution (bad HTTP, bad JSON, no credentials). */
export function errorBody(
  code: ErrorCode,
  message: string,
  requestId: string,
  extensions: Record<string, unknown> = {},
): ErrorBody {
  return { errors: [{ message, extensions: { ...extensions, code, requestId } }] };
}
