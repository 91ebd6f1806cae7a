// Layout cases built as Grids in code: one small table per shaping rule.
import { describe, expect, it } from 'vitest';
import { detectLayout, readRow, shape } from '../../../src/pipelines/shape/index.js';
import type { CellValue, Grid, Range, ShapeResult, SourceRecord } from '../../../src/pipelines/types.js';

function grid(rows: CellValue[][], merges: string[] = [], sheet = 'S'): Grid {
  return { sheet, rows, merges: merges.map(range) };
}

/** `B3:D3` → a zero-based Range. */
function range(a1: string): Range {
  const [s, e = s] = a1.split(':') as [string, string?];
  const cell = (ref: string) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref);
    if (!m) throw new Error(ref);
    const c = [...(m[1] as string)].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    return { r: Number(m[2]) - 1, c };
  };
  return { s: cell(s), e: cell(e) };
}

function at(result: ShapeResult, cell: string): SourceRecord {
  const rec = result.records.find((r) => r.cell === cell);
  if (!rec) throw new Error(`no record for ${cell}; cells: ${result.records.map((r) => r.cell).join(' ')}`);
  return rec;
}

describe('long tables', () => {
  it('reads Chinese column names: 年份, 国家, 进出口, 金额, 单位', () => {
    const result = shape(
      [
        grid([
          ['年份', '国家', '进出口', '金额', '单位'],
          [2022, '日本', '出口', 123.4, '万美元'],
          [2022, '日本', '进口', '—', '万美元'],
          [2023, '俄罗斯', '进出口', '1,234.5', '亿元'],
        ]),
      ],
      { dataset: 'trade' },
    );
    expect(result.tables[0]).toMatchObject({ orientation: 'long', headerRows: 1, unit: '万美元', unitSource: 'column', periods: ['2022', '2023'], labels: ['日本', '俄罗斯'] });
    expect(result.records).toEqual([
      { cell: 'S!D2', dims: { partner: '日本', flow: '出口', period: '2022' }, raw: 123.4, value: 123.4, unit: '万美元', total: false, indent: 0, illustrative: false },
      { cell: 'S!D3', dims: { partner: '日本', flow: '进口', period: '2022' }, raw: '—', value: null, missing: '—', unit: '万美元', total: false, indent: 0, illustrative: false },
      { cell: 'S!D4', dims: { partner: '俄罗斯', flow: '进出口', period: '2023' }, raw: '1,234.5', value: 1234.5, unit: '亿元', total: false, indent: 0, illustrative: false },
    ]);
  });

  it('reads periods down the rows from an unnamed year column', () => {
    const result = shape(
      [
        grid([
          ['单位：亿美元', null, null],
          [null, 'Exports', 'Imports'],
          [2021, 10.5, 20.5],
          [2022, 11.5, 21.5],
        ]),
      ],
      { dataset: 'trade' },
    );
    expect(result.tables[0]).toMatchObject({ orientation: 'long', unit: '亿美元', unitSource: 'unit-row', title: null, periods: ['2021', '2022'] });
    expect(at(result, 'S!C4')).toMatchObject({ dims: { flow: 'Imports', period: '2022' }, value: 21.5 });
  });
});

