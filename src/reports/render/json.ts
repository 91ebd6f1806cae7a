// BriefDocument → JSON: the whole document, figures with their provenance down to the source cell,
// and the chart specs (they hold the charted data). Keys are sorted at every level so the same
// document always gives the same bytes and diffs between runs show only what changed.

import type { BriefDocument } from '../document.js';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      // Dropped as JSON.stringify would drop them, so sorting cannot change what is written.
      if (v !== undefined && typeof v !== 'function') out[key] = sortKeys(v);
    }
    return out;
  }
  // NaN and ±Infinity are not JSON; null says "n/a" just as a null figure does.
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/** The document as JSON: keys sorted, 2-space indent, trailing newline. */
export function renderJson(doc: BriefDocument): string {
  return JSON.stringify(sortKeys(doc), null, 2) + '\n';
}
