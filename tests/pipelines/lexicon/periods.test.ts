import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { looksLikePeriod, parsePeriod, type ParsedPeriod } from '../../../src/pipelines/lexicon/periods.js';

const year = (p: string): ParsedPeriod => ({ period: p, kind: 'year', months: 12 });
const quarter = (p: string): ParsedPeriod => ({ period: p, kind: 'quarter', months: 3 });
const month = (p: string): ParsedPeriod => ({ period: p, kind: 'month', months: 1 });
const ytd = (p: string, months: number): ParsedPeriod => ({ period: p, kind: 'ytd', months });

describe('parsePeriod', () => {
  const context = { year: 2023 };
  const cases: [string | number | Date, ParsedPeriod | null][] = [
    // years
    ['2023', year('2023')],
    ['2023年', year('2023')],
    ['2023年度', year('2023')],
    ['FY2023', year('2023')],
    ['FY 2023', year('2023')],
    ['2023 FY', year('2023')],
    ['２０２３年', year('2023')],
    ['1949', year('1949')],
    ['2023年1-12月', year('2023')],
    ['2023年全年', year('2023')],
    ['令和5年', year('2023')],
    ['令和５年', year('2023')],
    ['令和元年', year('2019')],
    ['令和五年', year('2023')],
    ['平成31年', year('2019')],
    ['平成30年度', year('2018')],
    [2019, year('2019')],
    [2019.5, null],
    [1850, null],
    [123, null],
    // ytd (cumulative from January)
    ['2023年1-6月', ytd('2023-06', 6)],
    ['2023年1—6月', ytd('2023-06', 6)],
    ['2023年1~6月', ytd('2023-06', 6)],
    ['2023年1～6月', ytd('2023-06', 6)],
    ['2023年1至6月', ytd('2023-06', 6)],
    ['2023年1月-6月', ytd('2023-06', 6)],
    ['2023年1-6月累计', ytd('2023-06', 6)],
    ['2023年1-6月份', ytd('2023-06', 6)],
    ['2023年6月累计', ytd('2023-06', 6)],
    ['2023年1-9月', ytd('2023-09', 9)],
    ['2023年1-2月', ytd('2023-02', 2)],
    ['2023年前三季度', ytd('2023-09', 9)],
    ['2023年1-3季度', ytd('2023-09', 9)],
    ['2023年上半年', ytd('2023-06', 6)],
    ['2023年上期', ytd('2023-06', 6)],
    ['2023年上半期', ytd('2023-06', 6)],
    ['Jan-Jun 2023', ytd('2023-06', 6)],
    ['Jan.-Jun. 2023', ytd('2023-06', 6)],
    ['January–June 2023', ytd('2023-06', 6)],
    ['H1 2023', ytd('2023-06', 6)],
    ['2023 H1', ytd('2023-06', 6)],
    ['1H 2023', ytd('2023-06', 6)],
    ['2023.1-6', ytd('2023-06', 6)],
    ['令和5年1～6月', ytd('2023-06', 6)],
    ['１－６月', ytd('2023-06', 6)],
    ['1-6月', ytd('2023-06', 6)],
    ['上半年', ytd('2023-06', 6)],
    ['Jan-Jun', ytd('2023-06', 6)],
    ['前三季度', ytd('2023-09', 9)],
    ['6月累计', ytd('2023-06', 6)],
    // quarters (a Jan–Mar cumulative range is the quarter Q1)
    ['1-3月', quarter('2023-Q1')],
    ['1～3月', quarter('2023-Q1')],
    ['2023年1-3月', quarter('2023-Q1')],
    ['2023年4-6月', quarter('2023-Q2')],
    ['4-6月', quarter('2023-Q2')],
    ['2023年4～6月期', quarter('2023-Q2')],
    ['一季度', quarter('2023-Q1')],
    ['第一季度', quarter('2023-Q1')],
    ['2023年第二季度', quarter('2023-Q2')],
    ['2023年3季度', quarter('2023-Q3')],
    ['2023年第4四半期', quarter('2023-Q4')],
    ['Q1 2023', quarter('2023-Q1')],
    ['Q1/2023', quarter('2023-Q1')],
    ['2023Q1', quarter('2023-Q1')],
    ['2023-Q1', quarter('2023-Q1')],
    ['2023 Q4', quarter('2023-Q4')],
    ['Apr-Jun 2023', quarter('2023-Q2')],
    ['Q3', quarter('2023-Q3')],
    // months
    ['2023年6月', month('2023-06')],
    ['2023年06月', month('2023-06')],
    ['2023年六月', month('2023-06')],
    ['2023年十二月', month('2023-12')],
    ['２０２３年６月', month('2023-06')],
    ['2023-06', month('2023-06')],
    ['2023/6', month('2023-06')],
    ['2023.06', month('2023-06')],
    ['2023.10', month('2023-10')],
    ['2023M06', month('2023-06')],
    ['06/2023', month('2023-06')],
    ['Jun 2023', month('2023-06')],
    ['June 2023', month('2023-06')],
    ['Jan. 2023', month('2023-01')],
    ['2023 Jan', month('2023-01')],
    ['Sept 2023', month('2023-09')],
    ['令和5年6月', month('2023-06')],
    ['6月', month('2023-06')],
    ['1月', month('2023-01')],
    ['2023年1-1月', month('2023-01')],
    ['Jan', month('2023-01')],
    ['December', month('2023-12')],
    [new Date(2023, 5, 1), month('2023-06')],
    [new Date(Date.UTC(2023, 5, 1)), month('2023-06')],
    [new Date(Date.UTC(2023, 4, 31, 16)), month('2023-06')], // local midnight 1 June in UTC+8
    [new Date(Number.NaN), null],
    // not periods
    ['2019?', null],
    ['2023-06-30', null],
    ['202306', null],
    ['2023年2-5月', null],
    ['2023年下半年', null],
    ['H2 2023', null],
    ['2023年度上期', null],
    ['FY2023 Q1', null],
    ['2023年13月', null],
    ['2023-13', null],
    ['Total', null],
    ['合计', null],
    ['Japan', null],
    ['', null],
    ['12', null],
    ['6', null],
    ['Mayday 2023', null],
    ['2023 Japan', null],
    ['constructor 2023', null],
    ['__proto__', null],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(parsePeriod(text, context)).toEqual(expected);
  });

  it('needs a context year for year-less labels', () => {
    for (const label of ['1-6月', '上半年', '一季度', '6月', 'Jan', 'Jan-Jun', 'Q1']) {
      expect(parsePeriod(label)).toBeNull();
      expect(looksLikePeriod(label)).toBe(true);
    }
  });

  it('looksLikePeriod', () => {
    expect(looksLikePeriod('2023年1-6月')).toBe(true);
    expect(looksLikePeriod(2023)).toBe(true);
    expect(looksLikePeriod(new Date(2023, 0, 1))).toBe(true);
    expect(looksLikePeriod('出口')).toBe(false);
    expect(looksLikePeriod('2019?')).toBe(false);
    expect(looksLikePeriod(12.5)).toBe(false);
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => {
        parsePeriod(s, { year: 2023 });
        looksLikePeriod(s);
      }),
      { numRuns: 2000 },
    );
  });

  // A hang guard, not a speed assertion (speed lives in `npm run bench`): a backtracking regex would
  // need far longer than the test timeout on these inputs, a linear scan a few milliseconds.
  it('does not hang on long adversarial inputs', { timeout: 10_000 }, () => {
    for (const input of ['1-'.repeat(50_000), '2023年'.repeat(20_000), '2023 ' + 'a'.repeat(100_000)]) {
      expect(parsePeriod(input, { year: 2023 })).toBeNull();
    }
  });
});
