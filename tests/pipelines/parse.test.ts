import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as XLSX from 'xlsx';
import { UserError } from '../../src/errors.js';
import { detectEncoding, detectFormat } from '../../src/pipelines/detect-format.js';
import { parseBuffer, parseFile } from '../../src/pipelines/parse.js';
import type { CellValue, Grid } from '../../src/pipelines/types.js';
import { thrown } from '../helpers/thrown.js';
import { dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const fixtures = fileURLToPath(new URL('../fixtures/parse/', import.meta.url));
const fixture = (name: string) => join(fixtures, name);
const bytes = (name: string) => readFileSync(fixture(name));

/** The cell at an A1 reference, so assertions read like the spreadsheet. */
function at(grid: Grid | undefined, ref: string): CellValue | undefined {
  const { r, c } = XLSX.utils.decode_cell(ref);
  return grid?.rows[r]?.[c];
}

const ZH_ROWS = [
  ['地区', '进出口', '出口', '进口'],
  ['黑龙江省', '100', '50', '50'],
  ['日本', '12.5', '7', '5.5'],
  ['俄罗斯', '1000', '400', '600'],
];
const JA_ROWS = [
  ['国・地域', '輸出', '輸入', '単位'],
  ['黒竜江省', '1', '2', '千ドル'],
  ['ロシア', '3', '4', '千ドル'],
  ['日本', '5', '6', '千ドル'],
];
const TAB_ROWS = [
  ['HS', '品名', '金额'],
  ['0101', '马', '42'],
  ['8703', '小汽车', null],
];
const MERGES = [
  { s: { r: 0, c: 0 }, e: { r: 0, c: 3 } },
  { s: { r: 1, c: 0 }, e: { r: 2, c: 0 } },
  { s: { r: 1, c: 1 }, e: { r: 1, c: 3 } },
];

describe('detectFormat', () => {
  test.each([
    ['merged-header.xlsx', 'xlsx'],
    ['merged-header.xls', 'xls'],
    ['merged-header.ods', 'ods'],
    ['spreadsheetml.xls', 'xls'],
    ['really-xlsx.csv', 'xlsx'],
    ['formula-no-cache.xlsx', 'xlsx'],
    ['encrypted.xlsx', 'xls'],
    ['html-table.xls', 'html'],
    ['error-page.xls', 'html-page'],
    ['utf8.csv', 'csv'],
    ['gb18030.csv', 'csv'],
    ['shift_jis.csv', 'csv'],
    ['utf16.txt', 'csv'],
    ['nul.csv', 'csv'],
    ['random.bin', 'unknown'],
    ['not-a-workbook.zip', 'csv-zip'],
    ['truncated.xlsx', 'xlsx'],
  ])('%s → %s', (name, format) => {
    expect(detectFormat(bytes(name))).toBe(format);
  });

  test('the first kB of a workbook are enough', () => {
    expect(detectFormat(bytes('merged-header.xlsx').subarray(0, 512))).toBe('xlsx');
    expect(detectFormat(bytes('merged-header.xls').subarray(0, 512))).toBe('xls');
  });

  test('an incomplete zip that is not a workbook says so', () => {
    const zip = bytes('not-a-workbook.zip');
    const err = thrown(() => parseBuffer(zip.subarray(0, zip.length - 30), { fileName: 'data.zip' }));
    expect((err as Error).message).toBe('data.zip: an incomplete zip archive (truncated download?)');
  });

  test('an HTML table after a long head is still a table', () => {
    const page = `<html><head><script>${'x'.repeat(20_000)}</script></head><body><TABLE><tr><td>1</td></tr></TABLE></body></html>`;
    expect(detectFormat(Buffer.from(page))).toBe('html');
  });
});

describe('detectEncoding', () => {
  test.each([
    ['黑龙江省', 'gb18030'],
    ['进出口', 'gb18030'],
    ['日本 俄罗斯', 'gb18030'],
    ['黑龙江省,进出口,日本,俄罗斯', 'gb18030'],
    ['黒竜江省', 'shift_jis'],
    ['輸出', 'shift_jis'],
    ['輸入', 'shift_jis'],
    ['ロシア', 'shift_jis'],
    ['千ドル', 'shift_jis'],
    ['黒竜江省,輸出,輸入\r\n日本,1,2', 'shift_jis'],
  ] as const)('%s in %s', (text, encoding) => {
    const buf = iconv.encode(text, encoding);
    expect(detectEncoding(buf)).toBe(encoding);
    expect(iconv.decode(buf, detectEncoding(buf))).toBe(text);
  });

  test('BOMs, plain UTF-8 and UTF-16 without a BOM', () => {
    expect(detectEncoding(Buffer.from('\uFEFF黑龙江省', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('黒竜江省 ロシア', 'utf8'))).toBe('utf-8');
    expect(detectEncoding(Buffer.from('plain ascii,1,2\n'))).toBe('utf-8');
    expect(detectEncoding(iconv.encode('a,b', 'utf-16le', { addBOM: true }))).toBe('utf-16le');
    expect(detectEncoding(iconv.encode('a,b', 'utf-16be', { addBOM: true }))).toBe('utf-16be');
    expect(detectEncoding(iconv.encode('HS,金额\n0101,42\n', 'utf-16le'))).toBe('utf-16le');
  });
});

describe('parseBuffer: workbooks', () => {
  describe.each(['xlsx', 'xls', 'ods'] as const)('merged-header.%s', (ext) => {
    const parsed = () => parseBuffer(bytes(`merged-header.${ext}`));

    test('sheets, merged header and row positions', () => {
      const file = parsed();
      expect(file.format).toBe(ext);
      expect(file.encoding).toBeUndefined();
      expect(file.sheets.map((s) => s.sheet)).toEqual(['11-4 进出口', 'offset']);
      const grid = file.sheets[0];
      expect(grid?.merges).toEqual(MERGES);
      expect(at(grid, 'A1')).toBe('表11-4 黑龙江省对主要国家和地区进出口（万美元）');
      // The merged-away cells are empty; the value sits top-left only.
      expect([at(grid, 'B1'), at(grid, 'A3'), at(grid, 'C2')]).toEqual([null, null, null]);
      expect(at(grid, 'B2')).toBe('2023年');
      expect(grid?.rows[2]?.slice(0, 4)).toEqual([null, '进出口', '出口', '进口']);
      expect(grid?.rows[3]?.slice(0, 4)).toEqual(['日本', 12.5, 7, 5.5]);
      expect(at(grid, 'D6')).toBe(605.5);
      expect(grid?.rows).toHaveLength(6);
    });

    test('a sheet whose used range starts at C3 keeps its cell references', () => {
      const grid = parsed().sheets[1];
      expect(grid?.rows[0]?.every((v) => v === null)).toBe(true);
      expect(at(grid, 'C3')).toBe('HS编码');
      expect(at(grid, 'C4')).toBe('0101'); // text stays text: the leading zero of an HS code matters
      expect(at(grid, 'D4')).toBe(42);
      expect(at(grid, 'E4')).toEqual(new Date(Date.UTC(2023, 5, 30)));
      expect(at(grid, 'E4')).toBeInstanceOf(Date);
      expect(at(grid, 'D5')).toBe(7.25);
      expect(at(grid, 'E5')).toBeNull();
    });
  });

  test.each(['merged-header.xlsx', 'merged-header.xls', 'spreadsheetml.xls'])('%s: error cells come through as their text', (name) => {
    expect(at(parseBuffer(bytes(name)).sheets[0], 'E4')).toBe('#DIV/0!');
  });

  test('Excel 2003 XML read as xls', () => {
    const file = parseBuffer(bytes('spreadsheetml.xls'));
    expect(file.format).toBe('xls');
    expect(file.sheets[0]?.merges).toEqual(MERGES);
    expect(at(file.sheets[1], 'C4')).toBe('0101');
  });

  test('a formula saved without its cached value is empty', () => {
    const grid = parseBuffer(bytes('formula-no-cache.xlsx')).sheets[0];
    expect(at(grid, 'E4') ?? null).toBeNull();
    expect(at(grid, 'D4')).toBe(5.5);
  });

  test('an xlsx named .csv is read as xlsx', () => {
    const file = parseBuffer(bytes('really-xlsx.csv'), { fileName: 'really-xlsx.csv' });
    expect(file.format).toBe('xlsx');
    expect(file.sheets[0]?.sheet).toBe('11-4 进出口');
  });

  test('sheets selects by name; a missing name lists the ones there are', () => {
    const file = parseBuffer(bytes('merged-header.xlsx'), { sheets: ['offset'] });
    expect(file.sheets.map((s) => s.sheet)).toEqual(['offset']);
    const err = thrown(() => parseBuffer(bytes('merged-header.xlsx'), { sheets: ['11-5'], fileName: 'hlj.xlsx' }));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('hlj.xlsx: no sheet named "11-5"; the sheets are "11-4 进出口", "offset"');
  });

  test('empty sheets and empty files are not errors', () => {
    expect(parseBuffer(bytes('empty-sheet.xlsx')).sheets).toEqual([{ sheet: 'Sheet1', rows: [], merges: [] }]);
    expect(parseBuffer(Buffer.alloc(0)).sheets).toEqual([]);
  });
});

describe('parseBuffer: HTML', () => {
  test('an HTML table saved as .xls, GBK declared in a meta tag', () => {
    const file = parseBuffer(bytes('html-table.xls'));
    expect(file).toMatchObject({ format: 'html', encoding: 'gb18030' });
    const grid = file.sheets[0];
    expect(grid?.merges).toEqual([{ s: { r: 0, c: 0 }, e: { r: 0, c: 2 } }]);
    expect(grid?.rows).toEqual([
      ['黑龙江省进出口（万美元）', null, null],
      ['国家', '出口', '进口'],
      ['日本', '7', '5.5'],
      ['俄罗斯', '400', '600'],
      // Text as published, as for CSV: shaping decides what is a number.
      ['0101', null, '1,234'],
    ]);
  });

  test('an HTML page without a table is a clear error', () => {
    const err = thrown(() => parseBuffer(bytes('error-page.xls'), { fileName: 'hlj-trade.xls' }));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('hlj-trade.xls: got an HTML page, not a spreadsheet; check the URL');
  });
});

describe('parseBuffer: CSV', () => {
  test.each([
    ['utf8-bom.csv', 'utf-8', ZH_ROWS],
    ['utf8.csv', 'utf-8', ZH_ROWS],
    ['gb18030.csv', 'gb18030', ZH_ROWS],
    ['shift_jis.csv', 'shift_jis', JA_ROWS],
    ['tab.tsv', 'utf-8', TAB_ROWS],
    ['utf16.txt', 'utf-16le', TAB_ROWS],
  ])('%s decodes as %s', (name, encoding, rows) => {
    const file = parseBuffer(bytes(name), { fileName: name });
    expect(file.format).toBe('csv');
    expect(file.encoding).toBe(encoding);
    expect(file.sheets).toEqual([{ sheet: name.replace(/\.[^.]+$/, ''), rows, merges: [] }]);
  });

  test('semicolons, quotes, blank lines and ragged rows', () => {
    const file = parseBuffer(Buffer.from('表1 进出口\n\n"国家;地区";出口;进口\n日本;"1;5";\n'));
    expect(file.sheets[0]?.sheet).toBe('csv');
    expect(file.sheets[0]?.rows).toEqual([
      ['表1 进出口', null, null],
      [null, null, null],
      ['国家;地区', '出口', '进口'],
      ['日本', '1;5', null],
    ]);
  });

  test('a NUL byte is an error', () => {
    const err = thrown(() => parseBuffer(bytes('nul.csv'), { fileName: 'nul.csv' }));
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('nul.csv: contains NUL bytes (binary file?)');
  });
});

describe('parseBuffer: broken and hostile input', () => {
  test.each([
    // The middle is SheetJS's own words, which change between versions.
    ['truncated.xlsx', /^truncated\.xlsx: cannot read the xlsx file \(.+\); it may be truncated or corrupt$/],
    ['random.bin', 'random.bin: not a spreadsheet (unrecognised content)'],
    ['encrypted.xlsx', 'encrypted.xlsx: the workbook is password-protected'],
  ] as [string, string | RegExp][])('%s', (name, message) => {
    const err = thrown(() => parseBuffer(bytes(name), { fileName: name }));
    expect(err).toBeInstanceOf(UserError);
    if (typeof message === 'string') expect((err as Error).message).toBe(message);
    else expect((err as Error).message).toMatch(message);
  });

  test('a zipped CSV is read as CSV, one sheet per entry (tests/pipelines/api/worldbank.test.ts has the rest)', () => {
    expect(parseBuffer(bytes('not-a-workbook.zip'), { fileName: 'data.zip' })).toEqual({
      format: 'csv',
      encoding: 'utf-8',
      sheets: [{ sheet: 'data', rows: [['a', 'b'], ['1', '2']], merges: [] }],
    });
  });

  test('an xlsx cut short after its workbook part is a UserError, not a crash', () => {
    const xlsx = bytes('merged-header.xlsx');
    for (const keep of [0.8, 0.9, 0.99]) {
      const cut = xlsx.subarray(0, Math.floor(xlsx.length * keep));
      const err = thrown(() => parseBuffer(cut, { fileName: 'cut.xlsx' }));
      expect(err).toBeInstanceOf(UserError);
      expect((err as Error).message).toMatch(/^cut\.xlsx: /);
    }
  });
});

describe('parseFile (worker)', () => {
  let tmp: string;
  let big: string;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'tradebrief-parse-'));
    // ~2.8 MB of xlsx, 200k cells: needs about 20–30 MB of heap to parse.
    const aoa: unknown[][] = [['地区', 'HS', '2021', '2022', '2023', '备注', 'a', 'b', 'c', 'd']];
    for (let i = 0; i < 20_000; i++) aoa.push([`地区${i % 50}`, String(1000 + (i % 9000)), i * 1.5, i * 2.25, i / 7, `note ${i}`, i, i + 1, i + 2, i + 3]);
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), 'S');
    big = join(tmp, 'big.xlsx');
    writeFileSync(big, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('gives what parseBuffer gives, Dates included', async () => {
    const file = await parseFile(fixture('merged-header.xlsx'));
    expect(file).toEqual(parseBuffer(bytes('merged-header.xlsx')));
    expect(at(file.sheets[1], 'E4')).toBeInstanceOf(Date);
  });

  test('a CSV sheet is named after the file', async () => {
    const file = await parseFile(fixture('gb18030.csv'));
    expect(file.sheets[0]?.sheet).toBe('gb18030');
    expect(file.sheets[0]?.rows).toEqual(ZH_ROWS);
  });

  test("the worker's UserErrors arrive as UserErrors, named as asked", async () => {
    const name = 'hlj-trade (https://example.gov.cn/11-4.xls)';
    const err = await parseFile(fixture('error-page.xls'), { name }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe(`${name}: got an HTML page, not a spreadsheet; check the URL`);
  });

  test('a missing file is a UserError', async () => {
    await expect(parseFile(join(tmp, 'nope.xlsx'))).rejects.toThrow(/^nope\.xlsx: cannot read .*nope\.xlsx \(ENOENT\)$/);
  });

  test('past timeoutMs the worker is stopped', async () => {
    const err = await parseFile(fixture('merged-header.xlsx'), { timeoutMs: 1, name: 'slow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe('slow: parsing took longer than 0.001s; the file may be hostile or too large');
  });

  test('past maxHeapMb the worker dies and the process lives on', async () => {
    const err = await parseFile(big, { maxHeapMb: 16, name: 'big' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toBe("big: exceeded the parser's memory limit (16 MB)");
    // The same small file under the same limit still parses: the limit, not the worker, failed.
    const ok = await parseFile(fixture('merged-header.xlsx'), { maxHeapMb: 16 });
    expect(ok.sheets).toHaveLength(2);
  });

  test('bundled as npm run build makes dist/, both workers run without tsx', { timeout: 60_000 }, async () => {
    // The real build (scripts/build.mjs) into a project-like folder, then the bundle in a plain node
    // process: `inspect` parses in the parse worker, a streamed CSV pull reads in the stream worker.
    // Both are found as ./<name>.js next to whichever chunk asks for them.
    const project = join(tmp, 'bundled');
    mkdirSync(project);
    const run = promisify(execFile);
    await run(process.execPath, [join(root, 'scripts/build.mjs'), '--no-typecheck', '--outdir', join(project, 'dist')], { cwd: root });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'tradebrief', version: '9.8.7', type: 'module' }));
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    symlinkSync(join(root, 'data'), join(project, 'data'), 'dir');
    // The bundled packages' licences travel with the bundle.
    const licences = readFileSync(join(project, 'dist/THIRD_PARTY_LICENSES.txt'), 'utf8');
    for (const name of ['commander', 'yaml', 'zod', 'kysely', 'pg', 'pg-types', 'pgpass']) expect(licences).toMatch(new RegExp(`^${name} \\d+\\.\\d+\\.\\d+ \\((MIT|ISC)\\)$`, 'm'));
    expect(licences).toMatch(/^pgpass [\d.]+ \(MIT\)\n\nCopyright \(c\) 2013-2016 Hannes Hörl\n\nPermission is hereby granted/m);
    const cli = join(project, 'dist/cli.js');
    // No NODE_OPTIONS: nothing may carry a TypeScript loader into the child.
    const cache = join(project, 'cache');
    const env = { ...process.env, NODE_OPTIONS: '', OUTPUT_DIR: join(project, 'output'), WAREHOUSE_URL: `sqlite:${join(project, 'wh.sqlite')}`, TRADEBRIEF_CSV_STREAM_MIN_BYTES: '0', TRADEBRIEF_CACHE_DIR: cache };

    expect((await run(process.execPath, [cli, '--version'], { cwd: project, env })).stdout.trim()).toBe('9.8.7');
    const inspected = JSON.parse((await run(process.execPath, [cli, '--json', 'inspect', fixture('merged-header.xls')], { cwd: project, env })).stdout) as { format: string; sheets: { name: string }[]; facts: number };
    expect({ format: inspected.format, sheets: inspected.sheets.map((x) => x.name), facts: inspected.facts }).toEqual({ format: 'xls', sheets: ['11-4 进出口', 'offset'], facts: 9 });

    const csv = join(project, 'trade.csv');
    writeFileSync(csv, 'year,partner,flow,value (USD)\n2023,Japan,export,1500\n2023,Russia,import,2500\n');
    const config = join(project, 'tradebrief.yaml');
    writeFileSync(config, `sources:\n  - id: t\n    dataset: trade\n    url: ${JSON.stringify(csv)}\n    fixed: { reporter: CN-HL }\nbriefs: []\n`);
    const pulled = await run(process.execPath, [cli, 'pull', '--config', config], { cwd: project, env });
    expect(pulled.stderr).toMatch(/pull t → loaded 2 facts \(0 rejected, 0 revised\)/);
    // The benchmark's floors run from the bundle too, better-sqlite3 bundled with them.
    const benchCsv = join(project, 'bench.csv');
    writeFileSync(benchCsv, 'year,reporter,partner,product,flow,value (USD),quantity (kg)\n2009,CN-HL,Japan,HS 734610,export,8730510.66,113924\n2010,CN-HL,Russia,HS 270900,import,1500,20\n');
    const floor = await run(process.execPath, [join(project, 'dist/bench/floor.js'), 'sqlite-insert', benchCsv, join(project, 'floor.sqlite')], { cwd: project, env });
    expect(JSON.parse(floor.stdout.trim().split('\n').pop()!)).toEqual({ rows: 2 });
    if (await postgresAvailable()) {
      // pg is bundled too; its first load goes through pg-copy-streams, which is not.
      const url = freshWarehouseUrl('postgres');
      try {
        const pgPulled = await run(process.execPath, [cli, 'pull', '--config', config], { cwd: project, env: { ...env, WAREHOUSE_URL: url } });
        expect(pgPulled.stderr).toMatch(/pull t → loaded 2 facts \(0 rejected, 0 revised\)/);
      } finally {
        await dropSchema(url);
      }
    }

    // pg's password helpers are bundled as a shim that loads them on first use (scripts/build.mjs,
    // lazy-pg-crypto): a server on 127.0.0.1 that asks for an MD5 password gets the right one.
    const salt = Buffer.from([1, 2, 3, 250]);
    const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');
    const expected = `md5${md5(Buffer.concat([Buffer.from(md5('s3cret' + 'tb')), salt]))}`;
    const server = createServer((socket) => {
      let got = Buffer.alloc(0);
      socket.on('data', (d: Buffer) => {
        got = Buffer.concat([got, d]);
        if (got.length >= 8 && got.readInt32BE(4) === 196608 && got.length >= got.readInt32BE(0)) {
          // The startup message: ask for an MD5 password with our salt.
          got = got.subarray(got.readInt32BE(0));
          const ask = Buffer.alloc(13);
          ask.write('R', 0);
          ask.writeInt32BE(12, 1);
          ask.writeInt32BE(5, 5);
          salt.copy(ask, 9);
          socket.write(ask);
        }
        if (got.length >= 5 && got[0] === 0x70 && got.length >= 1 + got.readInt32BE(1)) {
          // The password message: refuse the login, saying whether the hash was the right one.
          const password = got.subarray(5, got.indexOf(0, 5)).toString();
          const fields = Buffer.from(`SFATAL\0C28P01\0M${password === expected ? 'md5 hash right' : `md5 hash wrong: ${password}`}\0\0`);
          const head = Buffer.alloc(5);
          head.write('E', 0);
          head.writeInt32BE(4 + fields.length, 1);
          socket.end(Buffer.concat([head, fields]));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      const refused = await run(process.execPath, [cli, 'pull', '--config', config], { cwd: project, env: { ...env, WAREHOUSE_URL: `postgres://tb:s3cret@127.0.0.1:${port}/test` } }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/WAREHOUSE_URL: cannot connect to postgres:\/\/\*+@127\.0\.0\.1:\d+\/test: md5 hash right; is the server running\?/) });
    } finally {
      server.close();
    }

    // The build carries a build id, so the validated config is memoised (config/memo.ts) and the
    // unchanged re-pull answers from the memo; a config edited since is validated again.
    expect(readdirSync(cache).filter((f) => /^config-[0-9a-f]{16}\.json$/.test(f))).toHaveLength(1);
    expect((await run(process.execPath, [cli, 'pull', '--config', config], { cwd: project, env })).stderr).toMatch(/pull t = unchanged/);
    writeFileSync(config, readFileSync(config, 'utf8').replace('dataset: trade', 'dataset: trades'));
    const broken = await run(process.execPath, [cli, 'pull', '--config', config], { cwd: project, env }).catch((e: { code: number; stderr: string }) => e);
    expect(broken).toMatchObject({ code: 2, stderr: expect.stringMatching(/tradebrief\.yaml: sources\[0\]\.dataset/) });
  });
});
