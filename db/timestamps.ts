// PostgreSQL timestamps as the GraphQL schemas spell them. node-postgres turns timestamptz into a Date; PGlite may
// too, or hand back text: every store converts through here, so both databases answer the same ISO 8601 string.
export function isoTimestamp(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : value;
}
