// The lexicon: pure readers of the words and numbers statistics tables are written in, shared by
// shape (which finds headers, units and totals) and normalise (which turns them into canonical terms).
export { parseNumber, toHalfWidth } from './numbers.js';
export type { ParsedNumber } from './numbers.js';
export { looksLikePeriod, parsePeriod } from './periods.js';
export type { ParsedPeriod, PeriodKind } from './periods.js';
export { findUnitInText, parseUnit, stripUnitWrapper } from './units.js';
export type { ParsedUnit } from './units.js';
export { parseFlow } from './flows.js';
export { isIllustrativeFlag, isNoteText, isTotalLabel, labelParts, normaliseLabel, stripSubRowPrefix } from './markers.js';
