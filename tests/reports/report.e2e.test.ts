// The whole chain on the bundled sources: pull → analyse → compose → render, read back as a
// reader and an analyst would (pdftotext, ExcelJS, JSON.parse); then a changed source value flows
// through to all three in one run, and a failed render leaves the previous brief in place.
import { cpSync, existsSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { pull } from '../../src/pipelines/run.js';
import type { Reference } from '../../src/pipelines/reference.js';
import { loadReference } from '../../src/pipelines/reference.js';
import { renderBriefs } from '../../src/reports/report.js';
import type { Warehouse } from '../../src/warehouse/dialect.js';
import { freshWarehouse } from '../helpers/warehouse.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A copy of the project's config and bundled data, so the test can revise a source file. */
function projectCopy(): { configFile: string; outputDir: string; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-report-'));
  cpSync(path.join(ROOT, 'config'), path.join(dir, 'config'), { recursive: true });
  cpSync(path.join(ROOT, 'data/sources'), path.join(dir, 'data/sources'), { recursive: true });
  return { dir, configFile: path.join(dir, 'config/tradebrief.yaml'), outputDir: path.join(dir, 'output') };
}

function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

async function summaryValue(file: string, figureId: string): Promise<unknown> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.getWorksheet('Summary')!;
  let value: unknown;
  sheet.eachRow((row) => {
    if (row.getCell(7).value === figureId) value = row.getCell(2).value;
  });
  return value;
}

