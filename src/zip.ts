// Zip archives (PKWARE's APPNOTE.TXT), read and written by hand, in the one place that knows the
// record layouts: the readers of workbooks and zipped CSVs (pipelines/), the workbook renderer
// (reports/render/xlsx.ts), the bench's million-row workbook and the fault suite's hostile archives.
//
// Two readers, because an archive has two indexes. The central directory at the end states every
// entry's sizes and CRC, even where a streaming writer left them out of the local headers, so a
// workbook's parts are found without scanning compressed data. The local headers in front of each
// entry survive truncation, so a cut-off download still shows what it was meant to be.
//
// Nothing here does zip64, encryption, several disks or a method other than store and deflate:
// centralDirectory says so (ZipUnsupported); the writers throw rather than write a broken zip.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

/** Local file header (APPNOTE 4.3.7): these 30 bytes, then the name and an extra field. */
const LOCAL = { signature: 0x04034b50, length: 30, version: 4, flags: 6, method: 8, time: 10, date: 12, crc: 14, compressed: 18, inflated: 22, nameLength: 26, extraLength: 28 } as const;
/**
 * Central directory header (4.3.12): these 46 bytes, then the name, an extra field and a comment.
 * From `version` to `extraLength` these are the local header's fields, two bytes later.
 */
const CENTRAL = { signature: 0x02014b50, length: 46, madeBy: 4, version: 6, flags: 8, method: 10, time: 12, date: 14, crc: 16, compressed: 20, inflated: 24, nameLength: 28, extraLength: 30, commentLength: 32, local: 42 } as const;
/** End of central directory record (4.3.16): these 22 bytes, then a comment of up to 65,535. */
const END = { signature: 0x06054b50, length: 22, disk: 4, diskEntries: 8, entries: 10, directorySize: 12, directoryOffset: 16 } as const;
const MAX_COMMENT = 0xffff;

const LOCAL_SIGNATURE = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const END_SIGNATURE = Buffer.from([0x50, 0x4b, 0x05, 0x06]);

/** General purpose flag bits (4.4.4). */
const ENCRYPTED = 0x0001;
/** The sizes and CRC follow the data in a data descriptor; the local header's are zeros. */
const DATA_DESCRIPTOR = 0x0008;
const UTF8_NAMES = 0x0800;

export const STORED = 0;
export const DEFLATED = 8;
/** "Version needed to extract" for deflate (4.4.3); stored entries are written with it too. */
const VERSION = 20;
/** 1980-01-01 00:00, the earliest DOS date: a fixed time keeps the same content byte-identical. */
const DOS_1980 = (0 << 9) | (1 << 5) | 1;
/** Past this, a size or an offset needs zip64. */
const MAX_32 = 0xffffffff;

// ---------------------------------------------------------------------------------------------
// CRC-32

let table: Uint32Array | undefined;

