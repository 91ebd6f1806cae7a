// The streaming xlsx reader (src/pipelines/xlsx-stream.ts) against SheetJS, cell by cell: every
// workbook below is read both ways — whole, as parse.ts reads it, and streamed — and the rows must
// be the same values at the same positions. The workbooks come from SheetJS's and ExcelJS's writers
// and from hand-written XML for what those writers do not produce (namespace prefixes, phonetic
// runs, rows and cells without references, built-in date formats, the 1904 system, `_x000D_`).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBuffer } from '../../src/pipelines/parse.js';
import type { CellValue, Range } from '../../src/pipelines/types.js';
import { XlsxBook, XlsxNeedsWholeFile } from '../../src/pipelines/xlsx-stream.js';
import { writeZip } from '../../src/zip.js';

/** What `p` rejects with; fails the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

const dir = mkdtempSync(path.join(tmpdir(), 'xlsx-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function save(buf: Buffer): string {
  const file = path.join(dir, `book-${n++}.xlsx`);
  writeFileSync(file, buf);
  return file;
}

/** Every sheet streamed, rows padded to the sheet's width as the grid is. */
async function streamed(file: string): Promise<{ sheet: string; rows: CellValue[][]; merges: Range[] }[]> {
  const book = await XlsxBook.open(file, 'book.xlsx');
  const out: { sheet: string; rows: CellValue[][]; merges: Range[] }[] = [];
  for (const sheet of book.sheets) {
    const rows: CellValue[][] = [];
    const res = await book.readSheet(sheet, (batch) => {
      for (const row of batch) rows.push(row);
    });
    expect(res.rows).toBe(rows.length);
    const merges = await book.merges(sheet);
    // As parse's grid: as tall and as wide as the merges' first cells reach.
    for (const m of merges) while (rows.length <= m.s.r) rows.push([]);
    const width = Math.max(0, ...rows.map((r) => r.length), ...merges.map((m) => m.s.c + 1));
    out.push({ sheet: sheet.name, rows: rows.map((r) => [...r, ...new Array<CellValue>(width - r.length).fill(null)]), merges });
  }
  return out;
}

/** The whole-grid read and the streamed read agree on every sheet. */
async function expectSame(buf: Buffer): Promise<{ sheet: string; rows: CellValue[][] }[]> {
  const whole = parseBuffer(buf, { fileName: 'book.xlsx' }).sheets.map((g) => ({ sheet: g.sheet, rows: g.rows, merges: g.merges }));
  const stream = await streamed(save(buf));
  expect(stream).toEqual(whole);
  return whole;
}

const CT = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>';

