// A hand-written zip writer, enough for the fault suite's hostile workbooks: no zip library is
// installed, and SheetJS's own writer would have to hold (and deflate) the inflated bomb in memory.
// An entry can be given as one chunk repeated many times: the chunk is deflated once with a sync
// flush (byte-aligned, no final bit), and the blocks are concatenated, which is a valid deflate stream
// whose inflated size is chunk × times — a zip bomb of a few hundred kB.
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** The content, or a chunk and how many times it repeats; `head`/`tail` wrap the repetition. */
  data: Buffer | { head: Buffer; chunk: Buffer; times: number; tail: Buffer };
  /** Lie about the inflated size in the headers (a bomb that hides). Default: the true size. */
  declaredSize?: number;
}

export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let crc: number;
    let size: number;
    let body: Buffer;
    if (Buffer.isBuffer(e.data)) {
      crc = crc32(e.data);
      size = e.data.length;
      body = deflateRawSync(e.data);
    } else {
      const { head, chunk, times, tail } = e.data;
      const flush = { finishFlush: constants.Z_SYNC_FLUSH };
      const block = deflateRawSync(chunk, flush);
      crc = crc32(head);
      for (let i = 0; i < times; i++) crc = crc32(chunk, crc);
      crc = crc32(tail, crc);
      size = head.length + chunk.length * times + tail.length;
      body = Buffer.concat([deflateRawSync(head, flush), ...new Array<Buffer>(times).fill(block), deflateRawSync(tail)]);
    }
    if (size >= 2 ** 32) throw new Error(`${e.name}: ${size} bytes needs zip64, which this writer does not do`);
    const declared = e.declaredSize ?? size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt16LE(8, 10);
    cd.writeUInt16LE(0, 12);
    cd.writeUInt16LE(0x21, 14);
    cd.writeUInt32LE(crc >>> 0, 16);
    cd.writeUInt32LE(body.length, 20);
    cd.writeUInt32LE(declared, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(cd, name);
    offset += local.length + name.length + body.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}