describe('report on the bundled sources', () => {
  let wh: Warehouse;
  const p = projectCopy();
  const day1 = () => new Date('2026-11-29T06:00:00.000Z');
  const day2 = () => new Date('2026-11-30T06:00:00.000Z');

  beforeAll(async () => {
    wh = await freshWarehouse('sqlite');
  });
  afterAll(async () => {
    await wh?.close();
  });

  it('writes brief.<lang>.pdf, .xlsx and .json for en, zh and ja under <date>/ and points latest at them', async () => {
    const loaded = loadConfig(p.configFile);
    await pull({ loaded, wh, outputDir: p.outputDir }, {}, { now: day1 });
    const [r] = await renderBriefs({ loaded, wh, outputDir: p.outputDir }, [], {}, { now: day1 });
    expect(r).toMatchObject({ id: 'hlj-japan', status: 'rendered' });
    const briefDir = path.join(p.outputDir, 'briefs/hlj-japan');
    expect(readlinkSync(path.join(briefDir, 'latest'))).toBe('2026-11-29');
    // Three languages configured: every file carries its language.
    for (const lang of ['en', 'zh', 'ja']) for (const f of ['pdf', 'xlsx', 'json']) expect(existsSync(path.join(briefDir, 'latest', `brief.${lang}.${f}`))).toBe(true);
    expect(existsSync(path.join(briefDir, 'latest', 'brief.pdf'))).toBe(false);
    // Listed by language, then format, whichever thread rendered each (render/parallel.ts); each
    // file is its own language's document.
    expect(r!.files.map((f) => f.name)).toEqual(['en', 'zh', 'ja'].flatMap((l) => ['pdf', 'xlsx', 'json'].map((f) => `brief.${l}.${f}`)));
    for (const [lang, title] of [['en', 'Heilongjiang'], ['zh', '黑龙江'], ['ja', '黒竜江']]) {
      const file = path.join(briefDir, 'latest', `brief.${lang}.pdf`);
      expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(new RegExp(`Title: +.*${title}`));
      expect((JSON.parse(readFileSync(path.join(briefDir, 'latest', `brief.${lang}.json`), 'utf8')) as { lang: string }).lang).toBe(lang);
    }
  });

  it('the PDF reads as the paper: headings, generated sentences with warehouse numbers, sources', async () => {
    const text = pdfText(path.join(p.outputDir, 'briefs/hlj-japan/latest/brief.en.pdf'));
    for (const h of [
      'Economic development trends in Heilongjiang',
      "Heilongjiang's opening-up and trade with the outside world",
      'Economic and trade cooperation between Heilongjiang and Japan',
      'Opportunities and deficiencies',
      'Data and methods',
    ]) {
      expect(text).toContain(h);
    }
    // 2,978.3 亿元 (hlj-customs-monthly, 2023) / 7.0843 CNY per US$ = US$ 42.04 billion
    expect(text).toMatch(/In 2023 Heilongjiang's foreign trade was US\$ 42\.0 billion/);
    // Russia 2013: 2,236,000 万美元 of 3,888,000 = 57.5%
    expect(text).toMatch(/Russia \(57\.5%\)/);
    // Trade with Japan is illustrative in the bundled data and marked as such
    expect(text).toMatch(/US\$ 948\.0 million†/);
    expect(text).toContain('Illustrative value: not published');
    // the original publications the bundled files compile are cited (URLs wrap across lines)
    expect(text.replace(/\s+/g, '')).toContain('http://en.people.cn/n3/2024/0123/c90000-20125492.html');
    expect(text).not.toContain('\uFFFD');
  });

  it('the workbook and the JSON carry the warehouse numbers', async () => {
    const usd = await wh.db
      .selectFrom('trade_flow')
      .select('value_usd')
      .where('reporter', '=', 'CN-HL')
      .where('partner', '=', 'WLD')
      .where('flow', '=', 'total')
      .where('period', '=', '2023')
      .where('period_kind', '=', 'year')
      .executeTakeFirstOrThrow();
    const dir = path.join(p.outputDir, 'briefs/hlj-japan/latest');
    expect(await summaryValue(path.join(dir, 'brief.en.xlsx'), 'trade.CN-HL.WLD.total.2023')).toBeCloseTo(usd.value_usd!, 3);
    const json = JSON.parse(readFileSync(path.join(dir, 'brief.en.json'), 'utf8')) as { figures: { id: string; value: number | null; provenance: { cell: string }[] }[] };
    const fig = json.figures.find((f) => f.id === 'trade.CN-HL.WLD.total.2023')!;
    expect(fig.value).toBeCloseTo(usd.value_usd!, 3);
    expect(fig.provenance[0]!.cell).toMatch(/^[0-9a-f]{64}#黑龙江进出口!B\d+$/);
  });

  it('a revised source value flows through to the PDF, the workbook and the JSON in one run', async () => {
    const file = path.join(p.dir, 'data/sources/hlj-customs-monthly.xlsx');
    const wb = XLSX.read(readFileSync(file));
    const ws = wb.Sheets['黑龙江进出口']!;
    const ref = Object.keys(ws).find((k) => /^B\d+$/.test(k) && ws[k]?.v === 2978.3)!;
    ws[ref] = { t: 'n', v: 3100 };
    writeFileSync(file, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);

    const loaded = loadConfig(p.configFile);
    const pulled = await pull({ loaded, wh, outputDir: p.outputDir }, {}, { now: day2 });
    expect(pulled.find((r) => r.id === 'hlj-customs-monthly')).toMatchObject({ status: 'loaded', rowsRevised: 1 });
    await renderBriefs({ loaded, wh, outputDir: p.outputDir }, ['hlj-japan'], {}, { now: day2 });
    const dir = path.join(p.outputDir, 'briefs/hlj-japan/latest');
    expect(readlinkSync(dir)).toBe('2026-11-30');
    const expected = (3100 * 1e8) / 7.0843; // US$ 43.76 billion
    expect(pdfText(path.join(dir, 'brief.en.pdf'))).toMatch(/In 2023 Heilongjiang's foreign trade was US\$ 43\.8 billion/);
    expect(await summaryValue(path.join(dir, 'brief.en.xlsx'), 'trade.CN-HL.WLD.total.2023')).toBeCloseTo(expected, 0);
    const json = JSON.parse(readFileSync(path.join(dir, 'brief.en.json'), 'utf8')) as { figures: { id: string; value: number }[] };
    expect(json.figures.find((f) => f.id === 'trade.CN-HL.WLD.total.2023')!.value).toBeCloseTo(expected, 0);
  });

  it('a failed render leaves the previous brief and latest in place', async () => {
    const loaded = loadConfig(p.configFile);
    const dir = path.join(p.outputDir, 'briefs/hlj-japan');
    const before = readFileSync(path.join(dir, 'latest/brief.en.pdf'));
    const broken = { ...loadReference(), name: () => { throw new Error('reference list unreadable'); } } as unknown as Reference;
    const [r] = await renderBriefs({ loaded, wh, outputDir: p.outputDir }, [], {}, { now: () => new Date('2026-12-01T06:00:00Z'), reference: broken });
    expect(r).toMatchObject({ status: 'failed' });
    expect(r!.message).toContain('reference list unreadable');
    expect(readlinkSync(path.join(dir, 'latest'))).toBe('2026-11-30');
    expect(readFileSync(path.join(dir, 'latest/brief.en.pdf')).equals(before)).toBe(true);
    expect(existsSync(path.join(dir, '2026-12-01'))).toBe(false);
  });
});
