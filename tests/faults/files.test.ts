// Hostile and broken files through a whole pull (local file sources): each is rejected or
// quarantined with a reason, never crashes the run, never hangs (the parse worker's limits), never
// turns into a silent 0, and never pollutes Object.prototype. The parser's unit tests
// (tests/pipelines/parse.test.ts) cover the formats one by one; these check what a pull leaves behind.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { UserError } from '../../src/errors.js';
import { parseFile } from '../../src/pipelines/parse.js';
import { pull, type UnitResult } from '../../src/pipelines/run.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import { freshWarehouse } from '../helpers/warehouse.js';
import { FACT_TABLES, ROOT, frozen, listFiles, longTradeCsv, project, snapshot, type Project } from './helpers.js';
import { record } from './meta.js';
import { writeZip, type ZipEntry } from './zip.js';

const FIXTURES = path.join(ROOT, 'tests/fixtures/parse');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

let wh: Warehouse;
let p: Project;
const protoBefore = Object.getOwnPropertyNames(Object.prototype).sort();

beforeAll(async () => {
  p = project('');
  wh = await freshWarehouse('sqlite');
  // A loaded source, so "nothing changed" means something.
  p.write('good.csv', longTradeCsv(30, 1));
  const [r] = await pullFile('good.csv');
  expect(r.status).toBe('loaded');
});
afterAll(async () => {
  await wh.close();
});

/** Pulls `data/<file>` as source `bad` (a fresh config each time, so settings never leak between cases). */
async function pullFile(file: string, over: Record<string, unknown> = {}): Promise<[UnitResult, number]> {
  const source = { id: file === 'good.csv' ? 'good' : 'bad', dataset: 'trade', url: `data/${file}`, fixed: { reporter: 'CN-HL' }, ...over };
  writeFileSync(p.config, `sources:\n  - ${JSON.stringify(source)}\n`);
  const t0 = performance.now();
  const [r] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, { force: true }, { now: frozen });
  return [r!, performance.now() - t0];
}

/** The pull failed with one clear line (a UserError, not "unexpected error") and changed no fact. */
async function refused(ctx: TestContext, file: string, bytes: Buffer | string, message: RegExp | string, over: Record<string, unknown> = {}): Promise<UnitResult> {
  record(ctx);
  p.write(file, bytes);
  const before = await snapshot(wh);
  const [r, ms] = await pullFile(file, over);
  expect(r.status).toBe('failed');
  expect(r.message.split('\n')).toHaveLength(1);
  expect(r.message).toMatch(/^bad: /);
  expect(r.message).not.toMatch(/unexpected error/);
  if (typeof message === 'string') expect(r.message).toContain(message);
  else expect(r.message).toMatch(message);
  expect(ms).toBeLessThan(20_000);
  const run = await wh.db.selectFrom('ingest_run').selectAll().where('id', '=', r.runId!).executeTakeFirstOrThrow();
  expect(run).toMatchObject({ status: 'failed', rows_loaded: 0 });
  const after = await snapshot(wh);
  for (const t of FACT_TABLES) expect(after[t]).toEqual(before[t]);
  return r;
}

/** Deterministic corruption: `n` bytes overwritten at positions from a small LCG seeded by `seed`. */
function corrupt(buf: Buffer, seed: number, n = 40): Buffer {
  const out = Buffer.from(buf);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    const at = 64 + (x % Math.max(1, out.length - 64));
    out[at] = (x >>> 8) & 0xff;
  }
  return out;
}

function xlsx(aoa: unknown[][], edit?: (ws: XLSX.WorkSheet) => void): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(aoa);
  edit?.(ws);
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'S');
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