/** CRC-32 in JavaScript. Exported for tests; use {@link crc32}. */
export function tableCrc32(data: Uint8Array, crc = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = table[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** zlib's, which Node has only since 20.15 and 22.2 (package.json allows any 20). */
const zlibCrc32 = typeof zlib.crc32 === 'function' ? zlib.crc32 : null;

/** CRC-32 of `data` continuing from `crc`, the CRC of the bytes before it (0 for none). */
export function crc32(data: Uint8Array, crc = 0): number {
  // zlib.crc32 of an empty buffer without a backing store (crypto.randomBytes(0)) is 0, not the
  // running value: zlib's crc32() returns 0 for a null pointer.
  if (data.length === 0) return crc;
  return zlibCrc32 ? zlibCrc32(data, crc) : tableCrc32(data, crc);
}

// ---------------------------------------------------------------------------------------------
// Reading

/** The archive uses what these readers do not: zip64, encryption, a method other than store or deflate, damage. */
export class ZipUnsupported extends Error {
  override name = 'ZipUnsupported';
}

/** Offset of the end of central directory record, searching back past a comment; -1 when there is none. */
function findEnd(buf: Buffer): number {
  if (buf.length < END.length) return -1;
  const at = buf.lastIndexOf(END_SIGNATURE, buf.length - END.length);
  return at >= Math.max(0, buf.length - END.length - MAX_COMMENT) ? at : -1;
}

/**
 * True when the zip's end of central directory signature is present, i.e. the archive is complete.
 * Only the signature is looked for: a file cut inside the record's last bytes still has all its entries.
 */
export function zipComplete(buf: Buffer): boolean {
  return buf.subarray(Math.max(0, buf.length - END.length - MAX_COMMENT)).lastIndexOf(END_SIGNATURE) >= 0;
}

/** An entry as the central directory states it. */
export interface CentralEntry {
  /** The name, without a leading slash. */
  name: string;
  method: number;
  crc: number;
  compressed: number;
  inflated: number;
  /** Offset of the entry's data (after its local header). */
  start: number;
}

/** The archive's entries by name, in the central directory's order. */
export function centralDirectory(buf: Buffer): Map<string, CentralEntry> {
  const end = findEnd(buf);
  if (end < 0) throw new ZipUnsupported('no end of central directory');
  const count = buf.readUInt16LE(end + END.entries);
  let at = buf.readUInt32LE(end + END.directoryOffset);
  if (count === 0xffff || at === MAX_32) throw new ZipUnsupported('a zip64 archive');
  const entries = new Map<string, CentralEntry>();
  for (let i = 0; i < count; i++) {
    if (at + CENTRAL.length > buf.length || buf.readUInt32LE(at) !== CENTRAL.signature) throw new ZipUnsupported('a damaged central directory');
    const flags = buf.readUInt16LE(at + CENTRAL.flags);
    const method = buf.readUInt16LE(at + CENTRAL.method);
    const crc = buf.readUInt32LE(at + CENTRAL.crc);
    const compressed = buf.readUInt32LE(at + CENTRAL.compressed);
    const inflated = buf.readUInt32LE(at + CENTRAL.inflated);
    const nameLength = buf.readUInt16LE(at + CENTRAL.nameLength);
    const local = buf.readUInt32LE(at + CENTRAL.local);
    const name = buf.toString('utf8', at + CENTRAL.length, at + CENTRAL.length + nameLength).replace(/^\//, '');
    at += centralRecordLength(buf, at);
    if (flags & ENCRYPTED) throw new ZipUnsupported(`${name} is encrypted`);
    if (method !== STORED && method !== DEFLATED) throw new ZipUnsupported(`${name} uses zip method ${method}`);
    if (compressed === MAX_32 || inflated === MAX_32 || local === MAX_32) throw new ZipUnsupported('a zip64 archive');
    if (local + LOCAL.length > buf.length || buf.readUInt32LE(local) !== LOCAL.signature) throw new ZipUnsupported(`a damaged local header for ${name}`);
    const start = local + localHeaderLength(buf, local);
    if (start + compressed > buf.length) throw new ZipUnsupported(`${name} runs past the end of the file`);
    entries.set(name, { name, method, crc, compressed, inflated, start });
  }
  return entries;
}

function centralRecordLength(buf: Buffer, at: number): number {
  return CENTRAL.length + buf.readUInt16LE(at + CENTRAL.nameLength) + buf.readUInt16LE(at + CENTRAL.extraLength) + buf.readUInt16LE(at + CENTRAL.commentLength);
}

function localHeaderLength(buf: Buffer, at: number): number {
  return LOCAL.length + buf.readUInt16LE(at + LOCAL.nameLength) + buf.readUInt16LE(at + LOCAL.extraLength);
}

/** An entry as its local header states it. */
export interface LocalEntry {
  name: string;
  /** Offset of the entry's data. */
  start: number;
  /** Compressed size; 0 when a data descriptor follows the data instead (flag bit 3). */
  size: number;
  method: number;
  /** Uncompressed size from the local header; 0 when a data descriptor follows (flag bit 3). */
  inflated: number;
  /** Flag bit 3: the sizes follow the data, so the header's are zeros. */
  descriptor: boolean;
}

/**
 * The entries of a zip from its local headers, front to back, as far as the buffer goes: a
 * truncated file (or its first few kB) gives the entries whose headers it holds.
 */
export function localEntries(buf: Buffer): LocalEntry[] {
  const entries: LocalEntry[] = [];
  let at = 0;
  while (at + LOCAL.length <= buf.length && buf.readUInt32LE(at) === LOCAL.signature) {
    const flags = buf.readUInt16LE(at + LOCAL.flags);
    const method = buf.readUInt16LE(at + LOCAL.method);
    const size = buf.readUInt32LE(at + LOCAL.compressed);
    const inflated = buf.readUInt32LE(at + LOCAL.inflated);
    const nameLength = buf.readUInt16LE(at + LOCAL.nameLength);
    const start = at + localHeaderLength(buf, at);
    if (start > buf.length) break;
    const name = buf.toString('utf8', at + LOCAL.length, at + LOCAL.length + nameLength);
    const descriptor = (flags & DATA_DESCRIPTOR) !== 0;
    entries.push({ name, start, size: descriptor ? 0 : size, method, inflated: descriptor ? 0 : inflated, descriptor });
    if (descriptor || size === 0) {
      // Size unknown until the data descriptor: resume at the next local header signature.
      const next = buf.indexOf(LOCAL_SIGNATURE, start);
      if (next < 0) break;
      at = next;
    } else {
      at = start + size;
    }
  }
  return entries;
}

/**
 * The first `bytes` bytes of an entry's content, stored or deflated, from what the buffer holds of
 * it (1 kB of compressed data when its size is unknown): enough for a `mimetype`. Empty when the
 * method is neither or the data does not inflate.
 */
export function entryHead(buf: Buffer, entry: LocalEntry, bytes: number): Buffer {
  const data = buf.subarray(entry.start, entry.size > 0 ? entry.start + entry.size : entry.start + 1024);
  if (entry.method === STORED) return data.subarray(0, bytes);
  if (entry.method !== DEFLATED) return Buffer.alloc(0);
  try {
    // Z_SYNC_FLUSH: the slice may stop short of the stream's end (unknown size); take what inflates.
    return zlib.inflateRawSync(data, { finishFlush: zlib.constants.Z_SYNC_FLUSH }).subarray(0, bytes);
  } catch {
    return Buffer.alloc(0);
  }
}

// ---------------------------------------------------------------------------------------------
// Writing

/** Every written header's flags: names are UTF-8 (the bit says so; for ASCII names it changes nothing). */
const FLAGS = UTF8_NAMES;

/** An entry's fields as its local and central headers state them. */
interface Header {
  name: Buffer;
  method: number;
  crc: number;
  compressed: number;
  inflated: number;
}

function localHeader(h: Header): Buffer {
  const b = Buffer.alloc(LOCAL.length + h.name.length);
  b.writeUInt32LE(LOCAL.signature, 0);
  writeFields(b, LOCAL, h);
  h.name.copy(b, LOCAL.length);
  return b;
}

/** The central directory header of an entry whose local header is at `offset`; no extra field, comment or attributes. */
function centralHeader(h: Header, offset: number): Buffer {
  const b = Buffer.alloc(CENTRAL.length + h.name.length);
  b.writeUInt32LE(CENTRAL.signature, 0);
  b.writeUInt16LE(VERSION, CENTRAL.madeBy);
  writeFields(b, CENTRAL, h);
  b.writeUInt32LE(offset, CENTRAL.local);
  h.name.copy(b, CENTRAL.length);
  return b;
}

/** The fields both headers have; dated 1980-01-01 00:00, so the same content writes the same bytes. */
function writeFields(b: Buffer, layout: typeof LOCAL | typeof CENTRAL, h: Header): void {
  b.writeUInt16LE(VERSION, layout.version);
  b.writeUInt16LE(FLAGS, layout.flags);
  b.writeUInt16LE(h.method, layout.method);
  b.writeUInt16LE(DOS_1980, layout.date);
  b.writeUInt32LE(h.crc, layout.crc);
  b.writeUInt32LE(h.compressed, layout.compressed);
  b.writeUInt32LE(h.inflated, layout.inflated);
  b.writeUInt16LE(h.name.length, layout.nameLength);
}

/** The end record of a one-disk archive without a comment. */
function endRecord(count: number, directorySize: number, directoryOffset: number): Buffer {
  if (count > 0xffff || directoryOffset + directorySize > MAX_32) {
    throw new Error('zip: the archive needs zip64 (over 4 GiB or 65,535 entries), which this writer does not write');
  }
  const b = Buffer.alloc(END.length);
  b.writeUInt32LE(END.signature, 0);
  b.writeUInt16LE(count, END.diskEntries);
  b.writeUInt16LE(count, END.entries);
  b.writeUInt32LE(directorySize, END.directorySize);
  b.writeUInt32LE(directoryOffset, END.directoryOffset);
  return b;
}

function checkEntrySize(name: string, h: Header, offset: number): void {
  if (h.inflated > MAX_32 || h.compressed > MAX_32 || offset > MAX_32) throw new Error(`zip: ${name} needs zip64 (over 4 GiB), which this writer does not write`);
}

/** An entry for {@link writeZip}: its content, compressed here… */
export interface ContentEntry {
  name: string;
  data: Buffer;
  /** Default DEFLATED (zlib's default level); STORED keeps the bytes as they are. */
  method?: typeof STORED | typeof DEFLATED;
}

/**
 * …or the bytes as they are to be stored, with the method, CRC and inflated size the headers
 * state: copied from another archive, or made up (a test's zip bomb that hides its size).
 */
export interface CompressedEntry {
  name: string;
  method: number;
  crc: number;
  inflated: number;
  compressed: Buffer;
}

export type NewEntry = ContentEntry | CompressedEntry;

/** An archive of `entries` in their order, each local header stating its sizes (no data descriptors). */
export function writeZip(entries: Iterable<NewEntry>): Buffer {
  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = 'data' in e ? (e.method === STORED ? e.data : zlib.deflateRawSync(e.data)) : e.compressed;
    const header: Header =
      'data' in e
        ? { name: Buffer.from(e.name, 'utf8'), method: e.method ?? DEFLATED, crc: crc32(e.data), compressed: body.length, inflated: e.data.length }
        : { name: Buffer.from(e.name, 'utf8'), method: e.method, crc: e.crc, compressed: body.length, inflated: e.inflated };
    checkEntrySize(e.name, header, offset);
    const local = localHeader(header);
    out.push(local, body);
    central.push(centralHeader(header, offset));
    offset += local.length + body.length;
  }
  const directory = Buffer.concat(central);
  return Buffer.concat([...out, directory, endRecord(central.length, directory.length, offset)]);
}

/**
 * A new archive with the same entries in the same order, the compressed data copied as is, except
 * `name`, whose content becomes `data` (deflated). Names, methods, CRCs and sizes are kept; extra
 * fields, comments, dates and attributes are not (dates become writeZip's).
 */
export function replaceEntry(buf: Buffer, entries: Map<string, CentralEntry>, name: string, data: Buffer): Buffer {
  const copies = [...entries.values()].map((e): NewEntry =>
    e.name === name ? { name, data } : { name: e.name, method: e.method, crc: e.crc, inflated: e.inflated, compressed: buf.subarray(e.start, e.start + e.compressed) },
  );
  return writeZip(copies);
}

function cannotDeflate(why: string): never {
  throw new Error(`deflateStoredZip: ${why}`);
}

/**
 * The archive with every stored, non-empty file deflated by zlib at `level`, everything else
 * (names, order, dates, attributes, extra fields, comments, CRCs: a CRC is of the uncompressed
 * bytes) copied as is. For a zip as JSZip writes it with `compression: 'STORE'`: one disk, no
 * zip64, no data descriptors; anything else is an error, never a broken zip.
 *
 * exceljs zips a workbook with JSZip, which deflates in JavaScript (pako): about a third of a
 * workbook's time, most of it the deflater warming up in a short-lived process (issue 6).
 */
export function deflateStoredZip(zip: Buffer, level = 6): Buffer {
  const end = findEnd(zip);
  if (end < 0) cannotDeflate('no end of central directory');
  const count = zip.readUInt16LE(end + END.entries);
  const directorySize = zip.readUInt32LE(end + END.directorySize);
  const directoryOffset = zip.readUInt32LE(end + END.directoryOffset);
  if (zip.readUInt16LE(end + END.disk) !== 0 || zip.readUInt16LE(end + END.diskEntries) !== count || directoryOffset + directorySize > end) cannotDeflate('not a single-disk zip');

  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL.signature) cannotDeflate(`bad central directory entry ${i}`);
    const record = Buffer.from(zip.subarray(at, at + centralRecordLength(zip, at)));
    at += record.length;
    const local = record.readUInt32LE(CENTRAL.local);
    const method = record.readUInt16LE(CENTRAL.method);
    const size = record.readUInt32LE(CENTRAL.compressed);
    if (size === MAX_32 || local === MAX_32) cannotDeflate('zip64 is not supported');
    if (zip.readUInt32LE(local) !== LOCAL.signature) cannotDeflate(`bad local header for entry ${i}`);
    const header = Buffer.from(zip.subarray(local, local + localHeaderLength(zip, local)));
    if (header.readUInt16LE(LOCAL.flags) & DATA_DESCRIPTOR) cannotDeflate('data descriptors are not supported');
    let data: Buffer = zip.subarray(local + header.length, local + header.length + size);
    // Folders (and empty files) stay stored, as JSZip itself writes them.
    if (method === STORED && size > 0) {
      data = zlib.deflateRawSync(data, { level });
      for (const [b, layout] of [[header, LOCAL], [record, CENTRAL]] as const) {
        b.writeUInt16LE(Math.max(b.readUInt16LE(layout.version), VERSION), layout.version);
        b.writeUInt16LE(DEFLATED, layout.method);
        b.writeUInt32LE(data.length, layout.compressed);
      }
    }
    record.writeUInt32LE(offset, CENTRAL.local);
    out.push(header, data);
    central.push(record);
    offset += header.length + data.length;
  }
  const endCopy = Buffer.from(zip.subarray(end));
  endCopy.writeUInt32LE(central.reduce((n, b) => n + b.length, 0), END.directorySize);
  endCopy.writeUInt32LE(offset, END.directoryOffset);
  return Buffer.concat([...out, ...central, endCopy]);
}

