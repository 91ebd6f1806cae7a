// A zip written front to back with constant memory, for the bench's large workbook: SheetJS builds
// the whole workbook in memory, and a 1M-row sheet does not fit (reports/render/deflate-zip.ts
// rewrites a finished zip buffer, so it cannot help). Each entry is deflated by zlib as it streams;
// its CRC-32 and sizes are then written back into its local header (positional writes), so the zip
// needs no data descriptors: every local header states its sizes, as Excel's own files do, and
// readers that walk the local headers (parse.ts's zip-bomb check) need not inflate to learn them.
// No zip64: an entry or the whole file past 4 GiB is an error, never a broken zip.
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const DEFLATED = 8;
/** "Version needed to extract" for deflate (APPNOTE 4.4.3). */
const VERSION = 20;
/** 1980-01-01 00:00, the earliest DOS date: a fixed time keeps the same seed's file byte-identical. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_32 = 0xffffffff;

let table: Uint32Array | null = null;

/** CRC-32 without zlib.crc32, which Node has only since 20.15 (package.json allows any 20). */
function tableCrc32(data: Buffer, crc = 0): number {
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

const crc32: (data: Buffer, crc?: number) => number = typeof zlib.crc32 === 'function' ? zlib.crc32 : tableCrc32;

interface Written {
  name: Buffer;
  crc: number;
  size: number;
  inflated: number;
  offset: number;
}

export class ZipWriter {
  private readonly entries: Written[] = [];
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
    const nameBytes = Buffer.from(name, 'utf8');
    const offset = this.at;
    await this.write(localHeader(nameBytes, 0, 0, 0));
    let crc = 0;
    let inflated = 0;
    let size = 0;
    const source = typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content;
    async function* tap(): AsyncGenerator<Buffer> {
      for await (const piece of source) {
        const buf = typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece;
        // zlib.crc32 of an empty buffer without a backing store (crypto.randomBytes(0)) is 0, not
        // the running value: zlib's crc32() returns 0 for a null pointer.
        if (buf.length === 0) continue;
        crc = crc32(buf, crc);
        inflated += buf.length;
        yield buf;
      }
    }
    await pipeline(Readable.from(tap()), zlib.createDeflateRaw({ level: this.level, chunkSize: 1 << 16 }), async (compressed: AsyncIterable<Buffer>) => {
      for await (const chunk of compressed) {
        size += chunk.length;
        await this.write(chunk);
      }
    });
    if (inflated > MAX_32 || size > MAX_32 || offset > MAX_32) throw new Error(`zip: ${name} needs zip64 (over 4 GiB), which this writer does not write`);
    await this.fh.write(localHeader(nameBytes, crc, size, inflated), 0, 30 + nameBytes.length, offset);
    this.entries.push({ name: nameBytes, crc, size, inflated, offset });
  }

  /** Writes the central directory and closes the file. */
  async close(): Promise<void> {
    try {
      const start = this.at;
      for (const e of this.entries) await this.write(centralHeader(e));
      if (this.entries.length > 0xffff || this.at > MAX_32) throw new Error('zip: the archive needs zip64 (over 4 GiB or 65,535 entries), which this writer does not write');
      const end = Buffer.alloc(22);
      end.writeUInt32LE(END, 0);
      end.writeUInt16LE(this.entries.length, 8);
      end.writeUInt16LE(this.entries.length, 10);
      end.writeUInt32LE(this.at - start, 12);
      end.writeUInt32LE(start, 16);
      await this.write(end);
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

function localHeader(name: Buffer, crc: number, size: number, inflated: number): Buffer {
  const h = Buffer.alloc(30 + name.length);
  h.writeUInt32LE(LOCAL, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(0, 6);
  h.writeUInt16LE(DEFLATED, 8);
  h.writeUInt16LE(DOS_TIME, 10);
  h.writeUInt16LE(DOS_DATE, 12);
  h.writeUInt32LE(crc >>> 0, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(inflated, 22);
  h.writeUInt16LE(name.length, 26);
  h.writeUInt16LE(0, 28);
  name.copy(h, 30);
  return h;
}

function centralHeader(e: Written): Buffer {
  const h = Buffer.alloc(46 + e.name.length);
  h.writeUInt32LE(CENTRAL, 0);
  h.writeUInt16LE(VERSION, 4);
  h.writeUInt16LE(VERSION, 6);
  h.writeUInt16LE(0, 8);
  h.writeUInt16LE(DEFLATED, 10);
  h.writeUInt16LE(DOS_TIME, 12);
  h.writeUInt16LE(DOS_DATE, 14);
  h.writeUInt32LE(e.crc >>> 0, 16);
  h.writeUInt32LE(e.size, 20);
  h.writeUInt32LE(e.inflated, 24);
  h.writeUInt16LE(e.name.length, 28);
  // Extra field, comment, disk number, attributes: all zero.
  h.writeUInt32LE(e.offset, 42);
  e.name.copy(h, 46);
  return h;
}
