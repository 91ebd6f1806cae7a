// The streaming CSV path (issue 6) against the whole-grid path: every file below is pulled twice
// into fresh warehouses — once read whole, once streamed — and the warehouses, the run results and
// the ingest_run rows must be identical. The files are long enough (≥ 2,600 rows) that the body
// streams past the 2,000-row head, and they carry what could tell the paths apart: notes and a
// second table below the first, duplicates far apart, rejects, the reject-share gate, BOMs, UTF-16,
// CRLF, quoted line breaks, ragged rows, revisions on a re-pull, and small batches.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Papa from 'papaparse';
import { parseBuffer, streamCsv } from '../../src/pipelines/parse.js';
import { SheetStream, shape } from '../../src/pipelines/shape/index.js';
import { largeYoungGeneration } from '../../src/pipelines/stream.js';
import type { CellValue, SourceRecord } from '../../src/pipelines/types.js';
import type { DialectName } from '../../src/warehouse/dialect.js';
import { DIALECTS, postgresAvailable } from '../helpers/warehouse.js';
import { pullVersions, type PullOutcome } from '../helpers/stream.js';
import { project } from '../faults/helpers.js';

const pgUp = await postgresAvailable();

const PARTNERS = ['Japan', 'Korea', 'Russia', 'Germany', 'United States', 'Mongolia', 'France', 'India'];

/** A long trade table of `rows` rows (period, partner, flow, value), with `edit` applied to each row. */
function longCsv(rows: number, opts: { edit?: (cells: string[], i: number) => string[] | null; eol?: string; head?: string[]; tail?: string[]; version?: number } = {}): string {
  const eol = opts.eol ?? '\n';
  const lines = [...(opts.head ?? []), 'period,partner,flow,value'];
  let i = 0;
  for (let y = 1900; i < rows; y++) {
    for (let m = 1; m <= 12 && i < rows; m++) {
      for (const p of PARTNERS) {
        for (const f of ['export', 'import']) {
          if (i >= rows) break;
          const value = String(((i * 7919) % 10007) / 10 + (opts.version ?? 0));
          const cells = opts.edit ? opts.edit([`${y}-${String(m).padStart(2, '0')}`, p, f, value], i) : [`${y}-${String(m).padStart(2, '0')}`, p, f, value];
          if (cells) lines.push(cells.join(','));
          i++;
        }
      }
    }
  }
  return `${[...lines, ...(opts.tail ?? [])].join(eol)}${eol}`;
}

interface Variant {
  name: string;
  bytes: Buffer | (() => Buffer);
  /** Extra source config (YAML flow-map entries). */
  extra?: string;
  /** The streamed pull is expected to fall back to the whole grid. */
  fallback?: boolean;
  /** A second file pulled after the first (revisions). */
  then?: Buffer;
  /** What the whole-grid pull must show, so the case tests what its name says. */
  expect?: (o: Outcome) => void;
}

const rejectsWith = (o: Outcome, text: string | RegExp) => o.tables.reject!.filter((r) => (typeof text === 'string' ? String(r).includes(text) : text.test(String(r)))).length;

const utf8 = (s: string) => Buffer.from(s, 'utf8');

