// Number, unit, period and date formatting for the brief's narrative, one `Formatter` per language:
// the same calls print `US$ 948.0 million` in English, `9.48亿美元` in Chinese and `9億4,800万ドル`
// in Japanese (JETRO style: 億ドル with one decimal from 10億, 億+万 below). Digits and grouping come
// from Intl.NumberFormat with the language's locale. Formatting never invents a value: null prints as
// the language's "n/a", never as 0.
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
   * `US$ 1,234.5 million` from 1 million, else `US$ 512.3 thousand`; zh `420.4亿美元`, `9.48亿美元`,
   * `512万美元`; ja `420.4億ドル`, `9億4,800万ドル`, `512万ドル`.
   */
  money(usd: number | null): string;
  /** US dollars in the scale `money(ref)` would choose, so figures in one sentence compare at a glance. */
  moneyAs(usd: number | null, ref: number | null): string;
  /**
   * US dollars always in millions (`US$ 1,234.5 million`), for sentences compared with tables. zh and
   * ja narratives never write millions (百万美元 reads as a table heading), so there it is `money`.
   */
  moneyMillion(usd: number | null): string;
  /** Yuan with a readable scale: `CNY 1,588.4 billion`, zh `15,883.9亿元`, ja `1兆5,884億元`. */
  yuan(cny: number | null): string;
  /** A share or rate already in percent: `12.3%`. */
  pct(x: number | null, decimals?: number): string;
  /** A change in percent with its sign: `+10.6%`, `−3.9%`, `0.0%`. */
  signedPct(x: number | null, decimals?: number): string;
  /** The size of a change without its sign (the sentence carries the direction in words): `3.9%`. */
  absPct(x: number | null, decimals?: number): string;
  /** A difference in percentage points with its sign: `+1.2 percentage points`, `+1.2个百分点`, `+1.2ポイント`. */
  pp(x: number | null, decimals?: number): string;
  /** An index (TII, RCA): `0.42`. */
  index(x: number | null): string;
  /** A timestamp for the cover and the Sources list: `2024-05-02 08:30 UTC`, `2024年5月2日 08:30 UTC`. */
  timestamp(iso: string | null): string;
  /** A period as readers write it: `2019`, `2019年`. */
  year(p: number | string | null): string;
  /** Years as ranges: `2017–2019, 2021` (zh `2017—2019年、2021年`, ja `2017～2019年、2021年`). */
  years(list: readonly number[]): string;
  /** A span of two years: `2011–2023` (zh `2011—2023年`, ja `2011～2023年`). */
  span(first: number, last: number): string;
}

/** The true minus sign: a hyphen before a number reads as a dash in Latin print. */
const MINUS = '\u2212';

/** Plain fixed-decimal numbers in a locale, with the sign the language's faces draw well. */
function numbers(locale: string, minus: string): { fixed: (x: number, d: number) => string; isZero: (x: number, d: number) => boolean } {
  const cache = new Map<number, Intl.NumberFormat>();
  const nf = (d: number): Intl.NumberFormat => {
    let f = cache.get(d);
    if (!f) {
      f = new Intl.NumberFormat(locale, { minimumFractionDigits: d, maximumFractionDigits: d });
      cache.set(d, f);
    }
    return f;
  };
  return {
    fixed(x, d) {
      const s = nf(d).format(x);
      // Intl prints `-0.0` for tiny negatives: a reader sees no change, so neither should the sign.
      return s.replace(/^-(?=[0.,]+$)/, '').replace(/^-/, minus);
    },
    isZero: (x, d) => Number(nf(d).format(Math.abs(x)).replace(/,/g, '')) === 0,
  };
}

