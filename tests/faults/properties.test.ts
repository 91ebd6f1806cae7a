// A whole row, not one parser: any string in a value cell, through parse → shape → normalise, never
// becomes a numeric fact unless it holds a digit (or a CJK numeral). The lexicon's own properties
// (tests/pipelines/lexicon/) check each parser alone; this checks that nothing between them (header
// detection, wide/long orientation, unit columns) turns text into a number.
import fc from 'fast-check';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/pipelines/normalise.js';
import { parseBuffer } from '../../src/pipelines/parse.js';
import { loadReference } from '../../src/pipelines/reference.js';
import { shape } from '../../src/pipelines/shape/index.js';
import { record } from './meta.js';

const reference = loadReference();
const NUMERIC = /[\p{Nd}〇零一二三四五六七八九十百千万萬亿億兆]/u;

function facts(values: string[]) {
  const rows = [['period', 'partner', 'flow', 'value', 'unit'], ['2021-01', 'Japan', 'export', '12.5', 'USD thousand'], ...values.map((v, i) => [`${2000 + (i % 20)}-0${1 + (i % 9)}`, 'Japan', 'import', v, 'USD thousand'])];
  const csv = Papa.unparse(rows);
  const parsed = parseBuffer(Buffer.from(csv), { fileName: 'p.csv' });
  const shaped = shape(parsed.sheets, { dataset: 'trade', fixed: { reporter: 'CN-HL' } });
  return normalise(shaped.records, { dataset: 'trade', fixed: { reporter: 'CN-HL' }, reference, fx: () => null });
}

describe('whole-row properties', () => {
  it('a value cell without a digit never becomes a fact', (ctx) => {
    record(ctx);
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.constantFrom('n.a.', '-', '—', '…', '#DIV/0!', '#N/A', 'NaN', 'Infinity', '-Infinity', 'null', 'true', 'e', '.', ',', '(x)', '万美元', '合计', 'Japan', '__proto__', 'constructor', '0x', '½', 'Ⅻ', '²'),
    );
    fc.assert(
      fc.property(fc.array(text.filter((s) => !NUMERIC.test(s) && s.trim() !== ''), { minLength: 1, maxLength: 30 }), (values) => {
        const out = facts(values);
        // The clean first row is the only fact; every crafted value is a reject, a skip or nothing.
        const numeric = out.facts.filter((f) => f.table === 'trade_flow' && f.flow === 'import');
        expect(numeric).toEqual([]);
        // Not vacuous: the table was found and its one real value loaded.
        expect(out.facts.filter((f) => f.table === 'trade_flow' && f.flow === 'export').map((f) => (f.table === 'trade_flow' ? f.value : null))).toEqual([12.5]);
        expect(out.facts.every((f) => f.table !== 'trade_flow' || Number.isFinite(f.value))).toBe(true);
      }),
      { numRuns: 150, seed: 20261129 },
    );
  });
});
