import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findUnitInText, parseUnit, type ParsedUnit } from '../../../src/pipelines/lexicon/units.js';

type Expected = Omit<ParsedUnit, 'text'> | null;
const money = (currency: string, scale = 1): Expected => ({ scale, currency, kind: 'money' });
const other = (kind: ParsedUnit['kind'], scale = 1): Expected => ({ scale, currency: null, kind });
const rate = (currency: string, scale = 1): Expected => ({ scale, currency, kind: 'rate' });

describe('parseUnit', () => {
  const cases: [string, Expected][] = [
    // currencies
    ['美元', money('USD')], ['美金', money('USD')], ['US$', money('USD')], ['USD', money('USD')],
    ['$', money('USD')], ['ドル', money('USD')], ['米ドル', money('USD')], ['US dollars', money('USD')],
    ['元', money('CNY')], ['人民币', money('CNY')], ['yuan', money('CNY')], ['RMB', money('CNY')], ['CNY', money('CNY')],
    ['円', money('JPY')], ['日元', money('JPY')], ['yen', money('JPY')], ['JPY', money('JPY')],
    ['卢布', money('RUB')], ['RUB', money('RUB')], ['roubles', money('RUB')],
    // Chinese and Japanese scales
    ['万美元', money('USD', 1e4)], ['亿美元', money('USD', 1e8)], ['亿元', money('CNY', 1e8)],
    ['万元', money('CNY', 1e4)], ['人民币亿元', money('CNY', 1e8)], ['千美元', money('USD', 1e3)],
    ['百万美元', money('USD', 1e6)], ['千ドル', money('USD', 1e3)], ['百万ドル', money('USD', 1e6)],
    ['億ドル', money('USD', 1e8)], ['億円', money('JPY', 1e8)], ['十億円', money('JPY', 1e9)],
    ['千円', money('JPY', 1e3)], ['兆円', money('JPY', 1e12)], ['万亿元', money('CNY', 1e12)],
    ['万美元', money('USD', 1e4)], ['（单位：亿元）', money('CNY', 1e8)], ['单位：万美元', money('USD', 1e4)],
    // English scales
    ['US$10,000', money('USD', 1e4)], ['US$ 10,000', money('USD', 1e4)], ['US$ 100 million', money('USD', 1e8)],
    ['100 million yuan', money('CNY', 1e8)], ['RMB bn', money('CNY', 1e9)], ['RMB billion', money('CNY', 1e9)],
    ['USD million', money('USD', 1e6)], ['US$ mn', money('USD', 1e6)], ['US$ million', money('USD', 1e6)],
    ['US$ (million)', money('USD', 1e6)], ['million US dollars', money('USD', 1e6)],
    ['thousand USD', money('USD', 1e3)], ['10k USD', money('USD', 1e4)], ['billion yuan', money('CNY', 1e9)],
    ['trillion yuan', money('CNY', 1e12)], ['Unit: USD million', money('USD', 1e6)], ['ＵＳ＄ million', money('USD', 1e6)],
    // percent, index, counts, quantities
    ['%', other('percent')], ['％', other('percent')], ['percent', other('percent')], ['百分比', other('percent')],
    ['2015=100', other('index')], ['上年=100', other('index')], ['index', other('index')],
    ['个', other('count')], ['件', other('count')], ['项', other('count')], ['家', other('count')],
    ['projects', other('count')], ['enterprises', other('count')], ['万人', other('count', 1e4)],
    ['吨', other('quantity')], ['万吨', other('quantity', 1e4)], ['tonnes', other('quantity')], ['千克', other('quantity')], ['万千瓦时', other('quantity', 1e4)],
    // per-unit money and rates
    ['元/人', money('CNY')], ['美元/吨', money('USD')],
    ['CNY per USD', rate('CNY')], ['元/美元', rate('CNY')], ['円/ドル', rate('JPY')], ['元/100美元', rate('CNY', 0.01)],
    // unknown
    ['', null], ['foo', null], ['万', null], ['10,000', null], ['thousand', null], ['Japan', null],
    ['¥', null], ['美元/', null], ['亿美元 yuan', null], ['Exports', null], ['__proto__', null], ['constructor', null],
  ];
  it.each(cases)('%j', (text, expected) => {
    const parsed = parseUnit(text);
    if (expected === null) expect(parsed).toBeNull();
    else expect(parsed).toEqual({ ...expected, text: parsed?.text });
  });

  it('keeps the unit as written, without a label or brackets', () => {
    expect(parseUnit(' （单位：亿元） ')?.text).toBe('亿元');
    expect(parseUnit('(Unit: US$10,000)')?.text).toBe('US$10,000');
    expect(parseUnit('万美元')?.text).toBe('万美元');
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => {
        parseUnit(s);
        findUnitInText(s);
      }),
      { numRuns: 2000 },
    );
  });

  // A hang guard, not a speed assertion (speed lives in `npm run bench`): a backtracking regex would
  // need far longer than the test timeout on these inputs, a linear scan a few milliseconds.
  it('does not hang on long adversarial inputs', { timeout: 10_000 }, () => {
    for (const input of ['1,'.repeat(50_000), '万'.repeat(100_000), 'in '.repeat(30_000), '('.repeat(50_000), '单位：' + 'x'.repeat(100_000)]) {
      expect(parseUnit(input)).toBeNull();
      findUnitInText(input);
    }
  });
});

describe('findUnitInText', () => {
  const cases: [string, string | null][] = [
    ['表11-4 黑龙江省对外贸易 单位：万美元', '万美元'],
    ['黑龙江省对日贸易（单位：亿元）', '亿元'],
    ['单位:万美元', '万美元'],
    ['Table 3 (Unit: US$10,000)', 'US$10,000'],
    ['単位：千ドル', '千ドル'],
    ['単位：千ドル、％', '千ドル'],
    ['Unit: USD million', 'USD million'],
    ['Exports by country, Unit: USD million, current prices', 'USD million'],
    ['Exports by partner, in US$ million', 'US$ million'],
    ['Trade with Japan (in 100 million yuan)', '100 million yuan'],
    ['Trade in goods (US$ million)', 'US$ million'],
    ['出口（万美元）', '万美元'],
    ['Japan trade 2023', null],
    ['Exports in 2023', null],
    ['Trade in goods', null],
    ['', null],
  ];
  it.each(cases)('%j', (text, expected) => {
    expect(findUnitInText(text)).toBe(expected);
  });
});

describe('parseUnit on bilingual unit statements', () => {
  it.each([
    ['十亿美元 US$ billion', 1e9, 'USD'],
    ['十亿美元 Unit: US$ billion', 1e9, 'USD'],
    ['亿美元 US$ 100 million', 1e8, 'USD'],
    ['万美元 US$ 10,000', 1e4, 'USD'],
  ])('%s states one unit twice: scale %d, not the product of both', (text, scale, currency) => {
    expect(parseUnit(text)).toMatchObject({ scale, currency, kind: 'money' });
  });
  it('two languages that disagree are no unit', () => {
    expect(parseUnit('亿元 US$ billion')).toBeNull();
  });
  it('a qualifier after the unit is kept in the text but does not stop the parse', () => {
    expect(parseUnit('% (real growth, y-o-y)')).toMatchObject({ kind: 'percent', scale: 1 });
    expect(parseUnit('亿元（当年价）')).toMatchObject({ currency: 'CNY', scale: 1e8 });
  });
});