/** A workbook from hand-written parts: sheet XML bodies (inside <worksheet>), shared strings, styles. */
function handBook(opts: { sheets: string[]; names?: string[]; strings?: string[]; numFmts?: string; xfs?: string[]; date1904?: boolean; prefix?: string }): Buffer {
  const p = opts.prefix ?? '';
  const xmlns = p ? `xmlns:${p.slice(0, -1)}` : 'xmlns';
  const names = opts.names ?? opts.sheets.map((_, i) => `Sheet${i + 1}`);
  const entries = [
    {
      name: '[Content_Types].xml',
      data: `${CT}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${opts.sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
    },
    {
      name: '_rels/.rels',
      data: `${CT}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data: `${CT}<${p}workbook ${xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">${opts.date1904 ? `<${p}workbookPr date1904="1"/>` : ''}<${p}sheets>${names.map((nm, i) => `<${p}sheet name="${nm}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</${p}sheets></${p}workbook>`,
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: `${CT}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${opts.sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    },
    ...opts.sheets.map((body, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      data: `${CT}<${p}worksheet ${xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${body}</${p}worksheet>`,
    })),
    {
      name: 'xl/sharedStrings.xml',
      data: `${CT}<${p}sst ${xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${(opts.strings ?? []).length}" uniqueCount="${(opts.strings ?? []).length}">${(opts.strings ?? []).map((s) => `<${p}si>${s}</${p}si>`).join('')}</${p}sst>`,
    },
    {
      name: 'xl/styles.xml',
      data: `${CT}<${p}styleSheet ${xmlns}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${opts.numFmts ?? ''}<${p}cellXfs count="${(opts.xfs ?? []).length + 1}"><${p}xf numFmtId="0"/>${(opts.xfs ?? []).join('')}</${p}cellXfs></${p}styleSheet>`,
    },
  ];
  return writeZip(entries.map((e) => ({ name: e.name, data: Buffer.from(e.data, 'utf8') })));
}

describe('the streaming xlsx reader reads what SheetJS reads', () => {
  it('SheetJS-written workbooks: strings, CJK, numbers, booleans, dates, gaps, several sheets', async () => {
    const aoa: unknown[][] = [
      ['黑龙江省对日贸易', null, null, null],
      [],
      ['年份', '国家', '出口（万美元）', '備考 & <注>'],
      [2015, '日本', 123.45, true],
      [2016, 'Japan "JP"', -0.5, false],
      [null, null, null, null],
      [new Date(Date.UTC(2017, 5, 30)), '0101', 1e21, 'a\r\nb'],
      [2018, null, 0, null, null, 'far right'],
    ];
    for (const bookSST of [true, false]) {
      const wb = XLSX.utils.book_new();
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa, { cellDates: true }), '贸易');
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['資料来源', 'https://example.org/x?a=1&b=2']]), 'Sources');
      XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([]), 'Empty');
      const whole = await expectSame(XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST, compression: true }) as Buffer);
      expect(whole[0]!.rows[3]).toEqual([2015, '日本', 123.45, true, null, null]);
    }
  });

  it('ExcelJS-written workbooks: shared strings, rich text, formulas with results, errors, custom date formats, 1904', async () => {
    for (const date1904 of [false, true]) {
      const wb = new ExcelJS.Workbook();
      wb.properties.date1904 = date1904;
      const ws = wb.addWorksheet('データ');
      ws.addRow(['期間', '相手国', '輸出（千ドル）', 'date']);
      ws.addRow(['2015年', '中国', 1500, new Date(Date.UTC(2015, 0, 31))]);
      ws.addRow([{ richText: [{ text: '黒竜江' }, { font: { bold: true }, text: '省' }] }, '日本', { formula: 'C2*2', result: 3000 }, null]);
      ws.addRow(['x', { formula: '1/0', result: { error: '#DIV/0!' } }, { formula: 'A1', result: '期間' }, 0.25]);
      ws.getCell('D2').numFmt = 'yyyy"年"m"月"d"日"';
      ws.getCell('D4').numFmt = '0.0%';
      ws.getRow(9).getCell(2).value = 'after a gap';
      await expectSame(Buffer.from(await wb.xlsx.writeBuffer()));
    }
  });

  it('hand-written XML: prefixes, phonetic runs, escapes, rows and cells without references, inline strings', async () => {
    const strings = [
      '<t>plain</t>',
      '<t xml:space="preserve"> padded </t><rPh sb="0" eb="2"><t>ふりがな</t></rPh><phoneticPr fontId="1"/>',
      '<r><t>黒竜</t></r><r><rPr><b/></rPr><t>江</t></r><rPh sb="0" eb="1"><t>コク</t></rPh>',
      '<t>line_x000D_break &amp; &#x65E5;&#26412;</t>',
      '<t/>',
    ];
    for (const prefix of ['', 'x:']) {
      const p = prefix;
      const sheet =
        `<${p}dimension ref="A1:E9"/><${p}sheetData>` +
        `<${p}row r="1"><${p}c r="A1" t="s"><${p}v>0</${p}v></${p}c><${p}c r="C1" t="s"><${p}v>1</${p}v></${p}c></${p}row>` +
        `<${p}row r="3" spans="1:5"><${p}c r="A3" t="s"><${p}v>2</${p}v></${p}c><${p}c r="B3" t="s"><${p}v>3</${p}v></${p}c><${p}c r="C3" t="s"><${p}v>4</${p}v></${p}c><${p}c r="D3" s="0"/></${p}row>` +
        `<${p}row><${p}c><${p}v>1.5</${p}v></${p}c><${p}c t="str"><${p}f>A1</${p}f><${p}v>&amp;lt;x&amp;gt;</${p}v></${p}c><${p}c t="inlineStr"><${p}is><${p}t>inline 文字</${p}t></${p}is></${p}c><${p}c t="b"><${p}v>1</${p}v></${p}c><${p}c t="e"><${p}v>#N/A</${p}v></${p}c></${p}row>` +
        `<${p}row r="6"/>` +
        `<${p}row r="7"><${p}c r="B7" t="e"><${p}v>#SPILL!</${p}v></${p}c><${p}c r="C7"><${p}f>1+1</${p}f></${p}c><${p}c r="E7" t="n"><${p}v>-7E-3</${p}v></${p}c></${p}row>` +
        `<${p}row r="8"><${p}c r="A8"><${p}v xml:space="preserve">42</${p}v></${p}c></${p}row>` +
        `<${p}row r="9"><${p}c r="B9" t="s" s="0"></${p}c></${p}row>` +
        `</${p}sheetData><${p}pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`;
      const whole = await expectSame(handBook({ sheets: [sheet], strings, prefix }));
      expect(whole[0]!.rows[2]).toEqual(['黒竜江', 'line\rbreak & 日本', null, null, null]);
    }
  });

  it('numbers in built-in and custom date formats become the Dates SheetJS makes, in both date systems', async () => {
    const ids = [0, 1, 9, 14, 15, 17, 20, 22, 27, 31, 32, 36, 45, 46, 47, 49, 50, 56, 57, 58, 59, 67, 71, 76, 81, 164, 165];
    const numFmts = '<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/><numFmt numFmtId="165" formatCode="#,##0.0_);[Red]\\(#,##0.0\\)"/></numFmts>';
    const values = [45000.75, 60.5, 59, 61, 1, 0.25];
    const rows = ids.map((id, i) => `<row r="${i + 1}">${values.map((v, j) => `<c r="${String.fromCharCode(65 + j)}${i + 1}" s="${i + 1}"><v>${v}</v></c>`).join('')}</row>`).join('');
    for (const date1904 of [false, true]) {
      const whole = await expectSame(handBook({ sheets: [`<sheetData>${rows}</sheetData>`], numFmts, xfs: ids.map((id) => `<xf numFmtId="${id}" applyNumberFormat="1"/>`), date1904 }));
      // 57 is `yyyy"年"m"月"` in Chinese and Japanese Excel: SheetJS alone dropped such a sheet (parse.ts).
      expect(whole[0]!.rows[ids.indexOf(57)]![0]).toBeInstanceOf(Date);
      expect(whole[0]!.rows[ids.indexOf(59)]![0]).toBe(45000.75);
    }
  });

  it('parse: a sheet SheetJS fails inside is an error, not an empty sheet', () => {
    // A style number past SheetJS's table (0x188) makes its date test throw; it then leaves the sheet out.
    const book = handBook({ sheets: ['<sheetData><row r="1"><c r="A1" s="1"><v>1</v></c></row></sheetData>'], xfs: ['<xf numFmtId="500"/>'] });
    expect(() => parseBuffer(book, { fileName: 'odd.xlsx' })).toThrow('odd.xlsx: sheet "Sheet1" could not be read (the reader failed inside it); open and re-save the file in a spreadsheet program');
  });

  it('finds the merged ranges that follow the rows, with and without a prefix', async () => {
    for (const p of ['', 'x:']) {
      const whole = await expectSame(
        handBook({
          prefix: p,
          sheets: [`<${p}sheetData><${p}row r="1"><${p}c r="A1"><${p}v>1</${p}v></${p}c></${p}row><${p}row r="3"><${p}c r="B3" t="inlineStr"><${p}is><${p}t>&lt;mergeCell ref="Z9"/&gt;</${p}t></${p}is></${p}c></${p}row></${p}sheetData><${p}mergeCells count="2"><${p}mergeCell ref="A1:C1"/><${p}mergeCell ref="E5"/></${p}mergeCells>`],
        }),
      );
      expect(whole[0]!.rows).toHaveLength(5);
    }
  });

  it('finds every merged range when the 4 MiB pieces of the search cut their list', async () => {
    // ≈ 4.1 MB of rows, then 4,000 merges of ≈ 30 bytes: the 4 MiB mark falls inside their list.
    const text = 'x'.repeat(2000);
    const rows = Array.from({ length: 2000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${text}</t></is></c></row>`).join('');
    const merges = Array.from({ length: 4000 }, (_, i) => `<mergeCell ref="C${i + 1}:D${i + 1}"/>`).join('');
    const at = rows.length + '<sheetData></sheetData><mergeCells count="4000">'.length;
    expect(at < 4 << 20 && at + merges.length > 4 << 20).toBe(true);
    const buf = handBook({ sheets: [`<sheetData>${rows}</sheetData><mergeCells count="4000">${merges}</mergeCells>`] });
    const book = await XlsxBook.open(save(buf), 'book.xlsx');
    const found = await book.merges(book.sheets[0]!);
    expect(found).toHaveLength(4000);
    expect(found[3999]).toEqual({ s: { r: 3999, c: 2 }, e: { r: 3999, c: 3 } });
    expect(new Set(found.map((m) => m.s.r)).size).toBe(4000);
  });

  it('stops searching for merged ranges when its signal is aborted', async () => {
    const book = await XlsxBook.open(save(handBook({ sheets: ['<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'] })), 'book.xlsx');
    const stop = new AbortController();
    stop.abort();
    expect(await rejection(book.merges(book.sheets[0]!, stop.signal))).toMatchObject({ name: 'AbortError' });
    expect(await book.merges(book.sheets[0]!)).toEqual([{ s: { r: 0, c: 0 }, e: { r: 0, c: 1 } }]);
  });

  it('leaves to the whole read what it does not read: ISO date cells, rows out of order, chart sheets', async () => {
    const iso = save(handBook({ sheets: ['<sheetData><row r="1"><c r="A1" t="d"><v>2020-01-01T00:00:00Z</v></c></row></sheetData>'] }));
    expect(await rejection(streamed(iso))).toBeInstanceOf(XlsxNeedsWholeFile);
    const backwards = save(handBook({ sheets: ['<sheetData><row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'] }));
    expect(await rejection(streamed(backwards))).toBeInstanceOf(XlsxNeedsWholeFile);
  });

  it('a sheet cut off inside its rows is an error that names the file and sheet', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `<row r="${i + 1}"><c r="A${i + 1}"><v>${i}</v></c></row>`).join('');
    const full = handBook({ sheets: [`<sheetData>${rows}</sheetData>`] });
    // Store the sheet truncated (as a broken writer would), with a valid zip around it.
    const truncated = writeZip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook xmlns:r="r"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>') },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from('<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<worksheet><sheetData>${rows.slice(0, 5000)}`) },
    ]);
    expect(full.length).toBeGreaterThan(0);
    const err = await rejection(streamed(save(truncated)));
    expect((err as Error).message).toBe(`book.xlsx: sheet "S": the sheet's XML ends inside a row; the file may be truncated or corrupt`);
  });
});
