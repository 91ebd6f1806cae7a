// Fact builders for tests that seed a warehouse through the pipeline's own loader.
import type { TradeFact } from '../../src/pipelines/types.js';

/** A Heilongjiang trade fact in 万美元 (value_usd = value × 10⁴); `extra` overrides any field. */
export function tradeFact(partner: string, period: string, value: number, extra: Partial<TradeFact> = {}): TradeFact {
  return {
    table: 'trade_flow',
    reporter: 'CN-HL',
    partner,
    flow: 'total',
    product: 'TOTAL',
    period,
    period_kind: 'year',
    value,
    unit: '万美元',
    currency: 'USD',
    value_usd: value * 1e4,
    illustrative: false,
    cell: `T!B${period.slice(2)}`,
    ...extra,
  };
}
