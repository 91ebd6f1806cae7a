import { describe, expect, it } from 'vitest';
import { normalise, type NormaliseOptions } from '../../src/pipelines/normalise.js';
import { loadReference } from '../../src/pipelines/reference.js';
import type { SourceRecord } from '../../src/pipelines/types.js';

const reference = loadReference();
const fx: NormaliseOptions['fx'] = (currency, year) => (currency === 'CNY' && year === 2023 ? 7.0843 : null);

function rec(cell: string, dims: SourceRecord['dims'], value: number | null, extra: Partial<SourceRecord> = {}): SourceRecord {
  return { cell, dims, raw: value, value, unit: '万美元', total: false, indent: 0, illustrative: false, ...extra };
}

const trade = (records: SourceRecord[], opts: Partial<NormaliseOptions> = {}) =>
  normalise(records, { dataset: 'trade', fixed: { reporter: 'CN-HL' }, reference, fx, ...opts });

describe('normalise', () => {
  it('maps labels to codes, periods to canonical forms and money to plain US dollars', () => {
    const out = trade([
      rec('T!C6', { partner: '俄罗斯 Russia', flow: '进出口', period: '2013年' }, 2236000),
      rec('T!D7', { partner: '日本\nJapan', flow: '出口', period: '2023年1-6月' }, 100, { unit: '亿元', illustrative: true }),
    ]);
    expect(out.rejects).toEqual([]);
    expect(out.facts).toEqual([
      { table: 'trade_flow', reporter: 'CN-HL', partner: 'RUS', flow: 'total', product: 'TOTAL', period: '2013', period_kind: 'year', value: 2236000, unit: '万美元', currency: 'USD', value_usd: 22.36e9, illustrative: false, cell: 'T!C6' },
      // cumulative January–June: year-to-date, converted at the 2023 annual rate
      { table: 'trade_flow', reporter: 'CN-HL', partner: 'JPN', flow: 'export', product: 'TOTAL', period: '2023-06', period_kind: 'ytd', value: 100, unit: '亿元', currency: 'CNY', value_usd: 1e10 / 7.0843, illustrative: true, cell: 'T!D7' },
    ]);
  });

  it('keeps value_usd NULL, never 0, when no FX rate exists, and says which', () => {
    const out = trade([rec('T!C6', { partner: 'Japan', flow: 'total', period: '2011' }, 5, { unit: '亿元' })]);
    expect(out.facts[0]!.table === 'trade_flow' && out.facts[0]!.value_usd).toBeNull();
    expect(out.unconverted).toEqual(['CNY 2011']);
  });

  it('an unknown label is a reject naming the label and the cell, not a guess', () => {
    const out = trade([rec("'11-4'!B9", { partner: '火星', flow: '进出口', period: '2013' }, 1)]);
    expect(out.facts).toEqual([]);
    expect(out.rejects).toEqual([{ cell: "'11-4'!B9", reason: 'unknown partner "火星": add an alias to data/reference/countries.csv or groups.csv', raw: '1' }]);
  });

  it('missing markers are skipped (counted), never 0; unreadable numbers are rejects with their raw text', () => {
    const out = trade([
      rec('T!C6', { partner: 'Japan', flow: 'total', period: '2013' }, null, { missing: '—', raw: '—' }),
      rec('T!C7', { partner: 'Japan', flow: 'total', period: '2014' }, null, { error: 'not a number: twelve', raw: 'twelve' }),
    ]);
    expect(out.facts).toEqual([]);
    expect(out.skipped).toEqual({ missing: 1 });
    expect(out.rejects).toEqual([{ cell: 'T!C7', reason: 'not a number: twelve', raw: 'twelve' }]);
  });

  it('growth rates and quantities printed beside values are counted and skipped', () => {
    const out = trade([
      rec('T!E6', { flow: '进出口', period: '2023', measure: '同比增长' }, 12.3, { unit: '%' }),
      rec('T!G2', { partner: 'Japan', flow: 'export', period: '2023', measure: 'quantity' }, 10, { unit: null }),
      rec('T!H2', { partner: 'Japan', flow: 'export', period: '2023' }, 3, { unit: '吨' }),
    ]);
    expect(out.facts).toEqual([]);
    expect(out.rejects).toEqual([]);
    expect(out.skipped).toEqual({ 'percentages in a value table': 1, 'quantities beside values': 2 });
  });

  it('a total row or total column is trade with the world; a column label names the partner', () => {
    const out = trade([
      rec('T!B5', { partner: '合计 Total', flow: '进出口', period: '2013' }, 3888000, { total: true }),
      rec('T!B6', { flow: '进口', period: '2023年', measure: '全省 Province total' }, 2217.7, { unit: '亿元', total: true }),
      rec('T!F6', { flow: '进出口', period: '2023年', measure: '对俄罗斯 Russia' }, 1500, { unit: '亿元' }),
    ]);
    expect(out.rejects).toEqual([]);
    expect(out.facts.map((f) => (f.table === 'trade_flow' ? `${f.partner} ${f.flow}` : ''))).toEqual(['WLD total', 'WLD import', 'RUS total']);
  });

  it('two cells with the same natural key: the second is a reject naming the first', () => {
    const out = trade([rec('T!C6', { partner: 'Japan', flow: 'total', period: '2013' }, 1), rec('T!C9', { partner: '日本', flow: '进出口', period: '2013年' }, 2)]);
    expect(out.facts).toHaveLength(1);
    expect(out.rejects).toEqual([{ cell: 'T!C9', reason: 'duplicate: the same fact as T!C6', raw: '2' }]);
  });

  it('FDI rows of an indicator table load as investment by the world; GDP as an indicator', () => {
    const out = normalise(
      [
        rec('I!C5', { measure: 'Gross Domestic Product', period: '2013' }, 14383, { unit: '100 million yuan' }),
        rec('I!C6', { measure: 'Real GDP growth (%)', period: '2013' }, 8, { unit: '%' }),
        rec('I!C9', { measure: 'Foreign direct investment: utilised', period: '2013' }, 4610, { unit: 'USD million' }),
      ],
      { dataset: 'indicator', fixed: { region: 'CN-HL' }, reference, fx },
    );
    expect(out.rejects).toEqual([]);
    expect(out.facts.map((f) => f.table)).toEqual(['indicator', 'indicator', 'investment_flow']);
    expect(out.facts[0]).toMatchObject({ code: 'gdp', value: 14383, currency: 'CNY', value_usd: null });
    expect(out.facts[1]).toMatchObject({ code: 'gdp_real_growth_pct', value: 8, currency: null });
    expect(out.facts[2]).toMatchObject({ host: 'CN-HL', investor: 'WLD', measure: 'utilized', value_usd: 4.61e9 });
  });

  it('FX tables: the currency comes from the row label; rates must be positive', () => {
    const out = normalise(
      [rec('D!C4', { measure: 'China CNY per USD', period: '2013' }, 6.1958, { unit: null }), rec('D!C5', { measure: 'Japan JPY', period: '2013' }, -1, { unit: null })],
      { dataset: 'fx', reference, fx },
    );
    expect(out.facts).toEqual([{ table: 'fx_rate', currency: 'CNY', period: '2013', per_usd: 6.1958, cell: 'D!C4' }]);
    expect(out.rejects[0]!.reason).toBe('an exchange rate must be positive, got -1');
  });
});
