// Hostile zips for the fault suite, written by src/zip.ts: SheetJS's own writer would have to hold
// (and deflate) the inflated bomb in memory. What this adds is the lying. An entry can be given as
// one chunk repeated many times: the chunk is deflated once with a sync flush (byte-aligned, no
// final bit), and the blocks are concatenated, which is a valid deflate stream whose inflated size
// is chunk × times — a zip bomb of a few hundred kB. And its headers can understate that size.
import { constants, deflateRawSync } from 'node:zlib';
import { crc32, DEFLATED, writeZip as zip } from '../../src/zip.js';

export interface ZipEntry {
  name: string;
  /** The content, or a chunk and how many times it repeats; `head`/`tail` wrap the repetition. */
  data: Buffer | { head: Buffer; chunk: Buffer; times: number; tail: Buffer };
  /** Lie about the inflated size in the headers (a bomb that hides). Default: the true size. */
  declaredSize?: number;
}

/** The entries deflated, in their order. */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  return zip(
    entries.map((e) => {
      if (Buffer.isBuffer(e.data)) return { name: e.name, method: DEFLATED, crc: crc32(e.data), inflated: e.declaredSize ?? e.data.length, compressed: deflateRawSync(e.data) };
      const { head, chunk, times, tail } = e.data;
      const size = head.length + chunk.length * times + tail.length;
      if (size >= 2 ** 32) throw new Error(`${e.name}: ${size} bytes needs zip64, which this writer does not do`);
      let crc = crc32(head);
      for (let i = 0; i < times; i++) crc = crc32(chunk, crc);
      crc = crc32(tail, crc);
      const flush = { finishFlush: constants.Z_SYNC_FLUSH };
      const block = deflateRawSync(chunk, flush);
      const compressed = Buffer.concat([deflateRawSync(head, flush), ...new Array<Buffer>(times).fill(block), deflateRawSync(tail)]);
      return { name: e.name, method: DEFLATED, crc, inflated: e.declaredSize ?? size, compressed };
    }),
  );
}
