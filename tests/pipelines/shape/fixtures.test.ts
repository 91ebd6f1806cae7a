// Each fixture is a small workbook in one publisher's style (see tests/fixtures/shape/make-fixtures.ts),
// read through the real parse stage.
import { describe, expect, it } from 'vitest';
import { shape } from '../../../src/pipelines/shape/index.js';
import type { ShapeResult, SourceRecord } from '../../../src/pipelines/types.js';
import { readFixture } from '../../fixtures/shape/read-fixture.js';

function at(result: ShapeResult, cell: string): SourceRecord {
  const rec = result.records.find((r) => r.cell === cell);
  if (!rec) throw new Error(`no record for ${cell}; cells: ${result.records.map((r) => r.cell).join(' ')}`);
  return rec;
}

describe('yearbook table (11-4, 万美元, years over flows, bilingual labels)', () => {
  const result = shape(readFixture('yearbook.xlsx'), { dataset: 'trade' });

  it('describes the table', () => {
    expect(result.tables).toEqual([
      {
        sheet: '11-4 进出口',
        range: 'A5:G12',
        title: '11-4 按国别（地区）分进出口总额',
        headerRows: 2,
        orientation: 'wide',
        unit: '万美元',
        unitSource: 'unit-row',
        periods: ['2019', '2020'],
        labels: ['合计 Total', '亚洲 Asia', '日本 Japan', '韩国 Korea', '朝鲜 DPRK', '欧洲 Europe', '俄罗斯 Russia', '非洲 Africa'],
        notes: ['注：2020年数据为初步统计数。', '资料来源：哈尔滨海关'],
      },
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('emits one record per data cell, quoting the sheet name', () => {
    expect(result.records).toHaveLength(8 * 6);
    expect(at(result, "'11-4 进出口'!C7")).toEqual({
      cell: "'11-4 进出口'!C7",
      dims: { partner: '日本 Japan', flow: '出口 Exports', period: '2019' },
      raw: 23456.7,
      value: 23456.7,
      unit: '万美元',
      total: false,
      indent: 1,
      illustrative: false,
    });
  });

  it('marks the total row and keeps top-level rows at indent 0', () => {
    expect(at(result, "'11-4 进出口'!B5")).toMatchObject({ dims: { partner: '合计 Total', flow: '进出口 Total', period: '2019' }, total: true, indent: 0 });
    expect(at(result, "'11-4 进出口'!E6")).toMatchObject({ dims: { partner: '亚洲 Asia', period: '2020' }, total: false, indent: 0 });
  });

  it('indents sub-rows written with 其中： or leading full-width spaces', () => {
    expect(at(result, "'11-4 进出口'!B8").dims.partner).toBe('韩国 Korea');
    expect(at(result, "'11-4 进出口'!B8").indent).toBe(1);
    expect(at(result, "'11-4 进出口'!G11")).toMatchObject({ dims: { partner: '俄罗斯 Russia', flow: '进口 Imports', period: '2020' }, value: 700333.3, indent: 1 });
  });

  it('keeps footnote marks, missing markers and blanks apart from values', () => {
    expect(at(result, "'11-4 进出口'!F7")).toMatchObject({ raw: '21087.3*', value: 21087.3, mark: '*' });
    expect(at(result, "'11-4 进出口'!B9")).toMatchObject({ raw: '—', value: null, missing: '—', unit: '万美元' });
    expect(at(result, "'11-4 进出口'!G12")).toMatchObject({ raw: null, value: null, missing: '' });
    expect(result.records.some((r) => r.value === 0)).toBe(false);
  });

  it('takes the configured unit over the detected one', () => {
    const configured = shape(readFixture('yearbook.xlsx'), { dataset: 'trade', unit: '10k USD' });
    expect(configured.tables[0]).toMatchObject({ unit: '10k USD', unitSource: 'config' });
    expect(configured.records.every((r) => r.unit === '10k USD')).toBe(true);
  });
});

describe('customs release (亿元, cumulative months down the rows)', () => {
  const result = shape(readFixture('customs.xlsx'), { dataset: 'trade' });

  it('reads periods down the rows, carrying the year to year-less months', () => {
    expect(result.tables[0]).toMatchObject({
      headerRows: 2,
      orientation: 'long',
      unit: '亿元',
      unitSource: 'unit-row',
      periods: ['2023年1-2月', '2023年1-3月', '2023年1-4月', '2023年1-5月', '2023年1-6月'],
      labels: [],
      notes: ['注：同比按人民币计算。'],
    });
  });

  it('drops the value word 金额 and reads 同比±% as a percentage measure', () => {
    expect(at(result, '进出口!B6')).toEqual({
      cell: '进出口!B6',
      dims: { flow: '进出口', period: '2023年1-3月' },
      raw: 612.7,
      value: 612.7,
      unit: '亿元',
      total: false,
      indent: 0,
      illustrative: false,
    });
    expect(at(result, '进出口!G9')).toMatchObject({ dims: { flow: '进口', period: '2023年1-6月', measure: '同比±%' }, value: -3.5, unit: '%' });
  });

  it('keeps an explicit percentage even when the config states a unit', () => {
    const configured = shape(readFixture('customs.xlsx'), { dataset: 'trade', unit: '亿元人民币' });
    expect(at(configured, '进出口!C5').unit).toBe('%');
    expect(at(configured, '进出口!B5').unit).toBe('亿元人民币');
  });
});

describe('English indicator table (years across, a unit column)', () => {
  const result = shape(readFixture('indicators.xlsx'), { dataset: 'indicator' });

  it('describes the table', () => {
    expect(result.tables).toEqual([
      {
        sheet: 'Table 2',
        range: 'A4:F7',
        title: 'Table 2. Main economic indicators of Heilongjiang',
        headerRows: 1,
        orientation: 'wide',
        unit: 'RMB 100 million',
        unitSource: 'unit-row',
        periods: ['2019', '2020', '2021', '2022'],
        labels: ['GDP', 'Real GDP growth (%)', 'Population (10,000 persons)', 'Exports of goods'],
        notes: ['Source: Heilongjiang Statistical Yearbook 2023.'],
      },
    ]);
    expect(result.records).toHaveLength(16);
  });

  it('puts indicator rows in measure, with the unit of their row', () => {
    expect(at(result, "'Table 2'!C4")).toEqual({
      cell: "'Table 2'!C4",
      dims: { measure: 'GDP', period: '2019' },
      raw: 13544.4,
      value: 13544.4,
      unit: 'RMB 100 million',
      total: false,
      indent: 0,
      illustrative: false,
    });
    expect(at(result, "'Table 2'!F5")).toMatchObject({ dims: { measure: 'Real GDP growth (%)', period: '2022' }, value: 2.7, unit: '%' });
    expect(at(result, "'Table 2'!D6")).toMatchObject({ value: 3171, unit: '10,000 persons' });
  });

  it('reads n.a. as missing and (p) as a mark', () => {
    expect(at(result, "'Table 2'!C7")).toMatchObject({ value: null, missing: 'n.a.', unit: 'US$ 100 million' });
    expect(at(result, "'Table 2'!F7")).toMatchObject({ raw: '115.6(p)', value: 115.6, mark: '(p)' });
  });
});

describe('Japanese table (単位：千ドル, 輸出/輸入, △ negatives)', () => {
  const result = shape(readFixture('japan.xlsx'), { dataset: 'trade' });

  it('reads partners, years over flows and the unit', () => {
    expect(result.tables[0]).toMatchObject({ title: '表3 相手国・地域別輸出入額', headerRows: 2, unit: '千ドル', unitSource: 'unit-row', periods: ['2021年', '2022年'] });
    expect(result.tables[0]?.notes).toEqual(['資料：財務省「貿易統計」']);
    expect(at(result, '表3!C5')).toMatchObject({ dims: { partner: '中国', flow: '輸入', period: '2021年' }, value: 2345678, unit: '千ドル' });
  });

  it('reads △ as a negative growth rate in percent, and 合計 as a total', () => {
    expect(at(result, '表3!F5')).toMatchObject({ dims: { partner: '中国', period: '2022年', measure: '輸出伸び率' }, raw: '△3.2', value: -3.2, unit: '%' });
    expect(at(result, '表3!B8')).toMatchObject({ dims: { partner: '合計' }, total: true });
    expect(at(result, '表3!E7')).toMatchObject({ value: null, missing: '…' });
  });
});

describe('long CSV (year, partner, flow, value, unit)', () => {
  const result = shape(readFixture('long-trade.csv'), { dataset: 'trade' });

  it('reads one record per row with dims from the named columns and the unit column', () => {
    expect(result.tables[0]).toMatchObject({ sheet: 'long-trade', range: 'A2:E6', headerRows: 1, orientation: 'long', unit: 'USD million', unitSource: 'column', periods: ['2021', '2022'] });
    expect(result.records.map((r) => r.cell)).toEqual(["'long-trade'!D2", "'long-trade'!D3", "'long-trade'!D4", "'long-trade'!D5", "'long-trade'!D6"]);
    expect(at(result, "'long-trade'!D4")).toEqual({
      cell: "'long-trade'!D4",
      dims: { partner: 'Japan', flow: 'export', period: '2022' },
      raw: '1,300.1',
      value: 1300.1,
      unit: 'USD million',
      total: false,
      indent: 0,
      illustrative: false,
    });
    expect(at(result, "'long-trade'!D5")).toMatchObject({ value: null, missing: 'n.a.' });
    expect(at(result, "'long-trade'!D6")).toMatchObject({ dims: { partner: 'World', flow: 'total' }, total: true });
  });
});

describe('full-width digits and ％', () => {
  it('parses the numbers, keeps ％ columns in %, and reads 地区 rows as reporters', () => {
    const result = shape(readFixture('fullwidth.xlsx'), { dataset: 'indicator', fixed: { period: '2022' } });
    expect(result.tables[0]).toMatchObject({ headerRows: 1, unit: '亿元', unitSource: 'header', periods: [] });
    expect(at(result, '表6!B3')).toMatchObject({ dims: { reporter: '哈尔滨', measure: '地区生产总值' }, raw: '５，５７６．３', value: 5576.3, unit: '亿元' });
    expect(at(result, '表6!C4')).toMatchObject({ dims: { reporter: '齐齐哈尔', measure: '增长％' }, value: -0.5, unit: '%' });
    expect(at(result, '表6!B5')).toMatchObject({ dims: { reporter: '全省' }, total: true });
    // The config fixes the period, so its absence is not a warning.
    expect(result.warnings).toEqual([]);
  });

  it('warns when a table has no period and none is configured', () => {
    const result = shape(readFixture('fullwidth.xlsx'), { dataset: 'indicator' });
    expect(result.warnings).toEqual(['表6!A3:C5: no period found; set fixed.period in the source config']);
  });
});

describe('two tables in one sheet', () => {
  const result = shape(readFixture('two-tables.xlsx'), { dataset: 'trade' });

  it('finds both, each with its own title, unit and notes', () => {
    expect(result.tables.map((t) => [t.range, t.title, t.unit, t.orientation, t.notes])).toEqual([
      ['A4:D5', '表1 对日本进出口', '万美元', 'long', []],
      ['A10:D11', '表2 对俄罗斯进出口', '亿元', 'long', ['注：2022年为初步数。']],
    ]);
    expect(result.records).toHaveLength(12);
    expect(at(result, 'Sheet1!C5')).toMatchObject({ dims: { flow: '出口', period: '2022' }, value: 45.3, unit: '万美元' });
    expect(at(result, 'Sheet1!D10')).toMatchObject({ dims: { flow: '进口', period: '2021' }, value: 1300.1, unit: '亿元' });
  });
});

describe('dates in headers, a flag column and a notes-only sheet', () => {
  const result = shape(readFixture('with-notes.xlsx'), { dataset: 'trade' });

  it('reads Date headers and a serial number beside them as months', () => {
    expect(result.tables[0]).toMatchObject({ sheet: 'Data', unit: 'US$ million', unitSource: 'title', periods: ['2023-01', '2023-02', '2023-03'] });
    expect(at(result, 'Data!D3')).toMatchObject({ dims: { partner: 'Japan', period: '2023-03' }, value: 12.9 });
  });

  it('flags the values of a row marked illustrative, and only those', () => {
    expect(result.records.filter((r) => r.illustrative).map((r) => r.cell)).toEqual(['Data!B4', 'Data!C4', 'Data!D4']);
    expect(result.records.some((r) => r.cell.startsWith('Data!E'))).toBe(false);
  });

  it('skips the notes sheet with a warning', () => {
    expect(result.tables).toHaveLength(1);
    expect(result.warnings).toEqual(['sheet "说明": no table found (3 rows of text only), skipped']);
  });

  it('reads only the sheets asked for', () => {
    const only = shape(readFixture('with-notes.xlsx'), { dataset: 'trade', sheets: ['Data', 'Missing'] });
    expect(only.tables.map((t) => t.sheet)).toEqual(['Data']);
    expect(only.warnings).toEqual(['sheet "Missing" not found']);
  });
});

describe('layout overrides', () => {
  it('header_rows fixes a header row of numeric HS codes that detection reads as data', () => {
    const guessed = shape(readFixture('hs-codes.xlsx'), { dataset: 'trade', fixed: { period: '2023' } });
    expect(guessed.tables[0]?.headerRows).toBe(1);
    expect(at(guessed, 'HS!B3').value).toBe(8703); // the wrong guess: a code read as a value
    expect(guessed.warnings.some((w) => w.includes('same header'))).toBe(true);

    const fixed = shape(readFixture('hs-codes.xlsx'), { dataset: 'trade', fixed: { period: '2023' }, layout: { header_rows: 2 } });
    expect(fixed.tables[0]).toMatchObject({ range: 'A4:D5', headerRows: 2, unit: '万美元', unitSource: 'title', labels: ['日本', '韩国'] });
    expect(fixed.records.map((r) => r.cell)).toEqual(['HS!B4', 'HS!C4', 'HS!D4', 'HS!B5', 'HS!C5', 'HS!D5']);
    expect(at(fixed, 'HS!C4')).toMatchObject({ dims: { partner: '日本', product: '8708' }, value: 3.4 });
    // A published zero stays a zero.
    expect(at(fixed, 'HS!D5')).toMatchObject({ value: 0 });
    expect(fixed.warnings).toEqual([]);
  });
});
