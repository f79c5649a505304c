// The arguments of the audit log's reads, checked before they reach the store: page sizes, cursors and times. The
// gateway and the subgraph's input check have already refused control characters, over-long strings and ill-formed
// identifiers (common/argument-rules.ts); what is left is meaning, answered with BAD_USER_INPUT.
import { platformError } from '../../common/errors.ts';
import type { EventKey } from './store/reading.ts';

/** The most events or entries one page holds. */
export const MAX_PAGE = 500;

/** A page size (`first`, `limit`) between 1 and MAX_PAGE. */
export function pageSize(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_PAGE) {
    throw platformError('BAD_USER_INPUT', `${name} must be between 1 and ${MAX_PAGE}.`);
  }
  return value;
}

// RFC 3339 §5.6 date-time, with the offset required (a time without one means a different instant to every reader).
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/i;

/** An instant as ISO 8601 text, to the millisecond, or BAD_USER_INPUT naming the argument. Passed on as JavaScript
 * reads it, so nothing JavaScript accepts and PostgreSQL refuses (30 February, year 0) reaches the database. */
export function instant(value: unknown, name: string): string {
  const ms = typeof value === 'string' && DATE_TIME.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() < 1) {
    throw platformError('BAD_USER_INPUT', `${name} must be an ISO 8601 date-time with an offset.`);
  }
  return new Date(ms).toISOString();
}

export function optionalInstant(value: unknown, name: string): string | null {
  return value === undefined || value === null ? null : instant(value, name);
}

/** [from, to) with from before to. */
export function period(from: unknown, to: unknown): { from: string; to: string } {
  const range = { from: instant(from, 'from'), to: instant(to, 'to') };
  if (Date.parse(range.from) >= Date.parse(range.to)) {
    throw platformError('BAD_USER_INPUT', 'from must be before to.');
  }
  return range;
}

// The cursor is opaque to callers (base64url), and versioned so its shape may change: the key of the page's last
// event, its time to the microsecond in UTC and its seq. A cursor spelled by hand only moves where a page starts;
// row-level security and the filter still decide what it holds.
const KEY = /^v1\|(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|(\d{1,18})$/;

export function encodeCursor(key: EventKey): string {
  return Buffer.from(`v1|${key.at}|${key.seq}`).toString('base64url');
}

export function decodeCursor(cursor: unknown): EventKey | null {
  if (cursor === undefined || cursor === null) return null;
  const match = typeof cursor === 'string' ? KEY.exec(Buffer.from(cursor, 'base64url').toString()) : null;
  if (!match || Number.isNaN(Date.parse(match[1]!))) {
    throw platformError('BAD_USER_INPUT', 'after must be a nextCursor this API returned.');
  }
  return { at: match[1]!, seq: match[2]! };
}

/** A page of `size` from `size + 1` rows read: the extra row only says there is a next page. */
export function pageOf<Row extends { key: EventKey }>(
  rows: Row[],
  size: number,
): { rows: Row[]; nextCursor: string | null } {
  if (rows.length <= size) return { rows, nextCursor: null };
  const page = rows.slice(0, size);
  return { rows: page, nextCursor: encodeCursor(page[size - 1]!.key) };
}
