// Shared by the fault suite: throwaway projects, warehouse snapshots, generated sources, and the CLI
// as a real child process (for kill -9 and for two pulls at once).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../../src/config/load.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const TSX = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
export const CLI = path.join(ROOT, 'src/cli.ts');
export { FACT_TABLES, snapshot } from '../helpers/warehouse.js';
import { FACT_TABLES } from '../helpers/warehouse.js';
export const frozen = () => new Date('2026-11-29T06:00:00.000Z');

export interface Project {
  dir: string;
  config: string;
  outputDir: string;
  /** The config as pull() takes it (re-read on every call, so a test may rewrite the YAML). */
  loaded: () => LoadedConfig;
  /** Writes `data/<name>` and returns its path. */
  write: (name: string, bytes: Buffer | string) => string;
}

/** A project folder with config/tradebrief.yaml holding `sourcesYaml` (the lines under `sources:`). */
export function project(sourcesYaml: string): Project {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-fault-'));
  mkdirSync(path.join(dir, 'config'));
  mkdirSync(path.join(dir, 'data'));
  const config = path.join(dir, 'config', 'tradebrief.yaml');
  writeFileSync(config, `sources:\n${sourcesYaml}`);
  return {
    dir,
    config,
    outputDir: path.join(dir, 'output'),
    loaded: () => loadConfig(config, {}),
    write: (name, bytes) => {
      const file = path.join(dir, 'data', name);
      writeFileSync(file, bytes);
      return file;
    },
  };
}

/** Every file under `dir`, relative and sorted, with its size ([] when absent). */
export function listFiles(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
      .sort();
  } catch {
    return [];
  }
}

/** A source's facts as one comparable state: how many, and a checksum over keys and values. */
export interface SourceState {
  rows: number;
  checksum: string;
}

export async function sourceState(wh: Warehouse, sourceId: string, table: (typeof FACT_TABLES)[number] = 'trade_flow'): Promise<SourceState> {
  const rows = await wh.db
    .selectFrom(table)
    .select(['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'value'] as never[])
    .where('source_id', '=', sourceId)
    .execute();
  const lines = (rows as Record<string, unknown>[]).map((r) => `${r.reporter}|${r.partner}|${r.flow}|${r.product}|${r.period}|${r.period_kind}|${Number(r.value)}`).sort();
  return { rows: lines.length, checksum: createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16) };
}

export async function factCount(wh: Warehouse): Promise<number> {
  let n = 0;
  for (const t of FACT_TABLES) {
    const r = await wh.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    n += Number(r?.n ?? 0);
  }
  return n;
}

// ISO alpha-3 codes the reference lists know, for generated long tables.
const PARTNERS = readFileSync(path.join(ROOT, 'data/reference/countries.csv'), 'utf8')
  .split('\n')
  .slice(1)
  .map((l) => l.split(',')[0]!)
  .filter((c) => /^[A-Z]{3}$/.test(c) && c !== 'WLD' && c !== 'CHN');

/**
 * A long trade CSV (period, partner, flow, value, unit) of about `rows` monthly facts. `version`
 * changes every value, never the keys, so two versions of one source are told apart by checksum alone.
 */
export function longTradeCsv(rows: number, version: number): string {
  const lines = ['period,partner,flow,value,unit'];
  let i = 0;
  outer: for (let y = 1990; y < 2100; y++) {
    for (let m = 1; m <= 12; m++) {
      for (const p of PARTNERS) {
        for (const f of ['export', 'import']) {
          if (i >= rows) break outer;
          lines.push(`${y}-${String(m).padStart(2, '0')},${p},${f},${(i % 9973) + version * 0.5 + 1},USD thousand`);
          i++;
        }
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process has exited (killed or not), with what it printed. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
  stdout: () => string;
}

/** `tradebrief ARGS` as a child process (tsx, as an operator runs it from a checkout). */
export function spawnCli(args: string[], env: Record<string, string>): CliRun {
  const child = spawn(process.execPath, [TSX, CLI, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, stdout: () => stdout };
}
