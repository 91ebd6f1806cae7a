// deflateStoredZip: the workbook JSZip stored, deflated by zlib — same files, same bytes inside,
// a valid zip that unzip, exceljs and SheetJS read.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deflateStoredZip } from '../../src/reports/render/deflate-zip.js';

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradebrief-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function storedWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('概要');
  ws.getCell('A1').value = 'Heilongjiang–Japan trade';
  for (let r = 2; r < 400; r++) ws.getRow(r).values = [`row ${r}`, r * 1.5, r % 7 === 0 ? null : `黑龙江 ${r}`];
  wb.addWorksheet('Sources').getCell('B2').value = '=HYPERLINK("x")';
  return Buffer.from((await wb.xlsx.writeBuffer({ zip: { compression: 'STORE' } })) as ArrayBuffer);
}

/** Each entry's name and uncompressed bytes, as unzip reads them. */
async function entries(zip: Buffer, name: string): Promise<Map<string, Buffer>> {
  const file = path.join(dir, name);
  await writeFile(file, zip);
  const { stdout } = await run('unzip', ['-Z1', file]);
  const out = new Map<string, Buffer>();
  for (const entry of stdout.split('\n').filter(Boolean)) {
    // unzip reads names as patterns: `[Content_Types].xml` needs its brackets escaped.
    const pattern = entry.replace(/[[*?]/g, (ch) => `[${ch}]`);
    const { stdout: bytes } = await run('unzip', ['-p', file, pattern], { encoding: 'buffer', maxBuffer: 64 << 20 });
    out.set(entry, bytes);
  }
  return out;
}

describe('deflateStoredZip', () => {
  it('deflates every file and keeps names, order and content', async () => {
    const stored = await storedWorkbook();
    const deflated = deflateStoredZip(stored);
    expect(deflated.length).toBeLessThan(stored.length / 3);

    const file = path.join(dir, 'deflated.xlsx');
    await writeFile(file, deflated);
    await run('unzip', ['-tq', file]);
    const { stdout: info } = await run('zipinfo', [file]);
    const methods = info.split('\n').filter((l) => /^[-d]/.test(l)).map((l) => l.split(/\s+/)[5]);
    expect(methods.length).toBeGreaterThan(5);
    expect(methods.every((m) => m === 'defN' || m === 'stor')).toBe(true);
    expect(methods.filter((m) => m === 'defN').length).toBeGreaterThan(5);

    const before = await entries(stored, 'stored.xlsx');
    const after = await entries(deflated, 'deflated-2.xlsx');
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [name, bytes] of before) expect(Buffer.compare(after.get(name)!, bytes), name).toBe(0);
  });

  it('gives a workbook exceljs and SheetJS read as the original', async () => {
    const deflated = deflateStoredZip(await storedWorkbook());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(deflated as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('概要')!;
    expect(ws.getCell('A1').value).toBe('Heilongjiang–Japan trade');
    expect(ws.getCell('B10').value).toBe(15);
    expect(ws.getCell('C14').value).toBeNull();
    expect(wb.getWorksheet('Sources')!.getCell('B2').value).toBe('=HYPERLINK("x")');
    const sheet = XLSX.read(deflated).Sheets['概要']!;
    expect(sheet['C3']?.v).toBe('黑龙江 3');
  });

  it('refuses what is not a zip rather than writing a broken one', () => {
    expect(() => deflateStoredZip(Buffer.from('not a zip at all, just some bytes'))).toThrow(/end of central directory/);
  });
});
