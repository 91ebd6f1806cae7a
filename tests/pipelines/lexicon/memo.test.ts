// The lexicon's readers remember their answers (issue 6): a remembered answer must be the answer,
// the memory must stay bounded, and a caller changing what it got must not change the next answer.
import { describe, expect, it } from 'vitest';
import { MEMO_MAX_KEY, memoise, memoiseCopy } from '../../../src/pipelines/lexicon/memo.js';
import { findUnitInText, isTotalLabel, looksLikePeriod, parseFlow, parsePeriod, parseUnit } from '../../../src/pipelines/lexicon/index.js';
import { fxCurrency, indicatorCode, isQuantityMeasure } from '../../../src/pipelines/measures.js';

describe('memoise', () => {
  it('reads each text once and answers repeats from memory, null and false included', () => {
    const seen: string[] = [];
    const read = memoise((t: string) => {
      seen.push(t);
      return t === 'none' ? null : t === 'no' ? false : t.length;
    });
    expect([read('abc'), read('none'), read('no'), read('abc'), read('none'), read('no')]).toEqual([3, null, false, 3, null, false]);
    expect(seen).toEqual(['abc', 'none', 'no']);
  });

  it('stays bounded: a full memory is emptied, and answers stay right', () => {
    let calls = 0;
    const read = memoise((t: string) => {
      calls++;
      return t.toUpperCase();
    }, 4);
    for (const t of ['a', 'b', 'c', 'd', 'e', 'a']) expect(read(t)).toBe(t.toUpperCase());
    // `e` filled the memory past its four entries, so it was emptied and `a` is read again.
    expect(calls).toBe(6);
    expect(read('e')).toBe('E');
    expect(calls).toBe(6);
  });

  it('does not remember long texts', () => {
    let calls = 0;
    const read = memoise((t: string) => {
      calls++;
      return t.length;
    });
    const long = 'x'.repeat(MEMO_MAX_KEY + 1);
    read(long);
    read(long);
    expect(calls).toBe(2);
  });

  it('hands every caller its own copy of an object answer', () => {
    const read = memoiseCopy((t: string) => (t === '' ? null : { text: t, n: 1 }));
    const first = read('a')!;
    first.n = 99;
    expect(read('a')).toEqual({ text: 'a', n: 1 });
    expect(read('')).toBeNull();
  });
});

describe('remembered lexicon readers', () => {
  it('give the same answers asked again', () => {
    const labels = ['进出口', '出口（万美元）', 'Exports', 'Total', '合计 Total', '2023年1-6月', 'Jan-Jun 2023', '万美元', 'US$ million', '单位：亿元', 'quantity (kg)', 'GDP growth (%)', 'CNY per USD', '', '  '];
    const ask = () =>
      labels.map((l) => [parseFlow(l), isTotalLabel(l), parsePeriod(l), parsePeriod(l, { year: 2020 }), looksLikePeriod(l), parseUnit(l), findUnitInText(l), isQuantityMeasure(l), indicatorCode(l), fxCurrency(l)]);
    expect(ask()).toEqual(ask());
  });

  it('return objects the caller may change without changing the next answer', () => {
    const unit = parseUnit('万美元')!;
    unit.scale = 1;
    unit.currency = 'EUR';
    expect(parseUnit('万美元')).toMatchObject({ scale: 1e4, currency: 'USD', kind: 'money' });
    const period = parsePeriod('2023年1-6月')!;
    period.period = 'changed';
    expect(parsePeriod('2023年1-6月')).toEqual({ period: '2023-06', kind: 'ytd', months: 6 });
  });

  it('keep the context year apart: the same label under two years is two periods', () => {
    expect(parsePeriod('1-3月', { year: 2021 })?.period).toBe('2021-Q1');
    expect(parsePeriod('1-3月', { year: 2022 })?.period).toBe('2022-Q1');
    expect(parsePeriod('1-3月')).toBeNull();
  });
});