const VARIANTS: Variant[] = [
  { name: 'plain long table', bytes: utf8(longCsv(2600)) },
  { name: 'CRLF, BOM, quoted fields with commas and line breaks', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(longCsv(2600, { eol: '\r\n', edit: (c, i) => (i % 97 === 0 ? [c[0]!, `"${c[1]}"`, c[2]!, `"${c[3]}"`] : c) }))]) },
  {
    name: 'title, unit row, notes and a second table below',
    bytes: utf8(
      longCsv(2600, {
        head: ['Trade of the province by partner', '单位：万美元', ''],
        tail: ['', '注：1990年以前为海关口径。', 'Source: customs, https://example.org/trade', '', 'Second table', 'period,partner,flow,value', '2020,Japan,export,5', '2020,Korea,export,6', '', 'Note: the second table is provisional.'],
      }),
    ),
    expect: (o) => {
      expect(o.tables.source_file![0]).toMatch(/海关口径.*provisional/);
      expect(o.tables.trade_flow!.some((r) => String(r).includes('"period":"2020"'))).toBe(true);
    },
  },
  {
    name: 'duplicates far apart, rejects and missing values',
    bytes: utf8(
      longCsv(2600, {
        edit: (c, i) => {
          if (i === 2500) return ['1900-01', 'Japan', 'export', '99']; // duplicates row 0's key
          if (i === 2501) return ['1900-01', 'Japan', 'export', '98'];
          if (i % 211 === 5) return [c[0]!, 'Atlantis', c[2]!, c[3]!];
          if (i % 173 === 6) return [c[0]!, c[1]!, c[2]!, 'abc'];
          if (i % 101 === 7) return [c[0]!, c[1]!, c[2]!, '—'];
          return c;
        },
      }),
    ),
    expect: (o) => {
      // The sheet is the archived file's name (its sha256), quoted as Excel quotes it.
      expect(rejectsWith(o, /duplicate: the same fact as '?[0-9a-f]{64}'?!D2"/)).toBe(2);
      expect(rejectsWith(o, 'Atlantis')).toBeGreaterThan(5);
      expect(o.results[0]!.message).toMatch(/skipped \(missing\)/);
    },
  },
  {
    name: 'over the reject-share gate',
    bytes: utf8(longCsv(2600, { edit: (c, i) => (i % 3 === 0 ? c : [c[0]!, 'Atlantis', c[2]!, c[3]!]) })),
    expect: (o) => {
      expect(o.results[0]!.status).toBe('failed');
      expect(o.tables.trade_flow).toEqual([]);
      expect(o.tables.reject!.length).toBeGreaterThan(1000);
    },
  },
  { name: 'a duplicate is the first reject', bytes: utf8(longCsv(2600, { edit: (c, i) => (i === 2400 ? ['1900-01', 'Japan', 'export', '1'] : i > 2500 ? [c[0]!, 'Atlantis', c[2]!, c[3]!] : c) })), extra: 'max_reject_share: 0.001', expect: (o) => expect(o.results[0]!.message).toMatch(/first: '?[0-9a-f]{64}'?!D2402: duplicate: the same fact as '?[0-9a-f]{64}'?!D2;/) },
  { name: 'UTF-16LE with a BOM', bytes: () => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(longCsv(2600), 'utf-16le')]) },
  { name: 'ragged rows', bytes: utf8(longCsv(2600, { edit: (c, i) => (i % 50 === 7 ? [...c, '', 'extra'] : i % 60 === 9 ? c.slice(0, 3) : c) })) },
  {
    name: 'a re-pull revises values',
    bytes: utf8(longCsv(2600)),
    then: utf8(longCsv(2600, { edit: (c, i) => (i % 100 === 0 ? [c[0]!, c[1]!, c[2]!, '12345'] : c) })),
    expect: (o) => expect(o.tables.revision!.length).toBe(26),
  },
  { name: 'GB18030 falls back to the whole grid', bytes: iconv.encode(longCsv(2600, { head: ['黑龙江省对外贸易'] }), 'gb18030'), fallback: true },
  { name: 'label_columns with a wider row falls back', bytes: utf8(longCsv(2600, { edit: (c, i) => (i === 2300 ? [...c, '7'] : c) })), extra: 'layout: { label_columns: 3 }', fallback: true },
];

afterEach(() => {
  vi.unstubAllEnvs();
});

type Outcome = PullOutcome;

async function pullBoth(dialect: DialectName, v: Variant, streamed: boolean, batch?: number): Promise<Outcome> {
  vi.stubEnv('TRADEBRIEF_CSV_STREAM_MIN_BYTES', streamed ? '0' : String(2 ** 50));
  if (batch !== undefined) vi.stubEnv('TRADEBRIEF_CSV_STREAM_BATCH', String(batch));
  return pullVersions(dialect, 'trade.csv', [typeof v.bytes === 'function' ? v.bytes() : v.bytes, ...(v.then ? [v.then] : [])], v.extra);
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`streaming CSV pull = whole-grid pull on ${dialect}`, () => {
    for (const v of VARIANTS) {
      it(v.name, async () => {
        const whole = await pullBoth(dialect, v, false);
        // One batch, and batches of 97 facts (duplicates and rejects across batches).
        for (const batch of [20_000, 97]) {
          const streamed = await pullBoth(dialect, v, true, batch);
          expect(streamed.results).toEqual(whole.results);
          expect(streamed.tables).toEqual(whole.tables);
          const fellBack = streamed.log.some((l) => l.includes('read whole, not streamed'));
          expect(fellBack).toBe(v.fallback === true);
        }
        expect(whole.results[0]!.rowsRead).toBeGreaterThan(0);
        if (v.expect) v.expect(whole);
      }, 60_000);
    }
  });
}

