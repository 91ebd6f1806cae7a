import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseNumber, type ParsedNumber } from '../../../src/pipelines/lexicon/numbers.js';


describe('parseNumber', () => {
  const cases: [string | number | boolean | Date | null | undefined, ParsedNumber][] = [
    // JS values
    [1234.5, { value: 1234.5 }],
    [-0, { value: 0 }],
    [Number.NaN, { value: null, error: 'not a finite number: NaN' }],
    [Number.POSITIVE_INFINITY, { value: null, error: 'not a finite number: Infinity' }],
    [true, { value: null, error: 'a boolean, not a number' }],
    [new Date(2023, 0, 1), { value: null, error: 'a date, not a number' }],
    // blanks
    [null, { value: null, missing: '' }],
    [undefined, { value: null, missing: '' }],
    ['', { value: null, missing: '' }],
    ['   ', { value: null, missing: '' }],
    ['\u3000', { value: null, missing: '' }],
    // missing markers, as written
    ...['—', '–', '-', '--', '…', '...', 'x', 'X', 'n.a.', 'N/A', 'NA', 'na', '..', '－', '―', '/', '*', '——', '……', 'ー', ' — ']
      .map((m): [string, ParsedNumber] => [m, { value: null, missing: m.trim() }]),
    // plain and grouped
    ['123', { value: 123 }],
    ['1,234.5', { value: 1234.5 }],
    ['12,345,678', { value: 12345678 }],
    ['1 234 567', { value: 1234567 }],
    [' 42 ', { value: 42 }],
    ['.5', { value: 0.5 }],
    ['-12.25', { value: -12.25 }],
    ['+3', { value: 3 }],
    ['- 5', { value: -5 }],
    ['1e+21', { value: 1e21 }],
    ['1.5E-7', { value: 1.5e-7 }],
    // full width
    ['１２３．４', { value: 123.4 }],
    ['－５', { value: -5 }],
    ['＋５', { value: 5 }],
    ['１，２３４', { value: 1234 }],
    ['１２．５％', { value: 12.5, percent: true }],
    // percent
    ['12.5%', { value: 12.5, percent: true }],
    ['12.5 %', { value: 12.5, percent: true }],
    ['%12.5', { value: 12.5, percent: true }],
    ['-3.2%', { value: -3.2, percent: true }],
    // footnote marks
    ['123*', { value: 123, mark: '*' }],
    ['123**', { value: 123, mark: '**' }],
    ['123①', { value: 123, mark: '①' }],
    ['123⑳', { value: 123, mark: '⑳' }],
    ['1,234 (p)', { value: 1234, mark: '(p)' }],
    ['1,234(e)', { value: 1234, mark: '(e)' }],
    ['56(r)', { value: 56, mark: '(r)' }],
    ['12p', { value: 12, mark: 'p' }],
    ['12 r', { value: 12, mark: 'r' }],
    ['12e', { value: 12, mark: 'e' }],
    ['12¹', { value: 12, mark: '¹' }],
    ['12²³', { value: 12, mark: '²³' }],
    ['12†', { value: 12, mark: '†' }],
    ['12‡', { value: 12, mark: '‡' }],
    ['12#', { value: 12, mark: '#' }],
    ['12.5%*', { value: 12.5, percent: true, mark: '*' }],
    // negatives
    ['(123)', { value: -123 }],
    ['(1,234.5)', { value: -1234.5 }],
    ['(12.5%)', { value: -12.5, percent: true }],
    ['△123', { value: -123 }],
    ['▲123', { value: -123 }],
    ['▲1,234.5', { value: -1234.5 }],
    ['△ 0', { value: 0 }],
    // Excel errors
    ['#DIV/0!', { value: null, error: 'Excel error #DIV/0!' }],
    ['#N/A', { value: null, error: 'Excel error #N/A' }],
    ['#VALUE!', { value: null, error: 'Excel error #VALUE!' }],
    ['#REF!', { value: null, error: 'Excel error #REF!' }],
    // not numbers
    ['Japan', { value: null, error: 'not a number: Japan' }],
    ['12abc', { value: null, error: 'not a number: 12abc' }],
    ['1.2.3', { value: null, error: 'not a number: 1.2.3' }],
    ['(123) p', { value: null, error: 'not a number: (123) p' }],
    ['(p)', { value: null, error: 'not a number: (p)' }],
    ['1 234,5', { value: null, error: 'not a number: 1 234,5' }],
    ['1.234,5', { value: null, error: 'not a number: 1.234,5' }],
    ['12,5', { value: null, error: 'not a number: 12,5 (a decimal comma? not guessed)' }],
    ['1,2345', { value: null, error: 'not a number: 1,2345 (a decimal comma? not guessed)' }],
    ['1234,567', { value: null, error: 'not a number: 1234,567' }],
    ['--5', { value: null, error: 'not a number: --5' }],
    ['12%%', { value: null, error: 'not a number: 12%%' }],
    ['$1,234', { value: null, error: 'not a number: $1,234' }],
    ['NaN', { value: null, error: 'not a number: NaN' }],
    ['Infinity', { value: null, error: 'not a number: Infinity' }],
    ['1'.repeat(400), { value: null, error: `number out of range: ${'1'.repeat(40)}…` }],
    ['1'.repeat(1001), { value: null, error: `not a number: ${'1'.repeat(40)}…` }],
    [`0.${'0'.repeat(1000)}1`, { value: null, error: `not a number: 0.${'0'.repeat(38)}…` }],
    ['a'.repeat(100), { value: null, error: `not a number: ${'a'.repeat(40)}…` }],
  ];
  it.each(cases)('%j', (raw, expected) => {
    expect(parseNumber(raw)).toEqual(expected);
  });

  // A hang guard, not a speed assertion (speed lives in `npm run bench`).
  it('does not hang on adversarial inputs', { timeout: 10_000 }, () => {
    const inputs = [
      '1,'.repeat(50_000),
      '1' + ',111'.repeat(33_000),
      '9'.repeat(100_000),
      '1'.repeat(99_999) + 'x',
      '1 '.repeat(50_000),
      '-'.repeat(100_000) + '1',
      '(' .repeat(50_000),
      '1.'.repeat(50_000),
      '*'.repeat(100_000),
    ];
    for (const input of inputs) {
      expect(parseNumber(input).value).toBeNull();
    }
    expect(parseNumber(' '.repeat(100_000) + '1').value).toBe(1);
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (s) => {
        const r = parseNumber(s);
        expect(r.value === null || Number.isFinite(r.value)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never returns a number for a string without a digit', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        fc.pre(!/[0-9０-９]/.test(s));
        expect(parseNumber(s).value).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any finite double written by toString', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        expect(parseNumber(d.toString()).value).toBe(d === 0 ? 0 : d);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads back any finite double written by toLocaleString("en-US")', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
        const text = d.toLocaleString('en-US');
        // toLocaleString rounds to three decimals; the number it wrote is what must come back.
        const written = Number(text.replaceAll(',', ''));
        expect(parseNumber(text).value).toBe(written === 0 ? 0 : written);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.maxSafeInteger(), (d) => {
        expect(parseNumber(d.toLocaleString('en-US')).value).toBe(d === 0 ? 0 : d);
      }),
      { numRuns: 1000 },
    );
  });
});
