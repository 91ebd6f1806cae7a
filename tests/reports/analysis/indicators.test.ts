import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  balance,
  cagr,
  dependence,
  finite,
  formatYearRanges,
  gapPercentagePoints,
  growth,
  hhi,
  hhiNormalised,
  latestCommonYear,
  openness,
  rankOf,
  rca,
  seriesCagr,
  seriesGrowth,
  share,
  toSeries,
  topN,
  tradeComplementarity,
  tradeIntensity,
  untappedPotential,
  yearsCovered,
} from '../../../src/reports/analysis/indicators.js';
import type { Maybe, Series } from '../../../src/reports/analysis/indicators.js';

const series = (entries: [number, number | null][]): Series => new Map(entries);

/** Anything a caller might pass: numbers of every kind, NaN, ±Infinity, null, undefined. */
const anyInput: fc.Arbitrary<Maybe> = fc.oneof(
  fc.double(),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.constantFrom(0, -0, null, undefined, Number.NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE),
);

const isNullOrFinite = (x: number | null): boolean => x === null || Number.isFinite(x);

describe('finite', () => {
  it('passes finite numbers and turns everything else into null', () => {
    expect(finite(0)).toBe(0);
    expect(finite(-2.5)).toBe(-2.5);
    expect(finite(null)).toBeNull();
    expect(finite(undefined)).toBeNull();
    expect(finite(Number.NaN)).toBeNull();
    expect(finite(Infinity)).toBeNull();
  });
});

describe('growth', () => {
  it('is the percent change on the previous value', () => {
    expect(growth(110, 100)).toBeCloseTo(10, 10); // (110 − 100) / 100 × 100
    expect(growth(90, 100)).toBeCloseTo(-10, 10); // (90 − 100) / 100 × 100
    expect(growth(23.05, 19.64)).toBeCloseTo(17.3625, 4); // 3.41 / 19.64 × 100
    expect(growth(0, 50)).toBeCloseTo(-100, 10); // (0 − 50) / 50 × 100
    expect(growth(100, 100)).toBe(0);
  });

  it('measures a negative base against its absolute value, so the sign follows the change', () => {
    expect(growth(-5, -10)).toBeCloseTo(50, 10); // deficit narrows: (−5 − −10) / |−10| × 100
    expect(growth(-15, -10)).toBeCloseTo(-50, 10); // deficit widens: (−15 − −10) / 10 × 100
    expect(growth(5, -10)).toBeCloseTo(150, 10); // turns to surplus: (5 + 10) / 10 × 100
  });

  it('is null for a zero or missing base and for a missing current value', () => {
    expect(growth(10, 0)).toBeNull();
    expect(growth(10, null)).toBeNull();
    expect(growth(10, undefined)).toBeNull();
    expect(growth(null, 10)).toBeNull();
    expect(growth(Number.NaN, 10)).toBeNull();
    expect(growth(10, Infinity)).toBeNull();
  });

  it('is null rather than Infinity when the result overflows', () => {
    expect(growth(Number.MAX_VALUE, Number.MIN_VALUE)).toBeNull();
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, (c, p) => isNullOrFinite(growth(c, p))));
  });

  it('has the sign of c − p', () => {
    // Integers in cents keep c − p exact, so the property tests the formula, not float underflow.
    const cents = fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100);
    fc.assert(
      fc.property(cents, cents.filter((p) => p > 0), (c, p) => {
        expect(Math.sign(growth(c, p)!)).toBe(Math.sign(c - p));
      }),
    );
    fc.assert(
      fc.property(cents, cents.filter((p) => p !== 0), (c, p) => {
        expect(Math.sign(growth(c, p)!)).toBe(Math.sign(c - p));
      }),
    );
  });
});

