import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseFlow } from '../../../src/pipelines/lexicon/flows.js';

describe('parseFlow', () => {
  const cases: [string, 'export' | 'import' | 'total' | 're-export' | 're-import' | null][] = [
    ...[
      '进出口', '进出口总额', '进出口总值', '贸易总额', '外贸总额', '進出口總額', '进 出 口',
      '輸出入', '貿易額', '貿易総額',
      'Total trade', 'Trade', 'TRADE', 'Imports and exports', 'Exports and imports', 'Total Trade (US$ million)',
    ].map((l): [string, 'total'] => [l, 'total']),
    ...[
      '出口', '出口额', '出口（万美元）', '出口(万美元)', '出口额/万美元', '輸出', '輸出額', 'Exports', 'Export',
      'exports', 'ＥＸＰＯＲＴＳ', 'Exports (US$ million)', 'Exports, US$ million', 'Exports (FOB)', '出口 Exports',
      '出口\nExports', 'Exports:',
    ].map((l): [string, 'export'] => [l, 'export']),
    ...['进口', '进口额', '輸入', '輸入額', 'Imports', 'Import', '进口/Imports', 'Imports (CIF)', '进口（亿元）']
      .map((l): [string, 'import'] => [l, 'import']),
    ...['复出口', '再輸出', 'Re-exports', 'Re-export (US$ million)'].map((l): [string, 're-export'] => [l, 're-export']),
    ...['复进口', '再輸入', 'Re-imports'].map((l): [string, 're-import'] => [l, 're-import']),
    ...['', 'Total', '合计', 'Japan', '日本', '出口增长', 'Export growth', '出口 Imports', 'Exports/Imports', '出口比重', '__proto__', 'constructor', 'toString']
      .map((l): [string, null] => [l, null]),
  ];
  it.each(cases)('%j', (label, expected) => {
    expect(parseFlow(label)).toBe(expected);
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => {
        const f = parseFlow(s);
        expect([null, 'export', 'import', 'total']).toContain(f);
      }),
      { numRuns: 2000 },
    );
  });
});
