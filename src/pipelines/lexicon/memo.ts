// Bounded memory for the pure readers of the lexicon. A statistics table repeats a handful of
// labels (a flow, a unit, a year, some partners) on every row, so a pull of a million rows asks the
// same few questions millions of times; the readers themselves normalise and run regular
// expressions on every call (issue 6: 0.9 s of a 100k-row pull). The readers are pure, so a
// remembered answer is the answer.
//
// Decisions:
// - Bounded: when a cache is full it is emptied and refilled, so a table of ever-new labels costs
//   one Map lookup per call and never more than `limit` entries of memory.
// - Long texts (titles, notes, hostile cells) are not remembered: they are rarely repeated and
//   would make the bound a bound on entries only.
// - Readers that return objects hand out a copy of the remembered one (see `memoiseCopy`), so a
//   caller that changes its result cannot change another caller's.

/** Texts longer than this are read every time. */
export const MEMO_MAX_KEY = 256;
/** Entries per cache before it is emptied. */
export const MEMO_LIMIT = 8192;

/** `fn` remembering its answers for strings of at most `MEMO_MAX_KEY` characters. */
export function memoise<T>(fn: (text: string) => T, limit = MEMO_LIMIT): (text: string) => T {
  const cache = new Map<string, T>();
  return (text: string): T => {
    if (typeof text !== 'string' || text.length > MEMO_MAX_KEY) return fn(text);
    const hit = cache.get(text);
    if (hit !== undefined || cache.has(text)) return hit as T;
    const value = fn(text);
    if (cache.size >= limit) cache.clear();
    cache.set(text, value);
    return value;
  };
}

/** Like `memoise` for readers returning a flat object or null: every call gets its own copy. */
export function memoiseCopy<T extends object>(fn: (text: string) => T | null, limit = MEMO_LIMIT): (text: string) => T | null {
  const remembered = memoise(fn, limit);
  return (text: string): T | null => {
    const value = remembered(text);
    return value === null ? null : { ...value };
  };
}
