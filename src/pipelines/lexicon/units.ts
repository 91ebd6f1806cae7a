// Reads unit statements (`万美元`, `US$ million`, `億円`, `CNY per USD`, `%`) into a scale, a
// currency and a kind. Pure; never throws; unknown words make the whole unit unknown (null) rather
// than a guess.
//
// The reader is a small tokenizer: at each position it takes the longest lexicon entry (CJK words
// match anywhere, Latin words only at word boundaries), or a number (`10,000`, `100`). Scales
// multiply (`百万` = 百 × 万 = 1e6; `US$ 100 million` = 100 × 1e6). A `/` or `per` splits the
// numerator from the denominator.
//
// Decisions:
// - Money over money (`元/美元`, `CNY per USD`, `円/ドル`) is a `rate` in the numerator's currency;
//   a denominator scale divides (`元/100美元` has scale 0.01, i.e. yuan per dollar after scaling).
// - Money per anything else (`元/人`, `美元/吨`) is `money` in the numerator currency and scale.
// - A bare scale with nothing to scale (`万`, `10,000`, `thousand`) is null: the kind is unknown.
// - `¥` is not read as a currency: it is both yuan and yen.
// - An index (`2015=100`, `上年=100`, `指数`, `index`) has scale 1 and no currency.
// - Quantities are in their own base unit: `千克`/`kg`, `千瓦时`/`kWh` and `吨` are scale 1 (`千克`
//   is one word, a kilogram, not 千 × 克); `万吨` is 1e4 tonnes.

import { memoise, memoiseCopy } from './memo.js';

export interface ParsedUnit {
  /** The unit as written, trimmed, without a `单位：`/`Unit:` prefix or wrapping brackets. */
  text: string;
  /** multiply a value by this to get base units (e.g. 万 = 1e4, 亿 = 1e8, 千 = 1e3, 百万 = 1e6, thousand, million, billion, 10,000, 100 million) */
  scale: number;
  /** ISO 4217 currency or null */
  currency: string | null;
  kind: 'money' | 'count' | 'percent' | 'index' | 'rate' | 'quantity';
}

type Kind = ParsedUnit['kind'];
type Token =
  | { t: 'scale'; scale: number }
  | { t: 'currency'; currency: string }
  | { t: 'kind'; kind: Kind }
  | { t: 'per' }
  | { t: 'skip' };

const scale = (n: number): Token => ({ t: 'scale', scale: n });
const cur = (c: string): Token => ({ t: 'currency', currency: c });
const kind = (k: Kind): Token => ({ t: 'kind', kind: k });
const SKIP: Token = { t: 'skip' };
const PER: Token = { t: 'per' };

/** CJK entries: matched anywhere, longest first. */
const CJK: Record<string, Token> = {
  十: scale(10), 百: scale(100), 千: scale(1e3), 万: scale(1e4), 萬: scale(1e4), 亿: scale(1e8),
  億: scale(1e8), 兆: scale(1e12),
  美元: cur('USD'), 美金: cur('USD'), ドル: cur('USD'), 米ドル: cur('USD'), 米国ドル: cur('USD'),
  元: cur('CNY'), 人民币: cur('CNY'), 人民币元: cur('CNY'), 人民幣: cur('CNY'), 人民元: cur('CNY'),
  円: cur('JPY'), 日元: cur('JPY'), 日圆: cur('JPY'),
  卢布: cur('RUB'), 盧布: cur('RUB'), ルーブル: cur('RUB'),
  欧元: cur('EUR'), ユーロ: cur('EUR'), 港元: cur('HKD'), 港币: cur('HKD'), 韩元: cur('KRW'),
  ウォン: cur('KRW'), 英镑: cur('GBP'),
  百分比: kind('percent'), 百分点: kind('percent'), '%': kind('percent'), パーセント: kind('percent'),
  指数: kind('index'),
  个: kind('count'), 個: kind('count'), 件: kind('count'), 项: kind('count'), 項: kind('count'),
  家: kind('count'), 户: kind('count'), 戸: kind('count'), 人: kind('count'), 人次: kind('count'),
  社: kind('count'), 辆: kind('count'), 台: kind('count'), 艘: kind('count'), 件数: kind('count'),
  吨: kind('quantity'), トン: kind('quantity'), 公斤: kind('quantity'), 千克: kind('quantity'),
  立方米: kind('quantity'), 千瓦时: kind('quantity'), 度: kind('quantity'),
  '/': PER, 每: PER, 当たり: PER,
  上年: SKIP, 上年同期: SKIP, 去年: SKIP, 前年: SKIP, 前年同期: SKIP,
  单位: SKIP, 単位: SKIP, ':': SKIP, 计: SKIP, 現在: SKIP, 当年价: SKIP, 现价: SKIP,
};

