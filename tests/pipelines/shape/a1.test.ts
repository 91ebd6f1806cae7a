import { describe, expect, it } from 'vitest';
import { cellRef, columnLetters, quoteSheetName, rangeAddress } from '../../../src/pipelines/shape/a1.js';

describe('A1 notation', () => {
  it('writes column letters', () => {
    expect([0, 25, 26, 51, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AZ', 'ZZ', 'AAA']);
  });

  it('quotes sheet names the way Excel does', () => {
    expect(quoteSheetName('Data')).toBe('Data');
    expect(quoteSheetName('进出口')).toBe('进出口');
    expect(quoteSheetName('11-4 进出口')).toBe("'11-4 进出口'");
    expect(quoteSheetName('Table 2')).toBe("'Table 2'");
    expect(quoteSheetName('2023')).toBe("'2023'");
    expect(quoteSheetName('A1')).toBe("'A1'");
    expect(quoteSheetName("O'Brien")).toBe("'O''Brien'");
  });

  it('builds cell and range references', () => {
    expect(cellRef('11-4 进出口', 6, 2)).toBe("'11-4 进出口'!C7");
    expect(rangeAddress(3, 0, 29, 7)).toBe('A4:H30');
  });
});