describe('headers', () => {
  it('takes per-column units from headers and strips them from the label', () => {
    const result = shape(
      [
        grid([
          ['Trade with Japan, 2023', null, null],
          ['Province', 'Exports (US$ million)', 'Imports (US$ million)'],
          ['Heilongjiang', 1.5, 2.5],
          ['Jilin', 3.5, 4.5],
        ]),
      ],
      { dataset: 'trade' },
    );
    expect(result.tables[0]).toMatchObject({ unit: 'US$ million', unitSource: 'header', periods: [] });
    // `Province` names a region column: its labels are reporters, not partners.
    expect(at(result, 'S!C4')).toMatchObject({ dims: { reporter: 'Jilin', flow: 'Imports' }, unit: 'US$ million', value: 4.5 });
  });

  it('states a unit in the title', () => {
    const result = shape([grid([['表1 对日贸易（单位：万美元）', null], ['年份', '出口'], [2023, 5.5]])], { dataset: 'trade' });
    expect(result.tables[0]).toMatchObject({ title: '表1 对日贸易（单位：万美元）', unit: '万美元', unitSource: 'title' });
  });

  it.each([
    ['(Unit: US$10,000)', 'US$10,000'],
    ['百万美元', '百万美元'],
    ['US$ million', 'US$ million'],
    ['単位：千ドル', '千ドル'],
  ])('reads the unit row %s', (row, unit) => {
    const result = shape([grid([['Title', null], [null, row], ['Partner', 2023], ['Japan', 5.5]])], { dataset: 'trade' });
    expect(result.tables[0]).toMatchObject({ title: 'Title', unit, unitSource: 'unit-row', headerRows: 1 });
  });

  it('puts investment headers in measure', () => {
    const result = shape(
      [
        grid(
          [
            ['国别（地区）', '2022年', null, null],
            [null, '项目数（个）', '合同外资（万美元）', '实际利用外资（万美元）'],
            ['日本', 12, 3456.7, 1234.5],
          ],
          ['A1:A2', 'B1:D1'],
        ),
      ],
      { dataset: 'investment' },
    );
    expect(at(result, 'S!B3')).toMatchObject({ dims: { partner: '日本', period: '2022年', measure: '项目数' }, value: 12, unit: '个' });
    expect(at(result, 'S!D3')).toMatchObject({ dims: { partner: '日本', period: '2022年', measure: '实际利用外资' }, unit: '万美元' });
  });

  it('combines a year-less period with the year above it', () => {
    const result = shape(
      [
        grid(
          [
            ['Partner', 2019, null, '2020年', null],
            [null, '1-6月', 'Jan-Jun', '1-6月', '上半年'],
            ['Japan', 1, 2, 3, 4],
          ],
          ['A1:A2', 'B1:C1', 'D1:E1'],
        ),
      ],
      { dataset: 'trade' },
    );
    expect(result.tables[0]?.periods).toEqual(['2019年1-6月', 'Jan-Jun 2019', '2020年1-6月', '2020年上半年']);
  });

  it('fills headings centred without a merge (CSV style) over the columns to their right', () => {
    const result = shape(
      [
        grid([
          ['国别', '2021', '', '2022', ''],
          ['', '出口', '进口', '出口', '进口'],
          ['日本', '1', '2', '3', '4'],
        ]),
      ],
      { dataset: 'trade' },
    );
    expect(result.records.map((r) => [r.cell, r.dims.period, r.dims.flow])).toEqual([
      ['S!B3', '2021', '出口'],
      ['S!C3', '2021', '进口'],
      ['S!D3', '2022', '出口'],
      ['S!E3', '2022', '进口'],
    ]);
  });

  it('reads three header rows', () => {
    const result = shape(
      [
        grid(
          [
            ['表 对俄贸易', null, null],
            ['地区', '2023年', null],
            [null, '出口', null],
            [null, '金额', '同比%'],
            ['哈尔滨', 10, 5.5],
          ],
          ['B2:C2', 'B3:C3', 'A2:A4'],
        ),
      ],
      { dataset: 'indicator' },
    );
    expect(result.tables[0]).toMatchObject({ title: '表 对俄贸易', headerRows: 3 });
    expect(at(result, 'S!B5').dims).toEqual({ reporter: '哈尔滨', flow: '出口', period: '2023年' });
    expect(at(result, 'S!C5')).toMatchObject({ dims: { reporter: '哈尔滨', flow: '出口', period: '2023年', measure: '同比%' }, unit: '%' });
  });
});

describe('row labels', () => {
  it('joins a second (English) label column and a vertically merged partner', () => {
    const result = shape(
      [
        grid(
          [
            ['国别', 'Country', '进出口', '2023'],
            ['日本', 'Japan', '出口', 1],
            [null, null, '进口', 2],
            ['韩国', 'Korea', '出口', 3],
          ],
          ['A2:A3', 'B2:B3'],
        ),
      ],
      { dataset: 'trade' },
    );
    expect(result.records.map((r) => [r.cell, r.dims.partner, r.dims.flow, r.dims.period])).toEqual([
      ['S!D2', '日本 Japan', '出口', '2023'],
      ['S!D3', '日本 Japan', '进口', '2023'],
      ['S!D4', '韩国 Korea', '出口', '2023'],
    ]);
  });

  it('skips section headings without values and keeps a blank-separated block in the same table', () => {
    const result = shape(
      [
        grid([
          ['国别', '2023'],
          ['亚洲', null],
          ['  日本', 1],
          [null, null],
          ['欧洲', null],
          ['  德国', 2],
        ]),
      ],
      { dataset: 'trade' },
    );
    expect(result.tables).toHaveLength(1);
    expect(result.records.map((r) => [r.cell, r.dims.partner, r.indent])).toEqual([
      ['S!B3', '日本', 1],
      ['S!B6', '德国', 1],
    ]);
  });

  it('emits text that is not a number with an error, never as 0', () => {
    const result = shape([grid([['Partner', 2023], ['Korea', 1], ['Japan', 'see note']])], { dataset: 'trade', unit: 'USD' });
    expect(at(result, 'S!B3')).toMatchObject({ value: null, error: 'not a number: see note', raw: 'see note' });
  });

  it('reads bare labels as measures for indicator and fx tables', () => {
    const result = shape([grid([['', 2022, 2023], ['CNY per USD', 6.73, 7.08]])], { dataset: 'fx' });
    expect(at(result, 'S!C2')).toMatchObject({ dims: { measure: 'CNY per USD', period: '2023' }, value: 7.08 });
  });

  it('flags illustrative rows from a remarks column', () => {
    const result = shape([grid([['Partner', 2023, '备注'], ['Japan', 1, 'illustrative'], ['Korea', 2, null]])], { dataset: 'trade', unit: 'USD' });
    expect(result.records.map((r) => [r.cell, r.illustrative])).toEqual([
      ['S!B2', true],
      ['S!B3', false],
    ]);
  });
});

