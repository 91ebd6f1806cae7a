import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isIllustrativeFlag, isNoteText, isTotalLabel, stripSubRowPrefix } from '../../../src/pipelines/lexicon/markers.js';

describe('isTotalLabel', () => {
  it.each([
    '合计', '合　　计', '总计', '总值', '全省', '全国合计', '总额', '小计', '計', '合計', '総計', '總計', '世界',
    'Total', 'TOTAL:', 'Grand total', 'Sub-total', 'World', '合计 Total', '总计/Total', '合计（万美元）', 'Ｔｏｔａｌ',
  ])('%j is a total', (label) => {
    expect(isTotalLabel(label)).toBe(true);
  });
  it.each(['', '全国', '日本', 'Japan', 'Total trade', '合计 Japan', 'Totally', '其中：日本', '__proto__', 'constructor'])('%j is not', (label) => {
    expect(isTotalLabel(label)).toBe(false);
  });
});

describe('stripSubRowPrefix', () => {
  it.each([
    ['其中：日本', '日本', true],
    ['其中:日本', '日本', true],
    ['  其中：对日本', '对日本', true],
    ['其中', '', true],
    ['内：国有企业', '国有企业', true],
    ['うち中国', '中国', true],
    ['うち：中国', '中国', true],
    ['of which: Japan', 'Japan', true],
    ['Of which Japan', 'Japan', true],
    ['including: Japan', 'Japan', true],
    ['#日本', '日本', true],
    ['内资企业', '内资企业', false],
    [' Japan ', 'Japan', false],
    ['Includingness', 'Includingness', false],
  ])('%j', (label, stripped, subRow) => {
    expect(stripSubRowPrefix(label)).toEqual({ label: stripped, subRow });
  });
});

describe('isNoteText', () => {
  it.each([
    '注：本表数据为初步统计', '注:', '注1：', '注①', '注 1. 数据', '（注）速報値', '資料：財務省', '资料来源：海关总署',
    '来源：海关', '出所：財務省「貿易統計」', 'Source: GACC', 'Sources: GACC; MOF', 'Note: preliminary',
    'Notes: 1. preliminary', '* preliminary', '※ 速報値',
  ])('%j is a note', (text) => {
    expect(isNoteText(text)).toBe(true);
  });
  it.each(['', '注意事项', 'Japan', '*', '12*', 'Notebook', 'Sources of growth', '出口'])('%j is not', (text) => {
    expect(isNoteText(text)).toBe(false);
  });
});

describe('isIllustrativeFlag', () => {
  it.each([
    ['illustrative', true], ['Illustrative', true], ['(illustrative)', true], ['示意', true], ['示意数据', true],
    ['例示', true], ['published', false], ['', false], ['Japan', false],
  ])('%j', (text, expected) => {
    expect(isIllustrativeFlag(text)).toBe(expected);
  });
});

describe('markers never throw', () => {
  it('on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => {
        isTotalLabel(s);
        stripSubRowPrefix(s);
        isNoteText(s);
        isIllustrativeFlag(s);
      }),
      { numRuns: 2000 },
    );
  });
});
