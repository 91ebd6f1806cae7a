// Measure labels of investment and indicator tables → warehouse codes. Matching is on a
// width- and case-folded label with units in brackets removed; the first pattern that matches wins,
// so more specific patterns come first (real growth before GDP, per capita before GDP).
import { memoise } from './lexicon/memo.js';
import type { InvestmentMeasure } from './types.js';

// Every reader below is remembered per label (see lexicon/memo.ts): normalise asks each of them
// once per value, and a table repeats a few measure labels on every row.

/** Folds full-width forms to ASCII, lower-cases, drops bracketed unit suffixes and spaces. */
export function foldLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[（(【[][^）)】\]]*[）)】\]]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const INVESTMENT: [RegExp, InvestmentMeasure][] = [
  [/项目|項目|件数|projects?|enterprises?|企业数|企業数|契約件数|合同项目/, 'projects'],
  [/实际|實際|实际使用|实际利用|実行|utili[sz]ed|actual(ly)? used|actual/, 'utilized'],
  [/合同|協議|协议|契約|contract/, 'contracted'],
];

export function investmentMeasure(label: string | undefined): InvestmentMeasure | null {
  return label ? rememberedInvestmentMeasure(label) : null;
}

const rememberedInvestmentMeasure = memoise(readInvestmentMeasure);

function readInvestmentMeasure(label: string): InvestmentMeasure | null {
  const f = foldLabel(label);
  for (const [re, m] of INVESTMENT) if (re.test(f)) return m;
  return null;
}

/** Indicator codes the analysis reads; a label matching none is a reject naming the label. */
const INDICATORS: [RegExp, string][] = [
  [/(real|实际|實質|实质|不变价|constant).*(growth|增长|增速|成長)|(growth|增长|增速|成長率?).*(real|实际|実質|constant)|gdp.*growth|生产总值.*增长|生產總值.*增長|総生産.*(成長|伸び)|grp.*growth|经济增速|経済成長率/, 'gdp_real_growth_pct'],
  [/per capita|人均|1人当たり|一人当たり|1人当り/, 'gdp_per_capita'],
  [/^gdp\b|gross domestic product|gross regional product|^grp\b|地区生产总值|地區生產總值|生产总值|国内生产总值|域内総生産|gdp/, 'gdp'],
  [/population|常住人口|总人口|人口/, 'population'],
  [/^(total )?(foreign )?trade.*gdp|外贸依存度|貿易依存度|openness/, 'trade_openness_pct'],
];

export function indicatorCode(label: string | undefined): string | null {
  return label ? rememberedIndicatorCode(label) : null;
}

const rememberedIndicatorCode = memoise(readIndicatorCode);

function readIndicatorCode(label: string): string | null {
  const f = foldLabel(label);
  if (/^[a-z][a-z0-9_]*$/.test(f) && INDICATORS.some(([, c]) => c === f)) return f;
  for (const [re, code] of INDICATORS) if (re.test(f)) return code;
  return null;
}

/** Currency of an FX table row or column: `CNY per USD`, `人民币/美元`, `円/ドル`, `JPY`. */
export function fxCurrency(label: string | undefined): string | null {
  return label ? rememberedFxCurrency(label) : null;
}

const rememberedFxCurrency = memoise(readFxCurrency);

function readFxCurrency(label: string): string | null {
  const f = foldLabel(label);
  if (/\bcny\b|rmb|人民币|人民幣|人民元|元\/美元|yuan/.test(f)) return 'CNY';
  if (/\bjpy\b|日元|日圓|円|yen/.test(f)) return 'JPY';
  if (/\brub\b|卢布|ルーブル|rouble|ruble/.test(f)) return 'RUB';
  if (/\bkrw\b|韩元|ウォン|won/.test(f)) return 'KRW';
  if (/\beur\b|欧元|ユーロ|euro/.test(f)) return 'EUR';
  const iso = /^([a-z]{3})\b/.exec(f);
  return iso && iso[1] !== 'usd' ? iso[1]!.toUpperCase() : null;
}

/**
 * An FDI row inside an indicator table ("Main economic indicators" tables list FDI projects,
 * contracted and utilised amounts beside GDP): the investment measure, or null when the label is
 * not about foreign direct investment. Such rows load into investment_flow with investor WLD.
 */
export function fdiMeasure(label: string | undefined): InvestmentMeasure | null {
  return label ? rememberedFdiMeasure(label) : null;
}

const rememberedFdiMeasure = memoise(readFdiMeasure);

function readFdiMeasure(label: string): InvestmentMeasure | null {
  const f = foldLabel(label);
  if (!/foreign direct investment|\bfdi\b|foreign investment|外资|外商|外国直接投资|外资直接投资|外資|対内直接投資|foreign capital/.test(f)) return null;
  return investmentMeasure(label);
}

/** A quantity column beside values (`quantity`, `数量`, `net weight`, `重量（吨）`): trade_flow keeps values only. */
export function isQuantityMeasure(label: string | undefined): boolean {
  return label ? rememberedIsQuantityMeasure(label) : false;
}

const rememberedIsQuantityMeasure = memoise(readIsQuantityMeasure);

function readIsQuantityMeasure(label: string): boolean {
  return /^(quantity|quantities|qty|数量|數量|重量|净重|淨重|net ?weight|weight|gross ?weight|volume|第一数量|第二数量|法定数量)\b/.test(foldLabel(label));
}