describe('cagr', () => {
  it('is the compound annual rate between two values', () => {
    expect(cagr(100, 121, 2)).toBeCloseTo(10, 10); // (121/100)^(1/2) − 1 = 1.1 − 1
    expect(cagr(200, 100, 1)).toBeCloseTo(-50, 10); // 100/200 − 1
    expect(cagr(9.5, 17.8, 10)).toBeCloseTo(6.4804, 4); // (17.8/9.5)^(1/10) − 1 = 1.873684^0.1 − 1
    expect(cagr(100, 0, 3)).toBeCloseTo(-100, 10); // (0/100)^(1/3) − 1
    expect(cagr(100, 100, 5)).toBe(0);
  });

  it('is null for one year only, a non-positive start, a negative end or missing values', () => {
    expect(cagr(100, 121, 0)).toBeNull(); // one year only: no interval
    expect(cagr(100, 121, -1)).toBeNull();
    expect(cagr(0, 121, 2)).toBeNull();
    expect(cagr(-100, 121, 2)).toBeNull();
    expect(cagr(100, -1, 2)).toBeNull();
    expect(cagr(null, 121, 2)).toBeNull();
    expect(cagr(100, undefined, 2)).toBeNull();
    expect(cagr(100, 121, null)).toBeNull();
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, anyInput, (f, l, n) => isNullOrFinite(cagr(f, l, n))));
  });
});

describe('toSeries', () => {
  it('builds a year-ordered map and turns non-finite values into null', () => {
    const s = toSeries([
      { year: 2019, value: 3 },
      { year: 2017, value: Number.NaN },
      { year: 2018, value: null },
    ]);
    expect([...s]).toEqual([
      [2017, null],
      [2018, null],
      [2019, 3],
    ]);
  });

  it('throws on a year given twice', () => {
    expect(() => toSeries([{ year: 2019, value: 1 }, { year: 2019, value: 2 }])).toThrow(/2019 given twice/);
  });
});

describe('seriesGrowth', () => {
  it('gives year-on-year growth for every year after the first', () => {
    const g = seriesGrowth(series([[2019, 110], [2017, 100], [2018, 125]]));
    expect([...g.keys()]).toEqual([2018, 2019]);
    expect(g.get(2018)).toBeCloseTo(25, 10); // (125 − 100) / 100
    expect(g.get(2019)).toBeCloseTo(-12, 10); // (110 − 125) / 125
  });

  it('does not bridge a gap or a null year', () => {
    const g = seriesGrowth(series([[2015, 100], [2016, null], [2017, 120], [2019, 150], [2020, 165]]));
    expect(g.get(2016)).toBeNull(); // current unknown
    expect(g.get(2017)).toBeNull(); // previous (2016) unknown
    expect(g.has(2018)).toBe(false); // not in the series at all
    expect(g.get(2019)).toBeNull(); // 2018 absent: not (150 − 120) / 120 over two years
    expect(g.get(2020)).toBeCloseTo(10, 10); // (165 − 150) / 150
  });

  it('is empty for one year only and for an empty series', () => {
    expect(seriesGrowth(series([[2019, 100]])).size).toBe(0);
    expect(seriesGrowth(series([])).size).toBe(0);
  });

  it('gives null for a zero base year', () => {
    expect(seriesGrowth(series([[2018, 0], [2019, 5]])).get(2019)).toBeNull();
  });
});

describe('seriesCagr', () => {
  it('compounds from the first to the last year with a value', () => {
    // 2013 → 2016 is 3 years: (133.1 / 100)^(1/3) − 1 = 1.1 − 1; the null 2017 is not the end
    expect(seriesCagr(series([[2013, 100], [2014, null], [2016, 133.1], [2017, null]]))).toBeCloseTo(10, 10);
  });

  it('is null with fewer than two years of data', () => {
    expect(seriesCagr(series([[2019, 100], [2020, null]]))).toBeNull();
    expect(seriesCagr(series([]))).toBeNull();
  });
});

describe('share', () => {
  it('is the part in percent of the whole', () => {
    expect(share(186.5, 1366.2)).toBeCloseTo(13.651, 3); // 186.5 / 1366.2 × 100
    expect(share(0, 50)).toBe(0);
    expect(share(50, 50)).toBe(100);
  });

  it('is null for a zero or missing whole and a missing part', () => {
    expect(share(1, 0)).toBeNull();
    expect(share(1, null)).toBeNull();
    expect(share(undefined, 10)).toBeNull();
  });

  it('stays within 0–100 when 0 ≤ part ≤ whole', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (whole, fraction) => {
          const part = whole * fraction;
          const s = share(part, whole);
          if (whole === 0) return s === null;
          return s !== null && s >= 0 && s <= 100;
        },
      ),
    );
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, (p, w) => isNullOrFinite(share(p, w))));
  });
});

