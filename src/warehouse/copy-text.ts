// PostgreSQL's COPY text format, the one thing about PostgreSQL the streaming path's producer
// thread knows (stage-encode.ts writes a direct load's rows in it, so they cross the thread boundary
// as one string per batch). Kept apart from dialect.ts so the producer thread's bundle does not
// take in kysely and the drivers.
import type { StageValue } from './dialect.js';

/**
 * A value as a COPY text field: `\N` for NULL, a number as JavaScript prints it, text with
 * backslash, tab, newline and carriage return escaped (every other character is taken as is).
 */
export function copyField(v: StageValue | undefined): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'number') return String(v);
  return copyEscape(v);
}

/**
 * Text with COPY's four special characters escaped. A scan by char code: most fields have none of
 * them, and the scan answers that without a regular expression's call (issue 6: the million-row
 * PostgreSQL load writes fourteen fields a row).
 */
export function copyEscape(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92 || c === 9 || c === 10 || c === 13) return s.replace(ESCAPE, escapeChar);
  }
  return s;
}

const ESCAPE = /[\\\t\n\r]/g;
function escapeChar(c: string): string {
  return c === '\t' ? '\\t' : c === '\n' ? '\\n' : c === '\r' ? '\\r' : '\\\\';
}