/** Peak RSS of this process (the parse worker is a thread of it) while `fn` runs. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ value: T; grewMb: number }> {
  const base = process.memoryUsage().rss;
  let peak = base;
  const t = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    const value = await fn();
    return { value, grewMb: (peak - base) / 1e6 };
  } finally {
    clearInterval(t);
  }
}

describe('broken workbooks', () => {
  it.for(['xlsx', 'xls', 'ods'])('a truncated %s', async (ext, ctx) => {
    const whole = fixture(`merged-header.${ext}`);
    await refused(ctx, `cut.${ext}`, whole.subarray(0, Math.floor(whole.length / 2)), /^bad: (data\/cut\.\w+|.*cut\.\w+): |bad: /);
  });

  it.for(['xlsx', 'xls', 'ods'])('a corrupted %s, five seeds: a clear error or a parse, never a crash', async (ext, ctx) => {
    record(ctx);
    const whole = fixture(`merged-header.${ext}`);
    const file = p.write(`bits.${ext}`, '');
    for (let seed = 1; seed <= 5; seed++) {
      writeFileSync(file, corrupt(whole, seed * 7919));
      const out = await parseFile(file, { name: 'bits', timeoutMs: 3_000 }).catch((e: unknown) => e);
      if (out instanceof Error) {
        expect(out, `seed ${seed}: ${out.message}`).toBeInstanceOf(UserError);
        expect(out.message).toMatch(/^bits: /);
      } else {
        expect(Array.isArray((out as { sheets: unknown }).sheets)).toBe(true);
      }
    }
    // And once through a pull: whatever the bytes say, the run ends with a status and a message.
    p.write(`bits.${ext}`, corrupt(whole, 7919));
    const [r] = await pullFile(`bits.${ext}`);
    expect(['failed', 'loaded']).toContain(r.status);
    expect(r.message).not.toMatch(/unexpected error/);
  });

  it('a zip bomb: a 4 MB xlsx whose sheet inflates to 1 GB is refused before inflating, in bounded memory', async (ctx) => {
    const base = XLSX.CFB.read(xlsx([['period', 'partner', 'flow', 'value', 'unit']]), { type: 'buffer' });
    const entries: ZipEntry[] = [];
    base.FullPaths.forEach((full: string, i: number) => {
      const name = full.replace(/^[^/]*\//, '');
      const e = base.FileIndex[i]!;
      if (e.type !== 2 || name.startsWith('\u0001')) return;
      const content = Buffer.from(e.content as Uint8Array);
      if (name !== 'xl/worksheets/sheet1.xml') return void entries.push({ name, data: content });
      // ~1 GB of rows: one 33 kB chunk repeated 30,000 times, deflated once.
      const xml = content.toString('utf8');
      const cut = xml.indexOf('</sheetData>');
      entries.push({ name, data: { head: Buffer.from(xml.slice(0, cut)), chunk: Buffer.from('<row><c t="n"><v>1</v></c></row>'.repeat(1000)), times: 30_000, tail: Buffer.from(xml.slice(cut)) } });
    });
    const bomb = writeZip(entries);
    expect(bomb.length).toBeLessThan(5_000_000);
    const { grewMb } = await peakRss(() => refused(ctx, 'bomb.xlsx', bomb, 'refused as a possible zip bomb'));
    expect(grewMb).toBeLessThan(300);
  });

  it('a password-protected workbook', async (ctx) => {
    await refused(ctx, 'locked.xlsx', fixture('encrypted.xlsx'), 'the workbook is password-protected');
  });

  it('an empty workbook and an empty CSV', async (ctx) => {
    await refused(ctx, 'empty.xlsx', fixture('empty-sheet.xlsx'), /no values found in 0 cells/);
    await refused(ctx, 'empty.csv', '', /no values found in 0 cells/);
  });

  it('a sheet reaching row 1,048,576 (a stray cell at XFD1048576) is refused by the cell cap, not padded out', async (ctx) => {
    // Patched into the XML: SheetJS's writer would walk all 17 billion cells of such a range.
    const zip = XLSX.CFB.read(xlsx([['period', 'partner', 'flow', 'value', 'unit'], ['2020-01', 'Japan', 'export', 5, 'USD thousand']]), { type: 'buffer' });
    const entry = XLSX.CFB.find(zip, '/xl/worksheets/sheet1.xml')!;
    const xml = Buffer.from(entry.content as Uint8Array).toString('utf8');
    entry.content = Buffer.from(
      xml
        .replace('</sheetData>', '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
        .replace(/<dimension ref="[^"]*"\/>/, '<dimension ref="A1:XFD1048576"/>'),
    );
    const bytes = Buffer.from(XLSX.CFB.write(zip, { type: 'buffer', fileType: 'zip', compression: true }) as Uint8Array);
    const { grewMb } = await peakRss(() => refused(ctx, 'far.xlsx', bytes, /spans 1048576 rows × 16384 columns, more than the parser accepts/));
    expect(grewMb).toBeLessThan(500);
  });

  it('a CSV of 1,048,576 lines parses in the worker within its limits, in bounded memory', async (ctx) => {
    record(ctx);
    const lines = ['period,partner,flow,value,unit'];
    for (let i = 1; i < 1_048_576; i++) lines.push(`2020-01,P${i},export,${i},USD`);
    const file = p.write('million.csv', lines.join('\n'));
    const { value, grewMb } = await peakRss(() => parseFile(file, { name: 'million' }));
    expect(value.sheets[0]!.rows).toHaveLength(1_048_576);
    expect(grewMb).toBeLessThan(1500);
  });
});

describe('hostile cells', () => {
  it('#DIV/0!, #N/A and formulas without cached values are rejected with a reason or skipped, never 0', async (ctx) => {
    record(ctx);
    const rows: unknown[][] = [['period', 'partner', 'flow', 'value', 'unit']];
    for (let m = 1; m <= 12; m++) rows.push([`2021-${String(m).padStart(2, '0')}`, 'Japan', 'export', 100 + m, 'USD thousand']);
    const bytes = xlsx(rows, (ws) => {
      ws['D3'] = { t: 'e', v: 0x07 }; // #DIV/0!
      ws['D4'] = { t: 'e', v: 0x2a }; // #N/A
      ws['D5'] = { t: 'n', f: 'D2/0' }; // a formula saved without its result
      ws['D6'] = { t: 's', v: '#DIV/0!' }; // the error as text, as a CSV export writes it
      ws['D7'] = { t: 's', v: '#N/A' };
    });
    p.write('errors.xlsx', bytes);
    const [r] = await pullFile('errors.xlsx', { max_reject_share: 0.9 });
    expect(r.status).toBe('loaded');
    const facts = await wh.db.selectFrom('trade_flow').select(['period', 'value']).where('source_id', '=', 'bad').execute();
    const periods = facts.map((f) => f.period).sort();
    for (const gone of ['2021-02', '2021-03', '2021-04', '2021-05', '2021-06']) expect(periods).not.toContain(gone);
    expect(periods).toHaveLength(7);
    expect(facts.some((f) => Number(f.value) === 0)).toBe(false);
    const rejects = await wh.db.selectFrom('reject').select(['cell', 'reason', 'raw']).where('run_id', '=', r.runId!).execute();
    // The error cells are rejects with their reason; the formula without a result (D5) is an empty
    // cell to the parser, so it is simply missing: no fact, no reject, no 0.
    expect(rejects.map((j) => `${j.cell.split('#')[1]} ${j.reason}`).sort()).toEqual([
      'S!D3 Excel error #DIV/0!',
      'S!D4 Excel error #N/A',
      'S!D6 Excel error #DIV/0!',
      'S!D7 Excel error #N/A',
    ]);
    await wh.db.deleteFrom('trade_flow').where('source_id', '=', 'bad').execute();
  });

  it('__proto__, constructor and prototype as header keys and labels pollute nothing and map to nothing', async (ctx) => {
    record(ctx);
    const evil = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'polluted'];
    // A long header: 300 columns, the hostile names among them, then the real table's columns.
    const header = [...Array.from({ length: 300 }, (_, i) => evil[i % evil.length]! + (i < evil.length ? '' : `_${i}`)), 'period', 'partner', 'flow', 'value', 'unit'];
    const pad = (cells: string[]) => [...Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? '{"__proto__":{"polluted":1}}' : evil[i % evil.length]!)), ...cells];
    const lines = [header.join(',')];
    for (const label of evil) lines.push(pad(['2021-01', label, 'export', '5', 'USD thousand']).map((c) => (c.includes(',') || c.includes('"') ? `"${c.replace(/"/g, '""')}"` : c)).join(','));
    for (const label of evil) lines.push(pad(['2021-02', 'Japan', label, '5', label]).join(','));
    for (const label of evil) lines.push(pad([label, 'Japan', 'export', label, 'USD thousand']).join(','));
    lines.push(pad(['2021-03', 'Japan', 'export', '7', 'USD thousand']).join(','));
    p.write('proto.csv', `${lines.join('\n')}\n`);
    const [r] = await pullFile('proto.csv', { max_reject_share: 1 });
    expect(r.message).not.toMatch(/unexpected error/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoBefore);
    expect(typeof Object.prototype.toString).toBe('function');
    // No hostile word became a partner, a flow, a period or a unit.
    const facts = await wh.db.selectFrom('trade_flow').selectAll().where('source_id', '=', 'bad').execute();
    for (const f of facts) {
      expect(f.partner).toMatch(/^[A-Z0-9-]+$/);
      expect(['export', 'import', 'total']).toContain(f.flow);
      for (const word of evil) expect([f.partner, f.flow, f.period, f.unit]).not.toContain(word);
    }
    await wh.db.deleteFrom('trade_flow').where('source_id', '=', 'bad').execute();
  });

  it('strings crafted for regex blow-up pass the lexicon through a real pull in bounded time', async (ctx) => {
    record(ctx);
    const n = 20_000;
    const evil = [
      '1'.repeat(n) + 'x',
      '1,'.repeat(n) + 'x',
      '1 '.repeat(n) + 'x',
      '1.'.repeat(n) + 'x',
      '-'.repeat(n) + '1x',
      '('.repeat(n) + '1',
      ' '.repeat(n) + 'x',
      '2023年'.repeat(n / 5) + 'x',
      '2023-'.repeat(n / 5) + 'x',
      'Q1 '.repeat(n / 3) + 'x',
      'USD '.repeat(n / 4) + 'x',
      '万'.repeat(n) + 'x',
      'million '.repeat(n / 8) + '!',
      'export '.repeat(n / 7) + '!',
      '进出口'.repeat(n / 3) + '!',
      '合计'.repeat(n / 2) + '!',
      'total of '.repeat(n / 9) + '!',
      'a'.repeat(n) + '!',
      '\t \u3000'.repeat(n / 3) + '!',
    ];
    const lines = ['period,partner,flow,value,unit'];
    for (const e of evil) {
      const q = `"${e}"`;
      lines.push(`${q},Japan,export,1,USD thousand`, `2021-01,${q},export,1,USD thousand`, `2021-01,Japan,${q},1,USD thousand`, `2021-01,Japan,export,${q},USD thousand`, `2021-01,Japan,export,1,${q}`);
    }
    p.write('redos.csv', `${lines.join('\n')}\n`);
    const [r, ms] = await pullFile('redos.csv', { max_reject_share: 1 });
    expect(r.message).not.toMatch(/unexpected error/);
    expect(ms).toBeLessThan(10_000);
    const facts = await wh.db.selectFrom('trade_flow').selectAll().where('source_id', '=', 'bad').execute();
    // Only the clean rows' value (1) can have been loaded, and never from a crafted string.
    for (const f of facts) expect(Number(f.value)).toBe(1);
    await wh.db.deleteFrom('trade_flow').where('source_id', '=', 'bad').execute();
  });

  it('mixed encodings (UTF-8 and GB18030 in one CSV): rows are loaded or rejected, none mis-mapped', async (ctx) => {
    record(ctx);
    const utf8 = Buffer.from('period,partner,flow,value,unit\n2021-01,日本,export,5,万美元\n2021-02,日本,export,6,万美元\n', 'utf8');
    const gbk = iconv.encode('2021-03,俄罗斯,export,7,万美元\n2021-04,韩国,export,8,万美元\n', 'gb18030');
    p.write('mixed.csv', Buffer.concat([utf8, gbk]));
    const [r] = await pullFile('mixed.csv', { max_reject_share: 1 });
    expect(r.message).not.toMatch(/unexpected error/);
    expect(r.rowsLoaded + r.rowsRejected).toBeLessThanOrEqual(4);
    const facts = await wh.db.selectFrom('trade_flow').select(['partner', 'period', 'value']).where('source_id', '=', 'bad').execute();
    const right: Record<string, string> = { '2021-01': 'JPN', '2021-02': 'JPN', '2021-03': 'RUS', '2021-04': 'KOR' };
    for (const f of facts) expect(f.partner).toBe(right[f.period]);
    await wh.db.deleteFrom('trade_flow').where('source_id', '=', 'bad').execute();
  });

  it('a CSV with a NUL byte', async (ctx) => {
    await refused(ctx, 'nul.csv', Buffer.concat([Buffer.from('period,partner,flow,value,unit\n2021-01,Japan,export,'), Buffer.from([0]), Buffer.from('5,USD\n')]), 'contains NUL bytes');
  });

  it('the raw archive holds only <sha256>.<ext> files', (ctx) => {
    record(ctx);
    for (const f of listFiles(path.join(p.outputDir, 'raw'))) expect(f).toMatch(/^(good|bad)\/[0-9a-f]{64}\.\w+$/);
  });
});