describe('balance', () => {
  it('is exports minus imports, negative for a deficit', () => {
    expect(balance(52.1, 30.4)).toBeCloseTo(21.7, 10); // 52.1 − 30.4
    expect(balance(8.2, 23.7)).toBeCloseTo(-15.5, 10); // 8.2 − 23.7: a deficit
  });

  it('is null when either side is missing', () => {
    expect(balance(null, 1)).toBeNull();
    expect(balance(1, undefined)).toBeNull();
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, (e, i) => isNullOrFinite(balance(e, i))));
  });
});

describe('openness', () => {
  it('is trade in percent of GDP', () => {
    expect(openness(27.1, 199.6)).toBeCloseTo(13.577, 3); // 27.1 / 199.6 × 100
  });

  it('is null for zero or missing GDP and negative trade', () => {
    expect(openness(27.1, 0)).toBeNull();
    expect(openness(27.1, null)).toBeNull();
    expect(openness(null, 199.6)).toBeNull();
    expect(openness(-1, 199.6)).toBeNull();
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, (t, g) => isNullOrFinite(openness(t, g))));
  });
});

describe('gapPercentagePoints', () => {
  it('is the difference of two percentages', () => {
    expect(gapPercentagePoints(6.9, 2.4)).toBeCloseTo(4.5, 10); // 6.9% − 2.4%
    expect(gapPercentagePoints(2.4, 6.9)).toBeCloseTo(-4.5, 10);
    expect(gapPercentagePoints(null, 6.9)).toBeNull();
  });
});

describe('hhi', () => {
  it('is the sum of squared percent shares', () => {
    expect(hhi([60, 30, 10])).toBeCloseTo(4600, 8); // 60² + 30² + 10² with shares 0.6, 0.3, 0.1
    expect(hhi([2, 1, 1])).toBeCloseTo(3750, 8); // 50² + 25² + 25²
  });

  it('is 10,000 for one partner and 5,000 for two equal ones', () => {
    expect(hhi([42])).toBe(10_000); // 100²
    expect(hhi([7, 7])).toBeCloseTo(5000, 8); // 50² + 50²
  });

  it('ignores nulls but counts zeros as partners with no trade', () => {
    expect(hhi([60, null, 30, undefined, 10, 0])).toBeCloseTo(4600, 8);
  });

  it('is null when the total is not positive or a value is negative', () => {
    expect(hhi([])).toBeNull();
    expect(hhi([null, null])).toBeNull();
    expect(hhi([0, 0])).toBeNull();
    expect(hhi([10, -5])).toBeNull();
  });

  it('lies in [10,000/N, 10,000]', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 1, maxLength: 40 }), (values) => {
        const h = hhi(values);
        if (values.every((v) => v === 0)) return h === null;
        const n = values.length;
        return h !== null && h >= 10_000 / n - 1e-6 && h <= 10_000 + 1e-6;
      }),
    );
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(fc.array(anyInput, { maxLength: 20 }), (values) => isNullOrFinite(hhi(values))));
  });
});

describe('hhiNormalised', () => {
  it('rescales the index to 0 (even) … 1 (one partner)', () => {
    // H = 0.46, N = 3: (0.46 − 1/3) / (1 − 1/3) = 0.12667 / 0.66667
    expect(hhiNormalised([60, 30, 10])).toBeCloseTo(0.19, 10);
    expect(hhiNormalised([5, 5, 5, 5])).toBe(0); // H = 0.25 = 1/N
    expect(hhiNormalised([9, 0])).toBe(1); // H = 1, N = 2: (1 − 0.5) / (1 − 0.5)
  });

  it('is null for fewer than two partners', () => {
    expect(hhiNormalised([42])).toBeNull();
    expect(hhiNormalised([42, null])).toBeNull();
    expect(hhiNormalised([])).toBeNull();
  });

  it('stays within 0–1', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e12, noNaN: true }), { minLength: 2, maxLength: 40 }), (values) => {
        const h = hhiNormalised(values);
        return h === null ? values.every((v) => v === 0) : h >= 0 && h <= 1;
      }),
    );
  });
});

