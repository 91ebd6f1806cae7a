// A stored (uncompressed) zip → the same zip with its files deflated by Node's zlib.
//
// exceljs zips a workbook with JSZip, which deflates in JavaScript (pako): about a third of a
// workbook's time, most of it the deflater warming up in a short-lived process (issue 6). Asked
// to store instead, JSZip still writes every header and checksum (a file's CRC-32 is that of its
// uncompressed bytes, so compressing does not change it); here each file is deflated natively and
// the headers are rewritten with the new method and sizes. Same files, same names, same order.

import { deflateRawSync } from 'node:zlib';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;
const STORED = 0;
const DEFLATED = 8;
/** "Version needed to extract" for deflate (APPNOTE 4.4.3). */
const DEFLATE_VERSION = 20;
/** General purpose flag bit 3: sizes in a data descriptor after the data, not in the header. */
const DATA_DESCRIPTOR = 0x0008;

function fail(why: string): never {
  throw new Error(`deflateStoredZip: ${why}`);
}

/** Offset of the end of central directory record (searching back past a comment). */
function findEnd(zip: Buffer): number {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === END) return at;
  }
  return fail('no end of central directory');
}

/**
 * Deflates every stored, non-empty file of a zip as written by JSZip with `compression: 'STORE'`:
 * one disk, no zip64, no data descriptors (anything else is an error, never a broken zip).
 */
export function deflateStoredZip(zip: Buffer, level = 6): Buffer {
  const end = findEnd(zip);
  const count = zip.readUInt16LE(end + 10);
  const cdSize = zip.readUInt32LE(end + 12);
  const cdOffset = zip.readUInt32LE(end + 16);
  if (zip.readUInt16LE(end + 4) !== 0 || zip.readUInt16LE(end + 8) !== count || cdOffset + cdSize > end) fail('not a single-disk zip');

  const out: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL) fail(`bad central directory entry ${i}`);
    const cdLength = 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const entry = Buffer.from(zip.subarray(at, at + cdLength));
    at += cdLength;
    const local = entry.readUInt32LE(42);
    const method = entry.readUInt16LE(10);
    const size = entry.readUInt32LE(20);
    if (size === 0xffffffff || local === 0xffffffff) fail('zip64 is not supported');
    if (zip.readUInt32LE(local) !== LOCAL) fail(`bad local header for entry ${i}`);
    const header = Buffer.from(zip.subarray(local, local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)));
    if (header.readUInt16LE(6) & DATA_DESCRIPTOR) fail('data descriptors are not supported');
    let data: Buffer = zip.subarray(local + header.length, local + header.length + size);
    // Folders (and empty files) stay stored, as JSZip itself writes them.
    if (method === STORED && size > 0) {
      data = deflateRawSync(data, { level });
      for (const [buf, base] of [[header, 0], [entry, 2]] as const) {
        buf.writeUInt16LE(Math.max(buf.readUInt16LE(base + 4), DEFLATE_VERSION), base + 4);
        buf.writeUInt16LE(DEFLATED, base + 8);
        buf.writeUInt32LE(data.length, base + 18);
      }
    }
    entry.writeUInt32LE(offset, 42);
    out.push(header, data);
    central.push(entry);
    offset += header.length + data.length;
  }
  const endRecord = Buffer.from(zip.subarray(end));
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  endRecord.writeUInt32LE(centralSize, 12);
  endRecord.writeUInt32LE(offset, 16);
  return Buffer.concat([...out, ...central, endRecord]);
}