/** Latin words, matched at word boundaries (after lower-casing), longest first. */
const LATIN: Record<string, Token> = {
  'us$': cur('USD'), 'hk$': cur('HKD'), $: cur('USD'), usd: cur('USD'), 'us dollars': cur('USD'),
  'us dollar': cur('USD'), 'u.s. dollars': cur('USD'), 'u.s. dollar': cur('USD'), dollars: cur('USD'),
  dollar: cur('USD'), 'current us$': cur('USD'),
  yuan: cur('CNY'), rmb: cur('CNY'), cny: cur('CNY'), renminbi: cur('CNY'), 'rmb yuan': cur('CNY'),
  yen: cur('JPY'), jpy: cur('JPY'),
  rub: cur('RUB'), rubles: cur('RUB'), roubles: cur('RUB'), ruble: cur('RUB'), rouble: cur('RUB'),
  eur: cur('EUR'), euro: cur('EUR'), euros: cur('EUR'), '€': cur('EUR'), hkd: cur('HKD'),
  krw: cur('KRW'), won: cur('KRW'), gbp: cur('GBP'), '£': cur('GBP'),
  k: scale(1e3), thousand: scale(1e3), thousands: scale(1e3), ths: scale(1e3),
  m: scale(1e6), mn: scale(1e6), mln: scale(1e6), mil: scale(1e6), million: scale(1e6), millions: scale(1e6),
  b: scale(1e9), bn: scale(1e9), bln: scale(1e9), billion: scale(1e9), billions: scale(1e9),
  tn: scale(1e12), trillion: scale(1e12), hundred: scale(100),
  '%': kind('percent'), percent: kind('percent'), 'per cent': kind('percent'), pct: kind('percent'),
  percentage: kind('percent'), 'percentage points': kind('percent'), '% points': kind('percent'),
  index: kind('index'),
  projects: kind('count'), project: kind('count'), enterprises: kind('count'), enterprise: kind('count'),
  companies: kind('count'), firms: kind('count'), persons: kind('count'), people: kind('count'),
  number: kind('count'), 'no.': kind('count'), count: kind('count'), units: kind('count'),
  items: kind('count'), cases: kind('count'), contracts: kind('count'),
  tons: kind('quantity'), tonnes: kind('quantity'), ton: kind('quantity'), tonne: kind('quantity'),
  t: kind('quantity'), kg: kind('quantity'), kwh: kind('quantity'),
  per: PER, '/': PER,
  unit: SKIP, 'unit:': SKIP, in: SKIP, of: SKIP, current: SKIP, prices: SKIP, 'current prices': SKIP,
  ':': SKIP, '=': SKIP,
};

const byLengthDesc = (words: string[]): string[] => [...words].sort((a, b) => b.length - a.length);
const CJK_WORDS = byLengthDesc(Object.keys(CJK));
const LATIN_WORDS = byLengthDesc(Object.keys(LATIN));

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[a-z0-9]/.test(ch);
const MAX_UNIT_LENGTH = 80;