describe('rankOf', () => {
  const values = new Map<string, number | null>([
    ['JPN', 30],
    ['KOR', 50],
    ['RUS', 80],
    ['USA', 50],
    ['DEU', 10],
    ['PRK', null],
  ]);

  it('ranks by value, largest first', () => {
    expect(rankOf('RUS', values)).toBe(1);
    expect(rankOf('DEU', values)).toBe(5); // RUS, KOR, USA, JPN above it; the null is not counted
  });

  it('gives ties the same, better rank and skips the next (1224)', () => {
    expect(rankOf('KOR', values)).toBe(2);
    expect(rankOf('USA', values)).toBe(2);
    expect(rankOf('JPN', values)).toBe(4); // 1 + three larger values (80, 50, 50)
  });

  it('is null for a code without a value', () => {
    expect(rankOf('PRK', values)).toBeNull();
    expect(rankOf('FRA', values)).toBeNull();
  });
});

describe('topN', () => {
  const values = new Map<string, number | null>([
    ['JPN', 30],
    ['USA', 50],
    ['RUS', 80],
    ['KOR', 50],
    ['DEU', 10],
    ['PRK', null],
  ]);

  it('lists the largest entries with shares of the known total and competition ranks', () => {
    // total = 80 + 50 + 50 + 30 + 10 = 220
    const top = topN(values, 4);
    expect(top.map((e) => [e.code, e.value, e.rank])).toEqual([
      ['RUS', 80, 1],
      ['KOR', 50, 2], // tie ordered by code
      ['USA', 50, 2],
      ['JPN', 30, 4],
    ]);
    expect(top[0]!.share).toBeCloseTo(36.3636, 4); // 80 / 220 × 100
    expect(top[3]!.share).toBeCloseTo(13.6364, 4); // 30 / 220 × 100
  });

  it('takes shares of a given total', () => {
    const top = topN(values, 1, 400);
    expect(top).toHaveLength(1);
    expect(top[0]!.share).toBeCloseTo(20, 10); // 80 / 400 × 100
  });

  it('keeps the shared rank when a tie straddles the cut', () => {
    expect(topN(values, 2).map((e) => [e.code, e.rank])).toEqual([
      ['RUS', 1],
      ['KOR', 2],
    ]);
  });

  it('gives null shares for a zero or missing total, and nothing for n ≤ 0', () => {
    expect(topN(values, 1, 0)[0]!.share).toBeNull();
    expect(topN(values, 1, null)[0]!.share).toBeNull();
    expect(topN(values, 0)).toEqual([]);
    expect(topN(values, -3)).toEqual([]);
    expect(topN(values, 100)).toHaveLength(5);
  });

  it('agrees with rankOf', () => {
    for (const e of topN(values, 10)) expect(e.rank).toBe(rankOf(e.code, values));
  });
});

describe('dependence', () => {
  it('labels the top partner share', () => {
    expect(dependence(62.4)).toBe('high');
    expect(dependence(50)).toBe('high');
    expect(dependence(49.9)).toBe('moderate');
    expect(dependence(25)).toBe('moderate');
    expect(dependence(24.9)).toBe('low');
    expect(dependence(0)).toBe('low');
  });

  it('is null for a missing or impossible share', () => {
    expect(dependence(null)).toBeNull();
    expect(dependence(-1)).toBeNull();
    expect(dependence(100.5)).toBeNull();
  });
});

describe('tradeIntensity', () => {
  it('is the share of j in i over the share of j in the benchmark', () => {
    expect(tradeIntensity(0.5, 25, 300, 4500)).toBeCloseTo(0.3, 10); // (0.5/25)/(300/4500) = 0.02/0.0667
    expect(tradeIntensity(2.2, 27.1, 315, 4576)).toBeCloseTo(1.1793, 4); // (2.2/27.1)/(315/4576) = 0.08118/0.06884
    expect(tradeIntensity(0, 25, 300, 4500)).toBe(0); // no trade with j at all is a real 0
  });

  it('is null for missing values and zero denominators', () => {
    expect(tradeIntensity(null, 25, 300, 4500)).toBeNull();
    expect(tradeIntensity(0.5, 0, 300, 4500)).toBeNull();
    expect(tradeIntensity(0.5, 25, 0, 4500)).toBeNull();
    expect(tradeIntensity(0.5, 25, 300, 0)).toBeNull();
    expect(tradeIntensity(0.5, 25, 300, undefined)).toBeNull();
    expect(tradeIntensity(-0.5, 25, 300, 4500)).toBeNull();
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(fc.property(anyInput, anyInput, anyInput, anyInput, (a, b, c, d) => isNullOrFinite(tradeIntensity(a, b, c, d))));
  });
});