/**
 * A zip written to a file front to back in constant memory, for the bench's 1M-row workbook: an
 * in-memory writer would hold the whole sheet. Each entry is deflated by zlib as it streams; its
 * CRC-32 and sizes are then written back into its local header (a positional write), so the zip
 * needs no data descriptors: every local header states its sizes, as Excel's own files do, and
 * {@link localEntries} (parse.ts's zip-bomb check) need not inflate to learn them.
 */
export class ZipWriter {
  private readonly entries: { header: Header; offset: number }[] = [];
  private at = 0;

  private constructor(
    private readonly fh: FileHandle,
    /** zlib level; default 6, zlib's own default and close to what Excel writes. */
    private readonly level: number,
  ) {}

  /** Creates (truncates) `file`. */
  static async create(file: string, level = 6): Promise<ZipWriter> {
    return new ZipWriter(await open(file, 'w'), level);
  }

  /** Adds an entry from strings or buffers, deflated as they come. */
  async add(name: string, content: string | Buffer | Iterable<string | Buffer> | AsyncIterable<string | Buffer>): Promise<void> {
    const header: Header = { name: Buffer.from(name, 'utf8'), method: DEFLATED, crc: 0, compressed: 0, inflated: 0 };
    const offset = this.at;
    await this.write(localHeader(header));
    const source = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
    async function* tap(): AsyncGenerator<Buffer> {
      for await (const piece of source) {
        const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        if (buf.length === 0) continue;
        header.crc = crc32(buf, header.crc);
        header.inflated += buf.length;
        yield buf;
      }
    }
    await pipeline(Readable.from(tap()), zlib.createDeflateRaw({ level: this.level, chunkSize: 1 << 16 }), async (compressed: AsyncIterable<Buffer>) => {
      for await (const chunk of compressed) {
        header.compressed += chunk.length;
        await this.write(chunk);
      }
    });
    checkEntrySize(name, header, offset);
    const local = localHeader(header);
    await this.fh.write(local, 0, local.length, offset);
    this.entries.push({ header, offset });
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    try {
      const start = this.at;
      for (const e of this.entries) await this.write(centralHeader(e.header, e.offset));
      await this.write(endRecord(this.entries.length, this.at - start, start));
    } finally {
      await this.fh.close();
    }
  }

  /** Closes the file without a central directory, after a failed `add` (the caller removes it). */
  async abort(): Promise<void> {
    await this.fh.close();
  }

  private async write(buf: Buffer): Promise<void> {
    await this.fh.write(buf, 0, buf.length, this.at);
    this.at += buf.length;
  }
}
