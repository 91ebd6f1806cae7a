// Pulls for the streaming tests (tests/pipelines/stream*.test.ts): a file pulled into a fresh
// warehouse, once read whole and once streamed, must end in the same runs and the same warehouse.
import { pull, type UnitResult } from '../../src/pipelines/run.js';
import type { Reference } from '../../src/pipelines/reference.js';
import type { DialectName } from '../../src/warehouse/dialect.js';
import { frozen, project } from '../faults/helpers.js';
import { freshWarehouse, snapshot } from './warehouse.js';

export interface PullOutcome {
  results: Omit<UnitResult, 'ms'>[];
  tables: Record<string, unknown[]>;
  log: string[];
}

/**
 * Pulls `versions` of `data/<file>` one after another as trade source `s` (with `extra` config
 * entries) into a fresh warehouse; the runs without their durations, the warehouse and the log.
 */
export async function pullVersions(dialect: DialectName, file: string, versions: readonly Buffer[], extra = '', reference?: Reference): Promise<PullOutcome> {
  const p = project(`  - { id: s, dataset: trade, url: "data/${file}", fixed: { reporter: CN-HL }, unit: USD${extra ? `, ${extra}` : ''} }\n`);
  const wh = await freshWarehouse(dialect);
  const log: string[] = [];
  try {
    const results: Omit<UnitResult, 'ms'>[] = [];
    for (const bytes of versions) {
      p.write(file, bytes);
      const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen, log: (l) => log.push(l), ...(reference ? { reference } : {}) });
      const { ms: _ms, ...rest } = r!;
      void _ms;
      results.push(rest);
    }
    return { results, tables: await snapshot(wh, ['reject', 'ingest_run']), log };
  } finally {
    await wh.close();
  }
}
