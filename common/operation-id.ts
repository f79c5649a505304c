// The id of a trusted operation: the SHA-256 of its text, in lower-case hex, as Apollo's persisted query manifests,
// graphql-codegen's persisted documents and Apollo clients' `extensions.persistedQuery.sha256Hash` all spell it.
// Shared by the gateway (which checks manifests and requests) and the integrations subgraph (which stores lists), so
// both refuse an id that lies about its text the same way.
import { createHash } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function operationId(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export function isOperationId(value: unknown): value is string {
  return typeof value === 'string' && SHA256_HEX.test(value);
}

/** The operation limits a trusted operation may carry above the defaults (gateway/plugins/operation-limits.ts). */
export const TRUSTED_LIMIT_NAMES = [
  'maxDepth',
  'maxAliases',
  'maxRootFields',
  'maxDirectives',
  'maxCost',
] as const;
export type TrustedLimitName = (typeof TRUSTED_LIMIT_NAMES)[number];
export type TrustedOperationLimits = Partial<Record<TrustedLimitName, number>>;

/** The limits, or a reason they are refused: only known names, each a positive whole number. */
export function checkTrustedLimits(value: unknown): TrustedOperationLimits | string {
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) return 'limits must be an object';
  const limits: TrustedOperationLimits = {};
  for (const [name, limit] of Object.entries(value as Record<string, unknown>)) {
    if (!(TRUSTED_LIMIT_NAMES as readonly string[]).includes(name)) return `unknown limit ${name}`;
    if (limit === null || limit === undefined) continue;
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      return `limit ${name} must be a positive whole number`;
    }
    limits[name as TrustedLimitName] = limit;
  }
  return limits;
}
