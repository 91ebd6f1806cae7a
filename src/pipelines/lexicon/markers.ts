// Recognises the row labels and notes that carry structure rather than data: totals, `其中：`
// sub-rows, footnote/source lines and the bundled data's "illustrative" flags. Pure; never throws.
//
// Decisions:
// - Labels are compared after NFKC (full-width → ASCII), lower-casing, removing a bracketed
//   suffix (`合计（万美元）`), a trailing colon and, in CJK text, all spaces (tables pad `合\u3000计`).
//   Traditional and Japanese forms fold to one spelling (`合計`, `総計`, `總計`).
// - Bilingual labels (`合计 Total`, `总计/Total`) are a total only when every part is one.
// - Bare `全国` is not a total: in a comparison of provinces it is the reporter China. `全省`,
//   `全国合计` are.
// - A leading `#` marks an "of which" row, as the China Statistical Yearbook writes it; `内` needs
//   its colon (`内资企业` is a label, not a sub-row).

import { memoise } from './memo.js';

/** CJK characters (kana, ideographs, the iteration mark, the long-vowel mark). */
const CJK_RUN = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆]+/g;

/** Folds traditional and Japanese variants of the characters our lexicons use to one form. */
const FOLD: Record<string, string> = {
  進: '进', 總: '总', 総: '总', 額: '额', 貿: '贸', 貨: '货', 計: '计', 對: '对', 雙: '双', 邊: '边',
  國: '国', 區: '区', 來: '来', 數: '数', 據: '据', 資: '资', 際: '际',
};

/** NFKC, lower case, variants folded, brackets and trailing colons removed, single spaces. */
export function normaliseLabel(text: string): string {
  let s = text.normalize('NFKC').toLowerCase();
  s = s.replace(/[進總総額貿貨計對雙邊國區來數據資際]/g, (c) => FOLD[c] ?? c);
  s = s.replace(/\([^()]{0,60}\)|\[[^[\]]{0,60}\]|【[^【】]{0,60}】/g, ' ');
  s = s.replace(/\s+/g, ' ').trim().replace(/[:.]+$/, '').trim();
  return s;
}

/**
 * Splits a normalised label into its CJK and Latin parts (`合计 total` → `合计`, `total`), also at
 * `/`, `|` and `;`, dropping parts that are only punctuation. Spaces between CJK characters are
 * padding, not word breaks (`合\u3000\u3000计` is `合计`).
 */
export function labelParts(normalised: string): string[] {
  const parts: string[] = [];
  for (const chunk of cjkCompact(normalised).split(/[/|;]/)) {
    let last = 0;
    const push = (piece: string, cjk: boolean): void => {
      const p = (cjk ? piece.replace(/\s+/g, '') : piece.replace(/\s+/g, ' ')).trim().replace(/^[-–—:,.\s]+|[-–—:,.\s]+$/g, '');
      if (p !== '') parts.push(p);
    };
    for (const m of chunk.matchAll(CJK_RUN)) {
      push(chunk.slice(last, m.index), false);
      push(m[0], true);
      last = m.index + m[0].length;
    }
    push(chunk.slice(last), false);
  }
  return parts;
}

function cjkCompact(normalised: string): string {
  // Padding spaces between CJK characters (`合\u3000\u3000计`) are not word breaks.
  return normalised.replace(/([\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々])\s+(?=[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々])/g, '$1');
}

const TOTALS = new Set([
  '合计', '总计', '总值', '总额', '总数', '共计', '计', '小计', '全省', '全省合计', '全省总计', '全市合计',
  '全区合计', '全国合计', '全国总计', '世界', '世界合计', '世界总计', '世界计', '全世界', '全球', '全球合计',
  '各国合计', '总合计', '合计数',
  'total', 'totals', 'grand total', 'sub-total', 'subtotal', 'sub total', 'world', 'world total',
  'total world', 'the world', 'all countries', 'total all countries', 'all partners', 'total, all countries',
]);

/** Row labels that are totals/subtotals: 合计, 总计, 总值, 全省, 全国合计, 总额, 計, 合計, 総計, Total, Grand total, World, 世界 (as a total row) … */
export function isTotalLabel(label: string): boolean {
  return rememberedTotal(label);
}

const rememberedTotal = memoise(readTotal);

function readTotal(label: string): boolean {
  try {
    if (typeof label !== 'string' || label.length > 200) return false;
    const parts = labelParts(normaliseLabel(label));
    return parts.length > 0 && parts.every((p) => TOTALS.has(p));
  } catch {
    return false;
  }
}

const SUB_ROW_PREFIXES: RegExp[] = [
  /^(?:其中|其內|其内)\s*[:：]?\s*/,
  /^内\s*[:：]\s*/,
  /^うち\s*[:：]?\s*/,
  /^(?:of which|including|incl\.|among which|among them)(?:\s*[:：]\s*|\s+|$)/i,
  /^[#＃]\s*/,
];

/** `其中：`, `其中:`, `内：`, `うち`, `of which:`, `including:` — returns the label without the prefix and a flag */
export function stripSubRowPrefix(label: string): { label: string; subRow: boolean } {
  try {
    if (typeof label !== 'string') return { label: '', subRow: false };
    const trimmed = label.trim();
    for (const prefix of SUB_ROW_PREFIXES) {
      const m = prefix.exec(trimmed);
      if (m !== null) return { label: trimmed.slice(m[0].length).trim(), subRow: true };
    }
    return { label: trimmed, subRow: false };
  } catch {
    return { label: String(label), subRow: false };
  }
}

const NOTE_PATTERNS: RegExp[] = [
  /^(?:[([]\s*[注註]\s*[)\]]|[注註]\s*(?:[:：、.,]|\d|$|\s))/,
  /^(?:资料来源|资料|数据来源|来源|出所|出典|备注|備考|说明|説明|說明)\s*[:：]/,
  /^(?:sources?|notes?|remarks?|footnotes?)\s*\d*\s*[:：]/i,
  /^\*+\s+\S/,
  /^※/,
];

/** Footnote/source rows: `注：`, `注:`, `注1`, `資料：`, `资料来源：`, `来源：`, `出所：`, `Source:`, `Sources:`, `Note:`, `Notes:`, `* ` lines */
export function isNoteText(text: string): boolean {
  return rememberedNote(text);
}

const rememberedNote = memoise(readNote);

function readNote(text: string): boolean {
  try {
    if (typeof text !== 'string') return false;
    // NFKC turns `①` into `1` and `（` into `(`; the variant fold turns `資料` into `资料`.
    const s = text.slice(0, 200).normalize('NFKC').trim().replace(/[資來數據]/g, (c) => FOLD[c] ?? c);
    return NOTE_PATTERNS.some((re) => re.test(s));
  } catch {
    return false;
  }
}

/** Illustrative flags in source data: `illustrative`, `示意`, `例示`, `(illustrative)` */
export function isIllustrativeFlag(text: string): boolean {
  return rememberedIllustrative(text);
}

const rememberedIllustrative = memoise(readIllustrative);

function readIllustrative(text: string): boolean {
  try {
    if (typeof text !== 'string') return false;
    const s = text.normalize('NFKC').toLowerCase();
    return s.includes('illustrative') || s.includes('illustration') || s.includes('示意') || s.includes('例示');
  } catch {
    return false;
  }
}
