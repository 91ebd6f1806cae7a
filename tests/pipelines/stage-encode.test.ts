import { describe, expect, it } from 'vitest';
import { NON_KEY, reader, rowPusher, type StageIdentity } from '../../src/pipelines/stage-encode.js';
import type { Fact } from '../../src/pipelines/types.js';
import { FACT_KEYS, type FactTableName } from '../../src/warehouse/database.js';
import type { StageValue } from '../../src/warehouse/dialect.js';

const identity: StageIdentity = { sourceId: 'hlj-trade', runId: 42, sha256: 'ab'.repeat(32) };
const base = { period: '2023', period_kind: 'year' as const, value: 1.5, unit: '万美元', currency: 'USD', value_usd: 15000, cell: "'11-4'!C7" };
const facts: Record<FactTableName, Fact[]> = {
  trade_flow: [
    { table: 'trade_flow', reporter: 'CN-HL', partner: 'JPN', flow: 'export', product: 'TOTAL', ...base, illustrative: false },
    { table: 'trade_flow', reporter: 'CN-HL', partner: 'WLD', flow: 'import', product: 'HS:27', ...base, currency: null, value_usd: null, illustrative: true },
  ],
  investment_flow: [{ table: 'investment_flow', host: 'CN-HL', investor: 'JPN', measure: 'utilized', ...base, illustrative: false }],
  indicator: [{ table: 'indicator', region: 'CN-HL', code: 'gdp', ...base, illustrative: true }],
  fx_rate: [{ table: 'fx_rate', currency: 'CNY', period: '2023', per_usd: 7.08, cell: 'fx!B2' }],
};

describe('rowPusher', () => {
  for (const table of Object.keys(facts) as FactTableName[]) {
    it(`pushes what the column readers read, for ${table}`, () => {
      const columns = [...FACT_KEYS[table], ...NON_KEY[table]];
      const push = rowPusher(columns, identity);
      const readers = columns.map((c) => reader(c, identity));
      for (const f of facts[table]) {
        const rows: StageValue[] = ['before'];
        push(f, rows);
        expect(rows).toEqual(['before', ...readers.map((read) => read(f))]);
        expect(rows).toHaveLength(columns.length + 1);
      }
    });
  }

  it('reads each column as the staging table holds it', () => {
    const rows: StageValue[] = [];
    rowPusher([...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow], identity)(facts.trade_flow[1]!, rows);
    expect(rows).toEqual(['CN-HL', 'WLD', 'import', 'HS:27', '2023', 'year', 'hlj-trade', 1.5, '万美元', null, null, 1, 42, `${'ab'.repeat(32)}#'11-4'!C7`]);
    const missing = { ...facts.indicator[0]!, unit: undefined } as unknown as Fact;
    expect(reader('unit', identity)(missing)).toBeNull();
  });

  it('takes only column names', () => {
    expect(() => rowPusher(['value); process.exit(1); (0'], identity)).toThrow(/not a column name/);
  });
});