/** What every language shares: percentages, signs, indices. */
function common(lang: Lang, locale: string, minus: string, na: string, ppUnit: string): Pick<Formatter, 'lang' | 'na' | 'num' | 'count' | 'pct' | 'signedPct' | 'absPct' | 'pp' | 'index'> {
  const { fixed, isZero } = numbers(locale, minus);
  const signed = (x: number, d: number): string => {
    const s = fixed(x, d);
    return s.startsWith(minus) || isZero(x, d) ? s : `+${s}`;
  };
  return {
    lang,
    na,
    num: (x, d = 1) => (x === null ? na : fixed(x, d)),
    count: (x) => (x === null ? na : fixed(Math.round(x), 0)),
    pct: (x, d = 1) => (x === null ? na : `${fixed(x, d)}%`),
    signedPct: (x, d = 1) => (x === null ? na : `${signed(x, d)}%`),
    absPct: (x, d = 1) => (x === null ? na : `${fixed(Math.abs(x), d)}%`),
    pp: (x, d = 1) => (x === null ? na : `${signed(x, d)}${ppUnit}`),
    index: (x) => (x === null ? na : fixed(x, 2)),
  };
}

/** `2024-05-02T08:30:00Z` → its UTC date and time parts; null when unparseable. */
function utcParts(iso: string): { y: number; m: number; d: number; hm: string } | null {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return null;
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hm: t.toISOString().slice(11, 16) };
}

function english(): Formatter {
  const { fixed } = numbers('en-US', MINUS);
  const na = 'n/a';
  const scaled = (usd: number, ref: number): string => {
    const a = Math.abs(ref);
    if (a >= 1e10) return `US$ ${fixed(usd / 1e9, 1)} billion`;
    if (a >= 1e6) return `US$ ${fixed(usd / 1e6, 1)} million`;
    return `US$ ${fixed(usd / 1e3, 1)} thousand`;
  };
  return {
    ...common('en', 'en-US', MINUS, na, ' percentage points'),
    money: (usd) => (usd === null ? na : scaled(usd, usd)),
    moneyAs: (usd, ref) => (usd === null ? na : scaled(usd, ref ?? usd)),
    moneyMillion: (usd) => (usd === null ? na : `US$ ${fixed(usd / 1e6, 1)} million`),
    yuan(cny) {
      if (cny === null) return na;
      if (Math.abs(cny) >= 1e10) return `CNY ${fixed(cny / 1e9, 1)} billion`;
      return `CNY ${fixed(cny / 1e6, 1)} million`;
    },
    timestamp(iso) {
      if (!iso) return na;
      const t = new Date(iso);
      return Number.isNaN(t.getTime()) ? iso : `${t.toISOString().slice(0, 10)} ${t.toISOString().slice(11, 16)} UTC`;
    },
    year: (p) => (p === null ? na : String(p)),
    years: (list) => formatYearRanges(list),
    span: (a, b) => (a === b ? String(a) : `${a}–${b}`),
  };
}

/**
 * Chinese: 万美元 below 1亿, 亿美元 (two decimals under 10亿, as `9.48亿美元`, else one) up to
 * 1万亿, then 万亿美元; yuan in 亿元 as the statistical bulletins print it, 万亿元 from 10万亿. The
 * sign is a plain hyphen: Noto Sans SC draws U+2212 full-width, which reads as a gap in a number.
 */
function chinese(): Formatter {
  const minus = '-';
  const { fixed } = numbers('zh-CN', minus);
  const na = '—';
  const scaled = (usd: number, ref: number): string => {
    const a = Math.abs(ref);
    if (a >= 1e12) return `${fixed(usd / 1e12, 2)}万亿美元`;
    if (a >= 1e8) return `${fixed(usd / 1e8, a >= 1e9 ? 1 : 2)}亿美元`;
    if (a >= 1e4) return `${fixed(usd / 1e4, 0)}万美元`;
    return `${fixed(usd, 0)}美元`;
  };
  return {
    ...common('zh', 'zh-CN', minus, na, '个百分点'),
    ...moneyIn(scaled, na),
    yuan(cny) {
      if (cny === null) return na;
      const a = Math.abs(cny);
      if (a >= 1e13) return `${fixed(cny / 1e12, 2)}万亿元`;
      if (a >= 1e8) return `${fixed(cny / 1e8, 1)}亿元`;
      return `${fixed(cny / 1e4, 0)}万元`;
    },
    ...cjkDates('—', na),
  };
}