describe('untappedPotential', () => {
  it('is the trade at the benchmark intensity minus the actual trade', () => {
    const p = untappedPotential(25, 300, 4500, 0.5);
    expect(p.expected).toBeCloseTo(1.6667, 4); // 25 × 300 / 4500
    expect(p.actual).toBe(0.5);
    expect(p.gap).toBeCloseTo(1.1667, 4); // 1.6667 − 0.5
  });

  it('is negative when the province is above the benchmark', () => {
    const p = untappedPotential(27.1, 315, 4576, 2.2);
    expect(p.expected).toBeCloseTo(1.8655, 4); // 27.1 × 315 / 4576
    expect(p.gap).toBeCloseTo(-0.3345, 4); // 1.8655 − 2.2
  });

  it('keeps what it can when an input is missing', () => {
    expect(untappedPotential(25, 300, 4500, null)).toEqual({ expected: 25 * (300 / 4500), actual: null, gap: null });
    expect(untappedPotential(25, 300, 0, 0.5)).toEqual({ expected: null, actual: 0.5, gap: null });
    expect(untappedPotential(null, 300, 4500, 0.5)).toEqual({ expected: null, actual: 0.5, gap: null });
  });

  it('never returns NaN or Infinity', () => {
    fc.assert(
      fc.property(anyInput, anyInput, anyInput, anyInput, (a, b, c, d) => {
        const p = untappedPotential(a, b, c, d);
        return isNullOrFinite(p.expected) && isNullOrFinite(p.actual) && isNullOrFinite(p.gap);
      }),
    );
  });
});

describe('rca', () => {
  it('is the export share of k in i over that in the benchmark', () => {
    expect(rca(6, 20, 150, 1000)).toBeCloseTo(2, 10); // (6/20)/(150/1000) = 0.3/0.15
    expect(rca(1, 20, 150, 1000)).toBeCloseTo(0.3333, 4); // (1/20)/(0.15) = 0.05/0.15
  });

  it('is null for missing values and zero denominators', () => {
    expect(rca(6, 0, 150, 1000)).toBeNull();
    expect(rca(6, 20, 0, 1000)).toBeNull();
    expect(rca(6, 20, 150, null)).toBeNull();
  });
});

