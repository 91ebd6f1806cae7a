// The order a direct load's COPY lines reach PostgreSQL in (load.ts, StreamLoad's direct path).
//
// A COPY into a table with a primary key inserts each row into the key's B-tree as it comes. In a
// file's order consecutive rows land on leaf pages far apart, and each insert walks to a page that
// is seldom the one the previous insert warmed. Issue 6 measured the server alone, copying the
// bench's million trade rows into a table keyed like trade_flow (psql `\copy`, 2 cores):
//
//   in the file's order                                   5.5–5.7 s
//   in runs of 5,000 rows, each sorted by key             5.2–5.4 s
//   in runs of 50,000 rows, each sorted by key            3.9 s
//   in runs of 65,536 / 131,072 by 4 bytes (as here)      4.4–4.6 / 4.1 s
//   all sorted by key                                     2.5 s
//
// So the lines are held in runs and each run is written grouped by the first four bytes where its
// lines differ (after the prefix every line of the run shares: the reporter, mostly), in the file's
// order within a group: a trade run goes partner by partner. Whole sorts of the lines cost ≈ 1.2 s
// of CPU a million rows (string comparisons); this places each line once, by a counting sort of the
// groups (≈ 0.2 s). The order is a matter of speed only: COPY stores the same rows in any order.
//
// Runs start small and double, so the server starts early, and stop at RUN_LINES: the last run is
// copied after the file is read, and a run's bytes are held twice while it is ordered (≈ 2 × 10 MB).
// The xlsx 1M-row pull into PostgreSQL, three alternating runs each: the server's CPU 6.1–7.1 s in
// the file's order, 4.3–5.8 s in runs of up to 131,072 lines, 4.3–4.9 s up to 65,536 (peak RSS
// 287–309, 301–312, 298–303 MiB).

/** The most lines in one run. */
export const RUN_LINES = 65_536;
/** The first run's lines; each run after holds twice as many, up to RUN_LINES. */
export const FIRST_RUN_LINES = 8_192;

interface Part {
  bytes: Uint8Array;
  ends: Uint32Array;
}

/** One table's COPY lines, gathered into runs and written grouped by key prefix. */
export class CopyRuns {
  private parts: Part[] = [];
  private lines = 0;
  private bytes = 0;
  private limit: number;

  /** `first`: the first run's lines; `most`: the most in any run. */
  constructor(
    first = FIRST_RUN_LINES,
    private readonly most = RUN_LINES,
  ) {
    this.limit = Math.min(first, most);
  }

  /**
   * Adds a batch's lines (`ends`: the offset after each line's newline). Returns the run's bytes in
   * the order to copy once the run is full, else null.
   */
  add(bytes: Uint8Array, ends: Uint32Array): Buffer | null {
    if (ends.length === 0) return null;
    if (ends[ends.length - 1] !== bytes.byteLength) throw new Error(`CopyRuns: ${bytes.byteLength} bytes, but the last line ends at ${ends[ends.length - 1]}`);
    this.parts.push({ bytes, ends });
    this.lines += ends.length;
    this.bytes += bytes.byteLength;
    return this.lines >= this.limit ? this.take() : null;
  }

  /** The lines held (a run not yet full) in the order to copy, or null when there are none. */
  take(): Buffer | null {
    if (this.lines === 0) return null;
    const { parts, lines, bytes } = this;
    this.parts = [];
    this.lines = 0;
    this.bytes = 0;
    this.limit = Math.min(this.limit * 2, this.most);

    // Every line's part and start, in the order the lines came.
    const partOf = new Uint32Array(lines);
    const starts = new Uint32Array(lines);
    const endsAt = new Uint32Array(lines);
    let n = 0;
    for (let p = 0; p < parts.length; p++) {
      const { ends } = parts[p]!;
      let start = 0;
      for (let i = 0; i < ends.length; i++, n++) {
        partOf[n] = p;
        starts[n] = start;
        endsAt[n] = start = ends[i]!;
      }
    }

    // The prefix every line shares (the first line's bytes up to where some line differs).
    const first = parts[0]!.bytes;
    let shared = endsAt[0]!;
    for (let i = 1; i < lines && shared > 0; i++) {
      const b = parts[partOf[i]!]!.bytes;
      const s = starts[i]!;
      const len = Math.min(shared, endsAt[i]! - s);
      let j = 0;
      while (j < len && b[s + j] === first[j]) j++;
      shared = j;
    }

    // Each line's group: its four bytes after the shared prefix (0 past its end). Groups are laid
    // out in the order of those bytes and each line copied to its group's next place, in the order
    // the lines came: the source is read front to back (sorting the lines and gathering them in
    // sorted order read the run at random: twice the time).
    const groupOf = new Map<number, number>();
    const group = new Uint32Array(lines);
    const sizes: number[] = [];
    for (let i = 0; i < lines; i++) {
      const b = parts[partOf[i]!]!.bytes;
      const at = starts[i]! + shared;
      const end = endsAt[i]!;
      let k = 0;
      for (let j = 0; j < 4; j++) k = k * 256 + (at + j < end ? b[at + j]! : 0);
      let g = groupOf.get(k);
      if (g === undefined) {
        g = sizes.length;
        groupOf.set(k, g);
        sizes.push(0);
      }
      group[i] = g;
      sizes[g]! += end - starts[i]!;
    }
    const next = new Float64Array(sizes.length);
    let offset = 0;
    for (const k of [...groupOf.keys()].sort((x, y) => x - y)) {
      const g = groupOf.get(k)!;
      next[g] = offset;
      offset += sizes[g]!;
    }

    const out = Buffer.allocUnsafe(bytes);
    for (let i = 0; i < lines; i++) {
      const g = group[i]!;
      const s = starts[i]!;
      const e = endsAt[i]!;
      out.set(parts[partOf[i]!]!.bytes.subarray(s, e), next[g]!);
      next[g]! += e - s;
    }
    return out;
  }
}