/** Lower-case NFKC text with one space between words. */
function normalise(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Removes `单位：`/`Unit:` and wrapping brackets: `（单位：亿元）` → `亿元`. */
export function stripUnitWrapper(text: string): string {
  let s = text.trim();
  for (let guard = 0; guard < 3; guard++) {
    const before = s;
    const open = s[0];
    const close = s[s.length - 1];
    if ((open === '(' && close === ')') || (open === '（' && close === '）') || (open === '[' && close === ']') || (open === '【' && close === '】')) {
      s = s.slice(1, -1).trim();
    }
    s = s.replace(/^(?:(?:单位|單位|単位)\s*[:：]?\s*|units?\s*[:：]\s*|in\s+)/i, '').trim();
    if (s === before) break;
  }
  return s;
}

function tokenize(s: string): Token[] | null {
  const tokens: Token[] = [];
  let i = 0;
  outer: while (i < s.length) {
    const ch = s[i] as string;
    if (ch === ' ' || ch === ',' || ch === '、' || ch === '.') {
      i++;
      continue;
    }
    // `2015=100` / `上年=100`: an index base.
    if (s.startsWith('=100', i) || s.startsWith('= 100', i)) {
      tokens.push(kind('index'));
      i += s.startsWith('=100', i) ? 4 : 5;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      const m = /^[0-9]{1,3}(?:,[0-9]{3})+|^[0-9]+(?:\.[0-9]+)?/.exec(s.slice(i, i + 40));
      const digits = m?.[0] ?? ch;
      i += digits.length;
      // A year before `=100` (`2015=100`) is part of the index base, not a scale.
      if (s.startsWith('=100', i) || s.startsWith('= 100', i)) continue;
      const n = Number(digits.replaceAll(',', ''));
      if (!Number.isFinite(n) || n <= 0) return null;
      tokens.push(scale(n));
      continue;
    }
    for (const word of LATIN_WORDS) {
      if (!s.startsWith(word, i)) continue;
      const endsWord = /[a-z0-9]$/.test(word);
      const startsWord = /^[a-z0-9]/.test(word);
      // Latin words must stand alone; `10k` is fine (a number may precede), `kg` is not `k`.
      if (endsWord && isWordChar(s[i + word.length])) continue;
      if (startsWord && /[a-z]/.test(s[i - 1] ?? '')) continue;
      tokens.push(LATIN[word] as Token);
      i += word.length;
      continue outer;
    }
    for (const word of CJK_WORDS) {
      if (!s.startsWith(word, i)) continue;
      tokens.push(CJK[word] as Token);
      i += word.length;
      continue outer;
    }
    // Brackets around part of a unit (`US$ (million)`) carry no meaning of their own.
    if ('()（）[]【】'.includes(ch)) {
      i++;
      continue;
    }
    return null;
  }
  return tokens;
}

interface Side {
  scale: number;
  currency: string | null;
  kind: Kind | null;
}

function readSide(tokens: Token[]): Side | null {
  const side: Side = { scale: 1, currency: null, kind: null };
  for (const token of tokens) {
    if (token.t === 'scale') side.scale *= token.scale;
    else if (token.t === 'currency') {
      if (side.currency !== null && side.currency !== token.currency) return null;
      side.currency = token.currency;
    } else if (token.t === 'kind') {
      if (side.kind === null || side.kind === 'count') side.kind = token.kind;
    }
  }
  return side;
}

/** Reads a unit such as `万美元`, `US$ million`, `億円`, `%`, `CNY per USD`. Null when unknown. */
export function parseUnit(text: string): ParsedUnit | null {
  return rememberedUnit(text);
}

// Every call gets its own copy: callers may spread or change what they get.
const rememberedUnit = memoiseCopy(readUnit);

function readUnit(text: string): ParsedUnit | null {
  if (typeof text !== 'string') return null;
  // Bilingual units (`十亿美元 US$ billion`, `亿美元 Unit: US$ 100 million`) state one unit twice:
  // read each language on its own and require them to agree, instead of multiplying the scales.
  const groups = scriptGroups(text);
  if (groups.length >= 2) {
    const read = groups.map((g) => parseUnitLoose(g)).filter((u): u is ParsedUnit => u !== null);
    if (read.length === 0) return null;
    const [first] = read as [ParsedUnit, ...ParsedUnit[]];
    const agree = read.every((u) => u.currency === first.currency && u.kind === first.kind && Math.abs(u.scale - first.scale) <= 1e-9 * first.scale);
    return agree ? { ...first, text: text.trim() } : null;
  }
  return parseUnitLoose(text);
}

/** Splits `十亿美元 Unit: US$ billion` into runs of whitespace-separated words by script (CJK or not). */
function scriptGroups(text: string): string[] {
  const cjk = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]/;
  const groups: { cjk: boolean; words: string[] }[] = [];
  for (const word of text.trim().split(/\s+/)) {
    if (word === '') continue;
    const isCjk = cjk.test(word);
    const last = groups[groups.length - 1];
    if (last && last.cjk === isCjk) last.words.push(word);
    else groups.push({ cjk: isCjk, words: [word] });
  }
  return groups.map((g) => g.words.join(' '));
}

