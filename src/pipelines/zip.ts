// Reading a zip archive's central directory, and writing a copy with one entry replaced: what the
// workbook readers need beyond detect-format.ts's walk of local headers. The central directory is
// the archive's own index (sizes and CRCs even where a streaming writer left them out of the local
// headers), so entries are found without scanning compressed data for signatures.
import { crc32, deflateRawSync } from 'node:zlib';

/** The archive uses what these readers do not: zip64, encryption, a method other than store or deflate, damage. */
export class ZipUnsupported extends Error {
  override name = 'ZipUnsupported';
}

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
  const eocd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]), Math.max(0, buf.length - 22));
  if (eocd < 0 || eocd < buf.length - 22 - 0xffff) throw new ZipUnsupported('no end of central directory');
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new ZipUnsupported('a zip64 archive');
  const entries = new Map<string, CentralEntry>();
  for (let i = 0; i < count; i++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw new ZipUnsupported('a damaged central directory');
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const crc = buf.readUInt32LE(at + 16);
    const compressed = buf.readUInt32LE(at + 20);
    const inflated = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength).replace(/^\//, '');
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 0x01) throw new ZipUnsupported(`${name} is encrypted`);
    if (method !== 0 && method !== 8) throw new ZipUnsupported(`${name} uses zip method ${method}`);
    if (compressed === 0xffffffff || inflated === 0xffffffff || local === 0xffffffff) throw new ZipUnsupported('a zip64 archive');
    if (local + 30 > buf.length || buf.readUInt32LE(local) !== 0x04034b50) throw new ZipUnsupported(`a damaged local header for ${name}`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    if (start + compressed > buf.length) throw new ZipUnsupported(`${name} runs past the end of the file`);
    entries.set(name, { name, method, crc, compressed, inflated, start });
  }
  return entries;
}

/**
 * A new archive with the same entries in the same order, the compressed data copied as is, except
 * `name`, whose content becomes `data` (deflated). Local headers are written with their sizes (no
 * data descriptors).
 */
export function replaceEntry(buf: Buffer, entries: Map<string, CentralEntry>, name: string, data: Buffer): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries.values()) {
    const replaced = e.name === name;
    const body = replaced ? deflateRawSync(data) : buf.subarray(e.start, e.start + e.compressed);
    const method = replaced ? 8 : e.method;
    const crc = replaced ? crc32(data) : e.crc;
    const inflated = replaced ? data.length : e.inflated;
    const fileName = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(inflated, 22);
    local.writeUInt16LE(fileName.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(0x0800, 8);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(body.length, 20);
    dir.writeUInt32LE(inflated, 24);
    dir.writeUInt16LE(fileName.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    central.push(dir, fileName);
    offset += 30 + fileName.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.size, 8);
  end.writeUInt16LE(entries.size, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}