describe('young generation of the producer thread', () => {
  it('is enlarged for direct loads but a CSV into SQLite, which must stay under 300 MiB, and never for staged loads', () => {
    expect(largeYoungGeneration({ direct: 'copy', format: 'csv' })).toBe(true);
    expect(largeYoungGeneration({ direct: 'copy', format: 'xlsx' })).toBe(true);
    expect(largeYoungGeneration({ direct: 'rows', format: 'xlsx' })).toBe(true);
    expect(largeYoungGeneration({ direct: 'rows', format: 'csv' })).toBe(false);
    expect(largeYoungGeneration({ format: 'xlsx' })).toBe(false);
    expect(largeYoungGeneration({ format: 'csv' })).toBe(false);
  });
});

describe('streamCsv reads what parseFile reads', () => {
  const files = ['utf8.csv', 'utf8-bom.csv'].map((f) => path.join(import.meta.dirname, '../fixtures/parse', f));
  const generated = [
    longCsv(3000, { eol: '\r\n', edit: (c, i) => (i % 13 === 0 ? [c[0]!, `"a ""quoted""\r\nline ${i}"`, c[2]!, c[3]!] : c) }),
    longCsv(3000, { eol: '\r', edit: (c, i) => (i % 11 === 0 ? [c[0]!, `"x,\ry"`, '', c[3]!] : c) }),
    `${longCsv(500)}\n""`,
    `${longCsv(500)}\n\n\n`,
    longCsv(500).replace(/\n$/, ''),
    longCsv(500).replaceAll(',', '\t'),
  ];
  const cases = [...files.map((f) => ({ name: path.basename(f), bytes: readFileSync(f) })), ...generated.map((g, i) => ({ name: `generated-${i}`, bytes: utf8(g) }))];
  for (const c of cases) {
    for (const chunkBytes of [7, 1000, 1 << 20]) {
      it(`${c.name} in ${chunkBytes}-byte reads`, async () => {
        const file = path.join(project('').dir, 'data', `${c.name}.csv`);
        writeFileSync(file, c.bytes);
        const whole = parseBuffer(c.bytes, { fileName: path.basename(file) }).sheets[0]!;
        const rows: CellValue[][] = [];
        const info = await streamCsv(file, { name: c.name, chunkBytes }, (batch) => {
          for (const r of batch) rows.push(r);
        });
        expect(info.sheet).toBe(whole.sheet);
        const width = whole.rows[0]?.length ?? 0;
        expect(rows.map((r) => [...r, ...new Array<null>(Math.max(0, width - r.length)).fill(null)])).toEqual(whole.rows);
      });
    }
  }
  it('papaparse is the parser both use', () => {
    expect(typeof Papa.Parser).toBe('function');
  });
});

describe('SheetStream shapes as shape does', () => {
  const texts = [
    longCsv(2600, { head: ['Title', '单位：万美元', ''], tail: ['', '注：note', 'continued', '', 'T2', 'period,partner,flow,value', '2020,Japan,export,5', '', 'Note: x'] }),
    longCsv(2600, { edit: (c, i) => (i % 500 === 3 ? ['', '', '', ''] : i % 500 === 4 ? ['亚洲', '', '', ''] : c) }),
    longCsv(2600, { tail: ['', 'period,partner,flow,value', '2021,Japan,export,1'] }),
  ];
  texts.forEach((text, k) => {
    it(`text ${k}`, () => {
      const grid = parseBuffer(utf8(text), { fileName: 't.csv' }).sheets[0]!;
      const opts = { dataset: 'trade' as const, fixed: { reporter: 'CN-HL' } };
      const expected = shape([grid], opts);
      const got: SourceRecord[] = [];
      const s = new SheetStream(grid.sheet, opts, (r) => got.push(r));
      for (const row of grid.rows) s.push(row.map((v) => v));
      const end = s.end();
      expect(got).toEqual(expected.records);
      expect(end.tables).toEqual(expected.tables);
      expect(end.warnings).toEqual(expected.warnings);
    });
  });
});