function parseUnitLoose(text: string): ParsedUnit | null {
  const whole = parseUnitStrict(text);
  if (whole !== null || typeof text !== 'string') return whole;
  // A qualifier after the unit (`% (real, y-o-y)`, `亿元（当年价）`, `% (real` when a title was cut at
  // a comma): read the unit before the first bracket, keeping the text as published.
  const cut = text.search(/[（(【[]/);
  if (cut <= 0) return null;
  const head = parseUnitStrict(text.slice(0, cut));
  return head === null ? null : { ...head, text: text.trim() };
}

function parseUnitStrict(text: string): ParsedUnit | null {
  try {
    if (typeof text !== 'string' || text.length > MAX_UNIT_LENGTH * 2) return null;
    const written = stripUnitWrapper(text);
    const s = normalise(written);
    if (s === '' || s.length > MAX_UNIT_LENGTH) return null;
    const tokens = tokenize(s);
    if (tokens === null) return null;
    const perAt = tokens.findIndex((t) => t.t === 'per');
    const numerator = readSide(perAt < 0 ? tokens : tokens.slice(0, perAt));
    const denominator = perAt < 0 ? null : readSide(tokens.slice(perAt + 1));
    if (numerator === null || (perAt >= 0 && denominator === null)) return null;
    if (tokens.filter((t) => t.t === 'per').length > 1) return null;

    let result: Omit<ParsedUnit, 'text'> | null = null;
    if (numerator.kind === 'percent' || numerator.kind === 'index') {
      result = numerator.currency === null ? { scale: 1, currency: null, kind: numerator.kind } : null;
    } else if (numerator.currency !== null) {
      if (denominator !== null && denominator.currency !== null) {
        result = { scale: numerator.scale / denominator.scale, currency: numerator.currency, kind: 'rate' };
      } else if (denominator !== null && denominator.kind === null) {
        result = null; // `元/` or `USD per xyz`: not a unit we know
      } else {
        result = { scale: numerator.scale, currency: numerator.currency, kind: 'money' };
      }
    } else if (numerator.kind !== null) {
      result = denominator === null ? { scale: numerator.scale, currency: null, kind: numerator.kind } : null;
    }
    if (result === null || !Number.isFinite(result.scale) || result.scale <= 0) return null;
    return { text: written, ...result };
  } catch {
    // Defensive only: nothing above throws, but a title must never crash a run.
    return null;
  }
}

const UNIT_LABEL = /(?:单位|單位|単位)\s*[:：]?\s*|\bunits?\s*[:：]\s*/i;
const STOPS = /[)）\]】;；。、\n\r]|，|,\s|\s{2,}/;

/** Finds a unit statement inside a title or note: `单位：万美元`, `(Unit: US$10,000)`, `単位：千ドル`, `（单位：亿元）`, `Unit: USD million`, `in US$ million`. Returns the unit text (e.g. `万美元`) or null. */
export function findUnitInText(text: string): string | null {
  return rememberedUnitInText(text);
}

const rememberedUnitInText = memoise(readUnitInText);

function readUnitInText(text: string): string | null {
  try {
    if (typeof text !== 'string') return null;
    const s = text.length > 2000 ? text.slice(0, 2000) : text;
    // 1. An explicit statement: whatever follows `单位：` up to a stop, recognised or not (the
    //    normaliser reports units it cannot convert).
    const label = UNIT_LABEL.exec(s);
    if (label !== null) {
      const rest = s.slice(label.index + label[0].length);
      const stop = STOPS.exec(rest);
      const unit = (stop === null ? rest : rest.slice(0, stop.index)).trim().replace(/[.。:：]$/, '');
      if (unit !== '') return unit;
    }
    // 2. `in US$ million` in an English title: the longest run of words after `in` that reads as a unit.
    // Attempts are capped: a title has a handful of `in`s and brackets, not thousands.
    const inRe = /\bin\s+/gi;
    let attempts = 0;
    for (let m = inRe.exec(s); m !== null && attempts++ < 8; m = inRe.exec(s)) {
      const rest = s.slice(m.index + m[0].length);
      const stop = STOPS.exec(rest);
      const words = (stop === null ? rest : rest.slice(0, stop.index)).trim().split(/\s+/).slice(0, 6);
      for (let n = words.length; n > 0; n--) {
        const candidate = words.slice(0, n).join(' ').replace(/[.,:]$/, '');
        if (parseUnit(candidate) !== null) return candidate;
      }
    }
    // 3. A bracketed unit in a header: `出口（万美元）`, `Exports (US$ million)`.
    const bracketRe = /[(（]([^()（）]{1,40})[)）]/g;
    attempts = 0;
    for (let m = bracketRe.exec(s); m !== null && attempts++ < 16; m = bracketRe.exec(s)) {
      const candidate = (m[1] ?? '').trim();
      if (parseUnit(candidate) !== null) return candidate;
    }
    return null;
  } catch {
    return null;
  }
}