describe('overrides', () => {
  const periodRows = (): Grid =>
    grid([
      ['项目', '出口', '进口'],
      ['2023年', 1, 2],
      ['2024年', 3, 4],
    ]);

  it('orientation: wide keeps period-looking row labels as labels', () => {
    expect(shape([periodRows()], { dataset: 'trade' }).tables[0]?.orientation).toBe('long');
    const wide = shape([periodRows()], { dataset: 'indicator', layout: { orientation: 'wide' } });
    expect(wide.tables[0]?.orientation).toBe('wide');
    expect(at(wide, 'S!B2').dims).toEqual({ measure: '2023年', flow: '出口' });
  });

  it('label_columns and title_rows say where labels and header are', () => {
    const g = grid([
      ['Exports by partner', null, null],
      ['2023', null, null],
      ['Code', 'Partner', 'Value'],
      ['392', 'Japan', 12.5],
      ['410', 'Korea', 3.5],
    ]);
    const result = shape([g], { dataset: 'trade', unit: 'USD', layout: { title_rows: 2, label_columns: 2 } });
    expect(result.tables[0]).toMatchObject({ title: 'Exports by partner 2023', headerRows: 1, range: 'A4:C5' });
    expect(at(result, 'S!C4').dims).toEqual({ partner: '392 Japan' });
  });

  it('fixed.period switches period detection off', () => {
    const result = shape([periodRows()], { dataset: 'trade', fixed: { period: '2023' } });
    expect(result.tables[0]).toMatchObject({ orientation: 'wide', periods: [] });
    expect(at(result, 'S!B2').dims).toEqual({ measure: '2023年', flow: '出口' });
  });
});

describe('table boundaries', () => {
  it('keeps a title one blank row above its header, and notes one blank row below the table', () => {
    const result = shape(
      [
        grid([
          ['表2 对日出口'],
          [null],
          ['国别', '2023'],
          ['日本', 1],
          [null, null],
          ['资料来源：海关统计'],
          ['　　（初步数）'],
        ]),
        grid([['Partner', 2023], ['Korea', 2]], [], 'Second'),
      ],
      { dataset: 'trade', unit: 'USD' },
    );
    expect(result.tables.map((t) => [t.sheet, t.title, t.range, t.notes])).toEqual([
      ['S', '表2 对日出口', 'A4:B4', ['资料来源：海关统计', '（初步数）']],
      ['Second', null, 'A2:B2', []],
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('row-by-row reading', () => {
  it('applies a detected layout one row at a time', () => {
    const g = grid([
      ['国别', '2022', '2023'],
      ['日本', 1, 2],
    ]);
    const found = detectLayout(g, 0, { dataset: 'trade', unit: '万美元' });
    expect(found?.layout).toMatchObject({ bodyStart: 1, headerRows: 1, orientation: 'wide' });
    const out = readRow(found!.layout, ['韩国', 3, '4*'], 7, { year: null }, { dataset: 'trade', unit: '万美元' });
    expect(out.label).toBe('韩国');
    expect(out.records.map((r) => [r.cell, r.dims.period, r.value, r.mark])).toEqual([
      ['S!B8', '2022', 3, undefined],
      ['S!C8', '2023', 4, '*'],
    ]);
  });

  it('follows a layout whose columns or sheet are replaced between rows', () => {
    // readRow derives its column lists once per layout (issue 6); a changed layout is derived anew.
    const g = grid([
      ['国别', '2022', '2023'],
      ['日本', 1, 2],
    ]);
    const opts = { dataset: 'trade' as const, unit: '万美元' };
    const { layout } = detectLayout(g, 0, opts)!;
    expect(readRow(layout, ['韩国', 3, 4], 1, { year: null }, opts).records.map((r) => r.cell)).toEqual(['S!B2', 'S!C2']);
    layout.columns = layout.columns.filter((col) => col.col !== 2);
    layout.sheet = '11-4 进出口';
    expect(readRow(layout, ['韩国', 3, 4], 1, { year: null }, opts).records.map((r) => [r.cell, r.dims.period])).toEqual([["'11-4 进出口'!B2", '2022']]);
  });
});
