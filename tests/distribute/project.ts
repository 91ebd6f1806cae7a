// A tiny project for operations tests: one bundled source (the province's trade by partner), one
// brief, and the distribution targets the test asks for, in a temp folder with its own output.
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

export interface TinyProject {
  dir: string;
  configFile: string;
  outputDir: string;
  /** Environment for resolveContext / the CLI: config, output and warehouse. */
  env: Record<string, string>;
}

export function tinyProject(options: { warehouseUrl?: string; source?: string; brief?: string; distribute?: string[]; timezone?: string } = {}): TinyProject {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-ops-'));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'data'));
  copyFileSync(path.join(ROOT, 'data/sources/hlj-trade-by-partner.xlsx'), path.join(dir, 'data/trade.xlsx'));
  const config = [
    `timezone: ${options.timezone ?? 'Asia/Shanghai'}`,
    'sources:',
    `  - ${options.source ?? '{ id: hlj-trade, dataset: trade, url: data/trade.xlsx, sheet: "11-4", fixed: { reporter: CN-HL } }'}`,
    'briefs:',
    `  - ${options.brief ?? '{ id: hlj-japan, title: Heilongjiang and Japan, subject: CN-HL, partner: JPN, formats: [json] }'}`,
    ...(options.distribute?.length ? ['distribute:', ...options.distribute.map((d) => `  - ${d}`)] : ['distribute: []']),
    '',
  ].join('\n');
  const configFile = path.join(dir, 'config/tradebrief.yaml');
  writeFileSync(configFile, config);
  const outputDir = path.join(dir, 'output');
  return {
    dir,
    configFile,
    outputDir,
    env: {
      TRADEBRIEF_CONFIG: configFile,
      OUTPUT_DIR: outputDir,
      WAREHOUSE_URL: options.warehouseUrl ?? `sqlite:${path.join(outputDir, 'warehouse.sqlite')}`,
    },
  };
}
