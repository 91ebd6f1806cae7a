// The words publishers use to name the columns of a table. Matching a header name to a role is how
// a long (one value per row) table is recognised, and how the left-hand label columns of a wide one
// say what their labels are (countries, provinces, indicators, periods).

/** What a column holds. `label` is a row-label column whose dimension comes from the dataset; `value` holds numbers. */
export type ColumnRole =
  | 'label'
  | 'period'
  | 'partner'
  | 'reporter'
  | 'flow'
  | 'measure'
  | 'product'
  | 'unit'
  | 'flag'
  | 'note'
  | 'value';

/** Header names, per role; each is matched against every word-group of the header text. */
const NAMED: [ColumnRole, RegExp][] = [
  ['flag', /^(illustrative|illustrative ?flag|is_illustrative|示意|示意数据|示意值|flag|flags)$/i],
  ['note', /^(备注|備註|備考|注|note|notes|remark|remarks|comment|comments)$/i],
  ['unit', /^(单位|單位|単位|计量单位|unit|units|unit of measure)$/i],
  ['value', /^(value|values|amount|金额|金額|数值|數值|值|数额|obs_?value)$/i],
  // Partner before reporter: `国别（地区）` is a partner column although it contains 地区.
  ['partner', /(国别|國別|国家|國家|国・地域|国・地区|相手国|对象国|country|countries|partner|economy|economies|investor|投资来源地|来源地)/i],
  ['reporter', /^(地区|地區|省份|省市|省区市|省[(（]区、市[)）]|地域|都道府県|region|regions|province|provinces|reporter|reporting region)$/i],
  ['period', /^(年份|年度|年|年月|时间|時間|日期|期间|期間|月份|月|period|year|years|date|month|quarter|time|年次|時点)$/i],
  ['flow', /^(flow|trade ?flow|direction|进出口|進出口|贸易方向|輸出入|輸出入別|流向)$/i],
  ['product', /^(商品|商品名称|商品名|品名|产品|product|products|commodity|commodities|hs|hs ?code|hs编码|品目)$/i],
  ['measure', /^(项目|項目|指标|指標|主要指标|item|items|indicator|indicators|measure|series|variable|category|分类)$/i],
];

/** The role a header name declares, or null. Bilingual headers (`国别（地区）Country (Region)`) match on any part. */
export function roleFromName(text: string): ColumnRole | null {
  const t = text.trim();
  if (t === '') return null;
  const parts = [t, ...t.split(/\s+|\n/)].map((p) => p.replace(/^[(（]|[)）:：]$/g, '').trim()).filter((p) => p !== '');
  for (const [role, re] of NAMED) {
    if (parts.some((p) => re.test(p))) return role;
  }
  return null;
}

/** A header word that only says "this is the number" (`金额`, `Value`): it adds nothing to the dims. */
export function isValueWord(text: string): boolean {
  return /^(value|values|amount|金额|金額|数值|數值|值|数额|绝对值|絶対額|金额 amount|金额 value)$/i.test(text.trim());
}

/** Words that make a column a rate of change, so its values are percentages, not amounts. */
export function isGrowthText(text: string): boolean {
  return /同比|增长|增速|增减|比上年|比去年|环比|前年比|前年同期比|伸び率|増減率|growth|change|y-o-y|yoy|y\/y/i.test(text);
}

/** True when the text states a percentage unit (`%`, `％`, `(%)`). */
export function hasPercentSign(text: string): boolean {
  return /[%％]/.test(text);
}

/** True when the text opens with a unit statement prefix (`单位：`, `Unit:`, `単位：`). */
export function hasUnitPrefix(text: string): boolean {
  return /^[\s(（[【]*(单位|單位|単位|units?)\s*[:：]/i.test(text);
}

/** Is the value in a flag column a "yes"? Blank, 0, `no`, `false`, `否` are no. */
export function isTruthyFlag(text: string): boolean {
  const t = text.trim().toLowerCase();
  return t !== '' && !['0', 'no', 'n', 'false', 'f', '否', '无', 'いいえ', '-', '—'].includes(t);
}

/**
 * A header cell that names the dimension of the cells below it (`商品编码 HS` over `8703 | 8708`,
 * `国别` over `日本 | 韩国`). Matched whole, unlike `roleFromName`, so that `对沿线国家出口` stays a label.
 */
export function dimensionName(text: string): 'partner' | 'reporter' | 'product' | null {
  // Group headers as customs releases write them: `其中：按贸易伙伴（进出口） Of which, by partner`.
  const t = text
    .trim()
    .replace(/[（(][^()（）]*[)）]/g, ' ')
    .replace(/^(其中|内|うち)\s*[:：]\s*/, '')
    .replace(/\bof which[,:]?\s*/gi, '')
    .replace(/(^|\s)按/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
  const parts = t.split(' ');
  const every = (re: RegExp) => parts.length > 0 && parts.every((p) => re.test(p));
  if (every(/^(国别|國別|国家|國家|国・地域|相手国|贸易伙伴|貿易夥伴|貿易相手国|国别（地区）|country|countries|partner|partners|trade|economy|economies|region|by)$/i)) return 'partner';
  if (every(/^(省份|省市|省区市|都道府県|province|provinces)$/i)) return 'reporter';
  if (every(/^(商品|商品编码|商品编号|商品名称|品目|hs|hs编码|hs ?code|hs ?codes|product|products|commodity|commodities|code)$/i)) return 'product';
  return null;
}
