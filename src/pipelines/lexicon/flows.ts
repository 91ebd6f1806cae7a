// Reads flow labels (`进出口`, `出口（万美元）`, `輸入`, `Exports`, `Total trade`). Pure; never throws.
//
// Decisions:
// - Matching is exact on a normalised label (see markers.ts `normaliseLabel`), so `出口增长` or
//   `Export growth` are not flows: a growth rate must not be loaded as a value.
// - Bracketed parts (`（万美元）`, `(FOB)`) and parts that read as a unit (`出口额/万美元`,
//   `Exports, US$ million`) are ignored; bilingual labels (`出口 Exports`) must agree in every part.
// - `Total` alone is not a flow (it is a total row); `Trade` alone is total trade.

import { labelParts, normaliseLabel } from './markers.js';
import { memoise } from './memo.js';
import { parseUnit } from './units.js';

type FlowName = 'export' | 'import' | 'total' | 're-export' | 're-import';

// A Map, not an object: labels such as `__proto__` or `constructor` must not find Object.prototype.
const FLOWS = new Map<string, FlowName>();
const add = (flow: FlowName, words: string[]): void => {
  for (const w of words) FLOWS.set(w, flow);
};
add('total', [
  '进出口', '进出口额', '进出口总额', '进出口总值', '进出口值', '进出口金额', '进出口总计', '进出口合计',
  '货物进出口', '货物进出口总额', '外贸进出口', '外贸进出口总额', '对外贸易进出口总额', '进出口贸易额',
  '贸易总额', '贸易额', '贸易总值', '外贸总额', '对外贸易总额', '双边贸易额', '双边贸易',
  '輸出入', '輸出入额', '輸出入计', '輸出入总额', '贸易总额', '贸易额', '贸易総额', '貿易総額', '貿易総额', '往復', '往复',
  'total trade', 'trade', 'trade total', 'total trade value', 'trade value', 'value of trade',
  'imports and exports', 'exports and imports', 'import and export', 'export and import',
  'imports & exports', 'exports & imports', 'imports + exports', 'exports + imports', 'two-way trade',
  'total imports and exports', 'total exports and imports', 'bilateral trade', 'total trade turnover',
  'trade turnover',
]);
add('export', [
  '出口', '出口额', '出口总额', '出口总值', '出口值', '出口金额', '货物出口', '出口贸易额',
  '輸出', '輸出额', '輸出总额', '輸出金额',
  'exports', 'export', 'total exports', 'export value', 'exports value', 'value of exports',
  'exports of goods', 'merchandise exports',
]);
add('import', [
  '进口', '进口额', '进口总额', '进口总值', '进口值', '进口金额', '货物进口', '进口贸易额',
  '輸入', '輸入额', '輸入总额', '輸入金额',
  'imports', 'import', 'total imports', 'import value', 'imports value', 'value of imports',
  'imports of goods', 'merchandise imports',
]);

// Re-exports and re-imports are flows of their own: under the general trade system exports and
// imports already include them, so a table (or Comtrade's RX/RM) that lists them beside exports must
// not have them read as exports again.
add('re-export', ['复出口', '再出口', '復出口', '再輸出', 're-exports', 're-export', 'reexports', 'reexport', 'exports, re-exports']);
add('re-import', ['复进口', '再进口', '復進口', '再輸入', 're-imports', 're-import', 'reimports', 'reimport']);

/**
 * Parts that qualify a flow without changing it: valuation bases, and the word "total" beside a
 * flow in a bilingual header (`进出口 Total`, `貿易総額（往復） Total`) — alone it is still no flow.
 */
const QUALIFIERS = new Set(['fob', 'cif', 'f.o.b', 'c.i.f', 'value', 'total', 'totals', 'grand total', '合计', '总计', '合計', '総計', '计', '計']);

const rememberedFlow = memoise(readFlow);

/** The flow a label names (`出口`, `Exports`, `进出口 Total`), or null. Remembered: see memo.ts. */
export function parseFlow(label: string): FlowName | null {
  return rememberedFlow(label);
}

function readFlow(label: string): FlowName | null {
  try {
    if (typeof label !== 'string' || label.length > 200) return null;
    const parts = labelParts(normaliseLabel(label))
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '' && !QUALIFIERS.has(p) && parseUnit(p) === null);
    let flow: FlowName | null = null;
    if (parts.length === 0) return null;
    for (const part of parts) {
      const f = FLOWS.get(part);
      if (f === undefined || (flow !== null && f !== flow)) return null;
      flow = f;
    }
    return flow;
  } catch {
    return null;
  }
}