describe('tradeComplementarity', () => {
  const exportsI = new Map([
    ['A', 0.5],
    ['B', 0.3],
    ['C', 0.2],
  ]);
  const importsJ = new Map([
    ['A', 0.2],
    ['B', 0.3],
    ['D', 0.5],
  ]);

  it('is 100 × (1 − half the summed absolute share differences)', () => {
    // |0.2−0.5| + |0.3−0.3| + |0−0.2| + |0.5−0| = 0.3 + 0 + 0.2 + 0.5 = 1.0 → 100 × (1 − 0.5)
    expect(tradeComplementarity(exportsI, importsJ)).toBeCloseTo(50, 10);
  });

  it('re-normalises values, percents or partial lists to fractions first', () => {
    const values = new Map([
      ['A', 5],
      ['B', 3],
      ['C', 2],
    ]);
    const percents = new Map([
      ['A', 20],
      ['B', 30],
      ['D', 50],
    ]);
    expect(tradeComplementarity(values, percents)).toBeCloseTo(50, 10); // same distributions as above
    // {A: 1, B: 1} → {0.5, 0.5}; {A: 3, B: 1} → {0.75, 0.25}: |0.25| + |0.25| = 0.5 → 100 × 0.75
    expect(tradeComplementarity(new Map([['A', 1], ['B', 1]]), new Map([['A', 3], ['B', 1]]))).toBeCloseTo(75, 10);
  });

  it('is 100 for identical distributions and 0 for disjoint ones', () => {
    expect(tradeComplementarity(exportsI, new Map(exportsI))).toBe(100);
    expect(tradeComplementarity(new Map([['A', 0.1], ['B', 0.7], ['C', 0.2]]), new Map([['C', 2], ['A', 1], ['B', 7]]))).toBeCloseTo(100, 10);
    expect(tradeComplementarity(new Map([['A', 1], ['B', 2]]), new Map([['C', 3], ['D', 4]]))).toBe(0);
  });

  it('is null for an empty map, a zero total or an unknown share', () => {
    expect(tradeComplementarity(new Map(), importsJ)).toBeNull();
    expect(tradeComplementarity(exportsI, new Map())).toBeNull();
    expect(tradeComplementarity(new Map([['A', 0]]), importsJ)).toBeNull();
    expect(tradeComplementarity(new Map([['A', 0.5], ['B', null]]), importsJ)).toBeNull();
    expect(tradeComplementarity(new Map([['A', 0.5], ['B', -0.1]]), importsJ)).toBeNull();
  });

  it('stays within 0–100', () => {
    const shares = fc
      .array(fc.tuple(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), fc.double({ min: 0, max: 1e9, noNaN: true })), { maxLength: 8 })
      .map((pairs) => new Map(pairs));
    fc.assert(
      fc.property(shares, shares, (x, m) => {
        const c = tradeComplementarity(x, m);
        return c === null || (c >= 0 && c <= 100);
      }),
    );
  });
});

describe('latestCommonYear', () => {
  it('is the latest year with a value in every series', () => {
    const trade = series([[2017, 1], [2018, 2], [2019, 3], [2020, 4]]);
    const gdp = series([[2016, 1], [2017, 1], [2018, 1], [2019, null]]);
    const china = series([[2018, 9], [2017, 9]]);
    expect(latestCommonYear(trade, gdp, china)).toBe(2018); // 2019: GDP null; 2020: absent from GDP
    expect(latestCommonYear(trade)).toBe(2020);
  });

  it('is null when no year is common or no series is given', () => {
    expect(latestCommonYear(series([[2017, 1]]), series([[2018, 1]]))).toBeNull();
    expect(latestCommonYear(series([[2017, null]]))).toBeNull();
    expect(latestCommonYear()).toBeNull();
  });
});

describe('yearsCovered', () => {
  it('gives the first and last year with a value and the gaps between them', () => {
    const s = series([[2021, 5], [2013, null], [2014, 1], [2015, 2], [2016, null], [2020, 4], [2022, null]]);
    expect(yearsCovered(s)).toEqual({ first: 2014, last: 2021, missing: [2016, 2017, 2018, 2019] });
  });

  it('reports missing years across a wanted span', () => {
    const s = series([[2015, 1], [2016, 2], [2018, 3]]);
    expect(yearsCovered(s, { first: 2013, last: 2020 })).toEqual({
      first: 2015,
      last: 2018,
      missing: [2013, 2014, 2017, 2019, 2020],
    });
  });

  it('handles an empty series', () => {
    expect(yearsCovered(series([]))).toEqual({ first: null, last: null, missing: [] });
    expect(yearsCovered(series([[2019, null]]), { first: 2018, last: 2019 })).toEqual({
      first: null,
      last: null,
      missing: [2018, 2019],
    });
  });
});

describe('formatYearRanges', () => {
  it('collapses consecutive years into en-dash ranges', () => {
    expect(formatYearRanges([2017, 2018, 2019, 2021])).toBe('2017–2019, 2021');
    expect(formatYearRanges([2021, 2017, 2019, 2018, 2018])).toBe('2017–2019, 2021');
    expect(formatYearRanges([2013, 2014, 2016, 2020, 2021, 2022])).toBe('2013–2014, 2016, 2020–2022');
    expect(formatYearRanges([2019])).toBe('2019');
    expect(formatYearRanges([])).toBe('');
  });

  it('round-trips with yearsCovered for a "not available" note', () => {
    const s = series([[2015, 1], [2016, 2], [2020, 3], [2022, 4]]);
    expect(formatYearRanges(yearsCovered(s).missing)).toBe('2017–2019, 2021');
  });
});
