// Number, unit and period formatting for the brief's narrative, one `Formatter` per language, so
// the zh/ja catalogues can follow with their own conventions (亿美元, 万元) behind the same calls.
// Formatting never invents a value: null prints as the language's "n/a", never as 0.
import type { Lang } from './document.js';
import { formatYearRanges } from './analysis/indicators.js';

export interface Formatter {
  lang: Lang;
  /** What a missing value prints as. */
  na: string;
  /** Plain number with grouping, `decimals` fixed (default 1). */
  num(x: number | null, decimals?: number): string;
  /** Whole count with grouping, e.g. `1,234 projects` is `count(1234) + ' projects'`. */
  count(x: number | null): string;
  /**
   * US dollars with a scale that reads well: `US$ 38.9 billion` from 10 billion up,
   * `US$ 1,234.5 million` from 1 million, else `US$ 512.3 thousand`.
   */
  money(usd: number | null): string;
  /** US dollars in the scale `money(ref)` would choose, so figures in one sentence compare at a glance. */
  moneyAs(usd: number | null, ref: number | null): string;
  /** US dollars always in millions (`US$ 1,234.5 million`), for sentences compared with tables. */
  moneyMillion(usd: number | null): string;
  /** Yuan with a readable scale: `CNY 1,588.4 billion`. */
  yuan(cny: number | null): string;
  /** A share or rate already in percent: `12.3%`. */
  pct(x: number | null, decimals?: number): string;
  /** A change in percent with its sign: `+10.6%`, `−3.9%`, `0.0%`. */
  signedPct(x: number | null, decimals?: number): string;
  /** The size of a change without its sign (the sentence carries the direction in words): `3.9%`. */
  absPct(x: number | null, decimals?: number): string;
  /** A difference in percentage points with its sign: `+1.2 percentage points`. */
  pp(x: number | null, decimals?: number): string;
  /** An index (TII, RCA): `0.42`. */
  index(x: number | null): string;
  /** A period as readers write it: `2019`. */
  year(p: number | string | null): string;
  /** Years as ranges: `2017–2019, 2021`. */
  years(list: readonly number[]): string;
  /** A span of two years: `2011–2023`. */
  span(first: number, last: number): string;
}

/** The true minus sign: a hyphen before a number reads as a dash in print. */
const MINUS = '\u2212';

function english(): Formatter {
  const cache = new Map<number, Intl.NumberFormat>();
  const nf = (d: number): Intl.NumberFormat => {
    let f = cache.get(d);
    if (!f) {
      f = new Intl.NumberFormat('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
      cache.set(d, f);
    }
    return f;
  };
  const fixed = (x: number, d: number): string => {
    const s = nf(d).format(x);
    // Intl prints `-0.0` for tiny negatives: a reader sees no change, so neither should the sign.
    return s.replace(/^-(?=[0.,]+$)/, '').replace(/^-/, MINUS);
  };
  const na = 'n/a';
  const f: Formatter = {
    lang: 'en',
    na,
    num: (x, d = 1) => (x === null ? na : fixed(x, d)),
    count: (x) => (x === null ? na : fixed(Math.round(x), 0)),
    money(usd) {
      if (usd === null) return na;
      const a = Math.abs(usd);
      if (a >= 1e10) return `US$ ${fixed(usd / 1e9, 1)} billion`;
      if (a >= 1e6) return `US$ ${fixed(usd / 1e6, 1)} million`;
      return `US$ ${fixed(usd / 1e3, 1)} thousand`;
    },
    moneyAs(usd, ref) {
      if (usd === null) return na;
      const a = Math.abs(ref ?? usd);
      if (a >= 1e10) return `US$ ${fixed(usd / 1e9, 1)} billion`;
      if (a >= 1e6) return `US$ ${fixed(usd / 1e6, 1)} million`;
      return `US$ ${fixed(usd / 1e3, 1)} thousand`;
    },
    moneyMillion: (usd) => (usd === null ? na : `US$ ${fixed(usd / 1e6, 1)} million`),
    yuan(cny) {
      if (cny === null) return na;
      const a = Math.abs(cny);
      if (a >= 1e10) return `CNY ${fixed(cny / 1e9, 1)} billion`;
      return `CNY ${fixed(cny / 1e6, 1)} million`;
    },
    pct: (x, d = 1) => (x === null ? na : `${fixed(x, d)}%`),
    signedPct(x, d = 1) {
      if (x === null) return na;
      const s = fixed(x, d);
      return s.startsWith(MINUS) || Number(nf(d).format(Math.abs(x)).replace(/,/g, '')) === 0 ? `${s}%` : `+${s}%`;
    },
    absPct: (x, d = 1) => (x === null ? na : `${fixed(Math.abs(x), d)}%`),
    pp(x, d = 1) {
      if (x === null) return na;
      const s = fixed(x, d);
      const signed = s.startsWith(MINUS) || Number(nf(d).format(Math.abs(x)).replace(/,/g, '')) === 0 ? s : `+${s}`;
      return `${signed} percentage points`;
    },
    index: (x) => (x === null ? na : fixed(x, 2)),
    year: (p) => (p === null ? na : String(p)),
    years: (list) => formatYearRanges(list),
    span: (a, b) => (a === b ? String(a) : `${a}–${b}`),
  };
  return f;
}

const FORMATTERS: Partial<Record<Lang, () => Formatter>> = { en: english };

/** The formatter of a language; zh and ja fall back to English until their catalogues land. */
export function formatter(lang: Lang): Formatter {
  return (FORMATTERS[lang] ?? english)();
}
