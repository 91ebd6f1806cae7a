import { describe, expect, it } from 'vitest';
import { CopyRuns, FIRST_RUN_LINES, RUN_LINES } from '../../src/pipelines/copy-runs.js';

/** A batch as the producer sends it: the lines' UTF-8 bytes and where each line ends. */
function batch(lines: readonly string[]): [Uint8Array, Uint32Array] {
  const parts = lines.map((l) => Buffer.from(`${l}\n`, 'utf8'));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => (ends[i] = at += p.length));
  return [Buffer.concat(parts), ends];
}

const text = (b: Buffer | null) => (b === null ? null : b.toString('utf8'));
const linesOf = (b: Buffer | null) => (b === null ? [] : b.toString('utf8').split('\n').slice(0, -1));

describe('CopyRuns', () => {
  it('groups a run by the four bytes after the prefix its lines share, keeping their order within a group', () => {
    const runs = new CopyRuns(6, 6);
    const lines = ['CN-HL\tJapan\texport\t1', 'CN-HL\tKorea\texport\t2', 'CN-HL\tJapan\timport\t3', 'CN-HL\tChina\texport\t4', 'CN-HL\tKorea\timport\t5', 'CN-HL\tJapan\texport\t6'];
    expect(runs.add(...batch(lines.slice(0, 4)))).toBeNull();
    const run = runs.add(...batch(lines.slice(4)));
    // After the shared "CN-HL\t": "Chin" < "Japa" < "Kore"; Japan's three lines in the order they came.
    expect(linesOf(run)).toEqual([lines[3], lines[0], lines[2], lines[5], lines[1], lines[4]]);
    expect(runs.take()).toBeNull();
  });

  it('starts with small runs and doubles them up to the most', () => {
    const runs = new CopyRuns(2, 8);
    const sizes: number[] = [];
    let n = 0;
    for (let i = 0; i < 40; i++) {
      const run = runs.add(...batch([`k${n++}`]));
      if (run !== null) sizes.push(linesOf(run).length);
    }
    expect(sizes).toEqual([2, 4, 8, 8, 8, 8]);
    expect(linesOf(runs.take())).toHaveLength(2);
    expect(FIRST_RUN_LINES).toBeLessThan(RUN_LINES);
  });

  it('loses and changes no line: multi-byte text, lines shorter than the key bytes, one line', () => {
    const runs = new CopyRuns(1000, 1000);
    const lines = ['黒竜江省\t日本\t1.5', '黒竜江省\t日', '黒', '黒竜江省\t𠀋\t\\N', '黒竜江省\t日本\t1.5', 'ab\tc', ''];
    expect(runs.add(...batch(lines))).toBeNull();
    const out = runs.take();
    expect(linesOf(out).sort()).toEqual([...lines].sort());
    expect(out!.length).toBe(Buffer.byteLength(lines.map((l) => `${l}\n`).join('')));
    const one = new CopyRuns();
    one.add(...batch(['only']));
    expect(text(one.take())).toBe('only\n');
  });

  it('holds a thousand random lines across batches and gives every one back once', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const all = Array.from({ length: 1000 }, (_, i) => `CN-HL\t${['Japan', 'Korea', 'Russia', 'Jamaica'][Math.floor(rand() * 4)]}\t${Math.floor(rand() * 1e6)}\t${i}`);
    const runs = new CopyRuns(64, 256);
    const got: string[] = [];
    for (let i = 0; i < all.length; i += 37) got.push(...linesOf(runs.add(...batch(all.slice(i, i + 37)))));
    got.push(...linesOf(runs.take()));
    expect([...got].sort()).toEqual([...all].sort());
  });

  it('refuses bytes whose last line does not end where the bytes do', () => {
    const [bytes, ends] = batch(['a', 'b']);
    expect(() => new CopyRuns().add(bytes, ends.subarray(0, 1))).toThrow(/last line ends at 2/);
    expect(new CopyRuns().add(new Uint8Array(0), new Uint32Array(0))).toBeNull();
  });
});