/**
 * Japanese, as JETRO writes it: 億ドル with one decimal from 10億 (`420.4億ドル`), 億 and 万 below
 * (`9億4,800万ドル`, to the nearest 100万 like the English `948.0 million`), 万ドル under 1億, 兆ドル
 * from 1兆; yuan as `1兆5,884億元` / `1,234.5億元`. Plain hyphen as the sign, as for Chinese.
 */
function japanese(): Formatter {
  const minus = '-';
  const { fixed } = numbers('ja-JP', minus);
  const na = '—';
  const okuMan = (x: number, unit: string): string => {
    // Rounded to 100万 first, so 9億9,999万 never prints as "9億10,000万".
    const man = Math.round(Math.abs(x) / 1e6) * 100;
    const oku = Math.floor(man / 1e4);
    const rest = man - oku * 1e4;
    const sign = x < 0 && man > 0 ? minus : '';
    if (oku === 0) return `${sign}${fixed(rest, 0)}万${unit}`;
    return `${sign}${fixed(oku, 0)}億${rest ? `${fixed(rest, 0)}万` : ''}${unit}`;
  };
  const scaled = (usd: number, ref: number): string => {
    const a = Math.abs(ref);
    if (a >= 1e12) return `${fixed(usd / 1e12, 2)}兆ドル`;
    if (a >= 1e9) return `${fixed(usd / 1e8, 1)}億ドル`;
    if (a >= 1e8) return okuMan(usd, 'ドル');
    return `${fixed(usd / 1e4, 0)}万ドル`;
  };
  return {
    ...common('ja', 'ja-JP', minus, na, 'ポイント'),
    ...moneyIn(scaled, na),
    yuan(cny) {
      if (cny === null) return na;
      const a = Math.abs(cny);
      if (a >= 1e12) {
        const oku = Math.round(a / 1e8);
        const cho = Math.floor(oku / 1e4);
        const rest = oku - cho * 1e4;
        return `${cny < 0 ? minus : ''}${fixed(cho, 0)}兆${rest ? `${fixed(rest, 0)}億` : ''}元`;
      }
      if (a >= 1e8) return `${fixed(cny / 1e8, 1)}億元`;
      return `${fixed(cny / 1e4, 0)}万元`;
    },
    ...cjkDates('～', na),
  };
}

/** Money in a CJK language: every variant picks its scale from the value (or the reference) alike. */
function moneyIn(scaled: (usd: number, ref: number) => string, na: string): Pick<Formatter, 'money' | 'moneyAs' | 'moneyMillion'> {
  return {
    money: (usd) => (usd === null ? na : scaled(usd, usd)),
    moneyAs: (usd, ref) => (usd === null ? na : scaled(usd, ref ?? usd)),
    moneyMillion: (usd) => (usd === null ? na : scaled(usd, usd)),
  };
}

/** Years and timestamps as Chinese and Japanese write them; only the range dash differs (— / ～). */
function cjkDates(dash: string, na: string): Pick<Formatter, 'timestamp' | 'year' | 'years' | 'span'> {
  return {
    timestamp(iso) {
      if (!iso) return na;
      const p = utcParts(iso);
      return p ? `${p.y}年${p.m}月${p.d}日 ${p.hm} UTC` : iso;
    },
    year: (p) => (p === null ? na : `${p}年`),
    years: (list) =>
      formatYearRanges(list)
        .split(', ')
        .filter(Boolean)
        .map((r) => `${r.replace('–', dash)}年`)
        .join('、'),
    span: (a, b) => (a === b ? `${a}年` : `${a}${dash}${b}年`),
  };
}

const FORMATTERS: Record<Lang, () => Formatter> = { en: english, zh: chinese, ja: japanese };

/** The formatter of a language. */
export function formatter(lang: Lang): Formatter {
  return FORMATTERS[lang]();
}
