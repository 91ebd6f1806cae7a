// src/zip.ts: its writers read back by its own readers and by others (SheetJS, unzip, exceljs), the
// local-header walk on files cut short, entry replacement, and deflateStoredZip on exceljs's output.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  centralDirectory,
  crc32,
  DEFLATED,
  deflateStoredZip,
  entryHead,
  localEntries,
  replaceEntry,
  STORED,
  tableCrc32,
  writeZip,
  ZipUnsupported,
  ZipWriter,
  zipComplete,
  type CentralEntry,
} from '../src/zip.js';
import { thrown } from './helpers/thrown.js';

const run = promisify(execFile);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tradebrief-zip-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** An entry's content, as the central directory locates it. */
function content(buf: Buffer, e: CentralEntry): Buffer {
  const data = buf.subarray(e.start, e.start + e.compressed);
  return e.method === DEFLATED ? inflateRawSync(data) : data;
}

const TEXT = Buffer.from('period,partner,value\n2020-01,日本,5\n'.repeat(50));
const SMALL = [
  { name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet'), method: STORED },
  { name: 'data/trade.csv', data: TEXT },
  { name: 'empty.txt', data: Buffer.alloc(0) },
  // Flagged as UTF-8; SheetJS gives such names back as raw bytes, so it is not asked about this one.
  { name: '黑龙江/说明.txt', data: Buffer.from('黑龙江省商务厅') },
] as const;

describe('crc32', () => {
  const known: [string, number][] = [
    ['', 0],
    ['a', 0xe8b7be43],
    ['123456789', 0xcbf43926],
    ['The quick brown fox jumps over the lazy dog', 0x414fa339],
  ];
  it('gives the known CRC-32s, from zlib and from the table alike', () => {
    for (const [text, crc] of known) {
      expect(crc32(Buffer.from(text)), text).toBe(crc);
      expect(tableCrc32(Buffer.from(text)), text).toBe(crc);
    }
  });

  it('continues a running CRC, across an empty buffer without a backing store too', () => {
    const whole = crc32(TEXT);
    const first = crc32(TEXT.subarray(0, 100));
    expect(crc32(TEXT.subarray(100), first)).toBe(whole);
    expect(tableCrc32(TEXT.subarray(100), tableCrc32(TEXT.subarray(0, 100)))).toBe(whole);
    expect(crc32(randomBytes(0), first)).toBe(first);
  });
});

describe('writeZip and the readers', () => {
  it('round-trips stored and deflated entries through the central directory and the local headers', () => {
    const zip = writeZip(SMALL);
    const central = centralDirectory(zip);
    expect([...central.keys()]).toEqual(SMALL.map((e) => e.name));
    expect([...central.values()].map((e) => e.method)).toEqual([STORED, DEFLATED, DEFLATED, DEFLATED]);
    for (const e of SMALL) {
      const entry = central.get(e.name)!;
      expect(content(zip, entry).equals(e.data), e.name).toBe(true);
      expect(entry.crc).toBe(crc32(e.data));
      expect(entry.inflated).toBe(e.data.length);
    }
    expect(central.get('data/trade.csv')!.compressed).toBeLessThan(TEXT.length / 5);

    const local = localEntries(zip);
    expect(local.map((e) => ({ name: e.name, start: e.start, size: e.size, inflated: e.inflated, descriptor: e.descriptor }))).toEqual(
      [...central.values()].map((e) => ({ name: e.name, start: e.start, size: e.compressed, inflated: e.inflated, descriptor: false })),
    );
    expect(zipComplete(zip)).toBe(true);
  });

  it('writes what SheetJS reads', () => {
    const cfb = XLSX.CFB.read(writeZip(SMALL), { type: 'buffer' });
    for (const e of SMALL.filter((e) => /^[ -~]+$/.test(e.name))) expect(Buffer.from(XLSX.CFB.find(cfb, `/${e.name}`)!.content as Uint8Array).equals(e.data), e.name).toBe(true);
  });

  it('writes what unzip tests as sound', async () => {
    const file = path.join(dir, 'small.zip');
    await writeFile(file, writeZip(SMALL));
    await run('unzip', ['-tq', file]);
  });

  it('states what a compressed entry says, true or not', () => {
    const zip = writeZip([{ name: 'bomb.xml', method: DEFLATED, crc: crc32(TEXT), inflated: 10, compressed: deflateRawSync(TEXT) }]);
    const e = centralDirectory(zip).get('bomb.xml')!;
    expect(e.inflated).toBe(10);
    expect(localEntries(zip)[0]!.inflated).toBe(10);
    expect(content(zip, e).equals(TEXT)).toBe(true);
  });

  it('reads the first bytes of an entry, stored or deflated, even cut short', () => {
    const zip = writeZip(SMALL);
    const [mimetype, csv] = localEntries(zip);
    expect(entryHead(zip, mimetype!, 256).toString('latin1')).toBe(SMALL[0].data.toString('latin1'));
    expect(entryHead(zip, csv!, 20).equals(TEXT.subarray(0, 20))).toBe(true);
    const cut = zip.subarray(0, csv!.start + 40);
    expect(entryHead(cut, localEntries(cut)[1]!, 20).equals(TEXT.subarray(0, 20))).toBe(true);
  });
});

describe('localEntries on a truncated file', () => {
  const zip = writeZip(SMALL);
  const whole = localEntries(zip);

  it('lists the entries whose headers the bytes hold, at every cut', () => {
    for (let n = 0; n < zip.length; n++) {
      const cut = zip.subarray(0, n);
      const found = localEntries(cut);
      // An entry is listed once its header (name and extra field) is within the cut.
      const expected = whole.filter((e) => e.start <= n);
      expect(found, `cut at ${n}`).toEqual(expected);
      // Complete once the end record's signature is in: the entries are all there by then.
      expect(zipComplete(cut), `cut at ${n}`).toBe(n >= zip.length - 22 + 4);
    }
  });

  it('refuses a truncated file from the central directory', () => {
    const err = thrown(() => centralDirectory(zip.subarray(0, zip.length - 30)));
    expect(err).toBeInstanceOf(ZipUnsupported);
    expect(err.message).toBe('no end of central directory');
  });

  it('resumes at the next local header after an entry whose sizes follow its data (flag bit 3)', () => {
    const withDescriptor = Buffer.from(zip);
    const csv = whole[1]!;
    const header = csv.start - 30 - Buffer.byteLength(csv.name);
    withDescriptor.writeUInt16LE(withDescriptor.readUInt16LE(header + 6) | 0x08, header + 6);
    withDescriptor.fill(0, header + 14, header + 26);
    const found = localEntries(withDescriptor);
    expect(found.map((e) => e.name)).toEqual(SMALL.map((e) => e.name));
    expect(found[1]).toMatchObject({ size: 0, inflated: 0, descriptor: true });
    expect(found[2]).toEqual(whole[2]);
  });
});

describe('centralDirectory refuses what the readers do not read', () => {
  const zip = writeZip(SMALL);
  const end = zip.length - 22;
  const directory = zip.readUInt32LE(end + 16);
  /** The zip with the first central header's field at `offset` set to `value`. */
  const patched = (offset: number, value: number, bytes: 2 | 4) => {
    const copy = Buffer.from(zip);
    if (bytes === 2) copy.writeUInt16LE(value, directory + offset);
    else copy.writeUInt32LE(value, directory + offset);
    return copy;
  };
  const refusal = (buf: Buffer) => {
    const err = thrown(() => centralDirectory(buf));
    expect(err).toBeInstanceOf(ZipUnsupported);
    return err.message;
  };

  it('encryption, other methods, zip64 and damage, each by name', () => {
    expect(refusal(patched(8, 0x0801, 2))).toBe('mimetype is encrypted');
    expect(refusal(patched(10, 12, 2))).toBe('mimetype uses zip method 12');
    expect(refusal(patched(24, 0xffffffff, 4))).toBe('a zip64 archive');
    expect(refusal(patched(0, 0, 4))).toBe('a damaged central directory');
    expect(refusal(patched(42, 1, 4))).toBe('a damaged local header for mimetype');
    expect(refusal(patched(20, 1 << 20, 4))).toBe('mimetype runs past the end of the file');
    const eocd = Buffer.from(zip);
    eocd.writeUInt16LE(0xffff, end + 10);
    expect(refusal(eocd)).toBe('a zip64 archive');
  });
});

describe('replaceEntry', () => {
  it('replaces one entry, deflated, and copies the others as they were', () => {
    const zip = writeZip(SMALL);
    const before = centralDirectory(zip);
    const data = Buffer.from('<styleSheet/>'.repeat(20));
    const out = replaceEntry(zip, before, 'data/trade.csv', data);
    const after = centralDirectory(out);
    expect([...after.keys()]).toEqual([...before.keys()]);
    const replaced = after.get('data/trade.csv')!;
    expect(replaced).toMatchObject({ method: DEFLATED, crc: crc32(data), inflated: data.length });
    expect(content(out, replaced).equals(data)).toBe(true);
    for (const name of ['mimetype', 'empty.txt', '黑龙江/说明.txt']) {
      const [b, a] = [before.get(name)!, after.get(name)!];
      expect({ ...a, start: 0 }).toEqual({ ...b, start: 0 });
      expect(out.subarray(a.start, a.start + a.compressed).equals(zip.subarray(b.start, b.start + b.compressed))).toBe(true);
    }
    const cfb = XLSX.CFB.read(out, { type: 'buffer' });
    expect(Buffer.from(XLSX.CFB.find(cfb, '/data/trade.csv')!.content as Uint8Array).equals(data)).toBe(true);
  });
});

describe('ZipWriter', () => {
  const parts: [string, string][] = [
    ['[Content_Types].xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'],
    ['_rels/.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'],
    ['xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trade" sheetId="1" r:id="rId1"/></sheets></workbook>'],
    ['xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'],
  ];
  const ROWS = 5000;
  async function* sheet(): AsyncGenerator<string | Buffer> {
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
    for (let r = 1; r <= ROWS; r++) {
      yield `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>P${r}</t></is></c><c r="B${r}"><v>${r * 1.5}</v></c></row>`;
      if (r % 1000 === 0) yield randomBytes(0);
    }
    yield Buffer.from('</sheetData></worksheet>');
  }

  it('streams a workbook that SheetJS and the central directory read, with sizes in every local header', async () => {
    const file = path.join(dir, 'streamed.xlsx');
    const zip = await ZipWriter.create(file);
    for (const [name, xml] of parts.slice(0, 2)) await zip.add(name, xml);
    await zip.add('xl/workbook.xml', [parts[2]![1]]);
    await zip.add('xl/_rels/workbook.xml.rels', Buffer.from(parts[3]![1]));
    await zip.add('xl/worksheets/sheet1.xml', sheet());
    await zip.close();

    const buf = await readFile(file);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(buf).Sheets['Trade']!, { header: 1 });
    expect(rows).toHaveLength(ROWS);
    expect(rows[0]).toEqual(['P1', 1.5]);
    expect(rows[ROWS - 1]).toEqual([`P${ROWS}`, ROWS * 1.5]);

    const central = centralDirectory(buf);
    expect([...central.keys()]).toEqual([...parts.map(([name]) => name), 'xl/worksheets/sheet1.xml']);
    for (const [name, xml] of parts) {
      expect(central.get(name)).toMatchObject({ method: DEFLATED, crc: crc32(Buffer.from(xml)), inflated: Buffer.byteLength(xml) });
      expect(content(buf, central.get(name)!).toString('utf8')).toBe(xml);
    }
    expect(localEntries(buf).map((e) => ({ name: e.name, start: e.start, size: e.size, inflated: e.inflated }))).toEqual(
      [...central.values()].map((e) => ({ name: e.name, start: e.start, size: e.compressed, inflated: e.inflated })),
    );
    await run('unzip', ['-tq', file]);
  });

  it('abort leaves a file without a central directory', async () => {
    const file = path.join(dir, 'aborted.zip');
    const zip = await ZipWriter.create(file);
    await zip.add('a.txt', 'some text');
    await zip.abort();
    const buf = await readFile(file);
    expect(zipComplete(buf)).toBe(false);
    expect(localEntries(buf).map((e) => e.name)).toEqual(['a.txt']);
  });
});

describe('deflateStoredZip', () => {
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
    expect(() => deflateStoredZip(Buffer.from('not a zip at all, just some bytes'))).toThrow('deflateStoredZip: no end of central directory');
    const dataDescriptor = writeZip([{ name: 'a.txt', data: Buffer.from('aaaa'), method: STORED }]);
    dataDescriptor.writeUInt16LE(0x0808, 6);
    expect(() => deflateStoredZip(dataDescriptor)).toThrow('deflateStoredZip: data descriptors are not supported');
  });
});
