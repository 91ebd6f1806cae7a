// The streaming xlsx path (issue 6) against the whole-grid path, as tests/pipelines/stream.test.ts
// does for CSV: every workbook below is pulled twice into fresh warehouses — once read whole by
// SheetJS, once streamed by xlsx-stream.ts — and the warehouses, run results and ingest_run rows
// must be identical. Each data sheet is long enough (≥ 2,600 rows) to stream past the 2,000-row
// head, and the workbooks carry what could tell the paths apart: several sheets, a configured
// sheet among others, a Sources sheet whose URL lines become the file's notes, dates as period
// cells, titles and notes around the table, rejects and duplicates, and merged cells (which only
// the whole grid honours, so the stream falls back).
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadReference, type Reference } from '../../src/pipelines/reference.js';
import type { DialectName } from '../../src/warehouse/dialect.js';
import { DIALECTS, postgresAvailable } from '../helpers/warehouse.js';
import { pullVersions, type PullOutcome } from '../helpers/stream.js';

const pgUp = await postgresAvailable();

const PARTNERS = ['Japan', 'Korea', 'Russia', 'Germany', 'United States', 'Mongolia', 'France', 'India'];

/** A long trade table as rows (period, partner, flow, value), `edit` applied to each. */
function longRows(rows: number, edit?: (cells: unknown[], i: number) => unknown[] | null): unknown[][] {
  const out: unknown[][] = [['period', 'partner', 'flow', 'value']];
  let i = 0;
  for (let y = 1900; i < rows; y++) {
    for (let m = 1; m <= 12 && i < rows; m++) {
      for (const p of PARTNERS) {
        for (const f of ['export', 'import']) {
          if (i >= rows) break;
          const cells = [`${y}-${String(m).padStart(2, '0')}`, p, f, ((i * 7919) % 10007) / 10];
          const edited = edit ? edit(cells, i) : cells;
          if (edited) out.push(edited);
          i++;
        }
      }
    }
  }
  return out;
}

function sheetJsBook(sheets: { name: string; rows: unknown[][]; merges?: XLSX.Range[] }[]): Buffer {
  const wb = XLSX.utils.book_new();
  for (const s of sheets) {
    const ws = XLSX.utils.aoa_to_sheet(s.rows, { cellDates: true });
    if (s.merges) ws['!merges'] = s.merges;
    XLSX.utils.book_append_sheet(wb, ws, s.name);
  }
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }) as Buffer;
}

const SOURCES = { name: 'Sources', rows: [['资料来源 Sources'], ['Customs', 'https://example.org/customs?year=2020'], ['No link here']] };

interface Variant {
  name: string;
  bytes: () => Buffer | Promise<Buffer>;
  extra?: string;
  fallback?: boolean;
  expect?: (o: Outcome) => void;
}

const VARIANTS: Variant[] = [
  {
    name: 'a long table and a Sources sheet',
    bytes: () => sheetJsBook([{ name: 'Data', rows: longRows(2600) }, SOURCES]),
    expect: (o) => expect(o.tables.source_file![0]).toContain('https://example.org/customs?year=2020'),
  },
  {
    name: 'title, unit row, CJK labels, notes and a second table below',
    bytes: () =>
      sheetJsBook([
        {
          name: '贸易',
          rows: [
            ['黑龙江省对外贸易 Trade of the province by partner'],
            ['单位：万美元'],
            [],
            ...longRows(2600),
            [],
            ['注：1990年以前为海关口径。'],
            [],
            ['Second table'],
            ['period', 'partner', 'flow', 'value'],
            ['2020', 'Japan', 'export', 5],
            [],
            ['Note: the second table is provisional.'],
          ],
        },
      ]),
    expect: (o) => expect(o.tables.source_file![0]).toMatch(/海关口径.*provisional/),
  },
  {
    name: 'the configured sheet among others, one of them missing',
    bytes: () => sheetJsBook([{ name: 'Other', rows: longRows(50) }, SOURCES, { name: 'Data', rows: longRows(2600, (c) => [c[0], c[1], c[2], (c[3] as number) + 1]) }]),
    extra: 'sheet: [Data, Nope]',
    expect: (o) => {
      expect(o.log.some((l) => l.includes('sheet "Nope" not found'))).toBe(true);
      expect(o.tables.source_file![0]).toContain('example.org');
    },
  },
  {
    name: 'duplicates far apart, rejects and missing values',
    bytes: () =>
      sheetJsBook([
        {
          name: 'Data',
          rows: longRows(2600, (c, i) => {
            if (i === 2500) return ['1900-01', 'Japan', 'export', 99];
            if (i % 211 === 5) return [c[0], 'Atlantis', c[2], c[3]];
            if (i % 173 === 6) return [c[0], c[1], c[2], 'abc'];
            if (i % 101 === 7) return [c[0], c[1], c[2], null];
            return c;
          }),
        },
      ]),
    expect: (o) => expect(o.tables.reject!.filter((r) => /duplicate: the same fact as '?Data'?!D2\b/.test(String(r))).length).toBe(1),
  },
  {
    name: 'ExcelJS: months as date cells, values with number formats',
    bytes: async () => {
      const wb = new ExcelJS.Workbook();
      const ws = wb.addWorksheet('Monthly');
      ws.addRow(['month', 'partner', 'flow', 'value (US$)']);
      for (const [i, row] of longRows(2600).slice(1).entries()) {
        const [y, m] = String(row[0]).split('-').map(Number);
        const r = ws.addRow([new Date(Date.UTC(2000 + (y! - 1900), m! - 1, 1)), row[1], row[2], row[3]]);
        r.getCell(1).numFmt = 'yyyy-mm';
        r.getCell(4).numFmt = i % 2 ? '#,##0.0' : '0.00%';
      }
      return Buffer.from(await wb.xlsx.writeBuffer());
    },
  },
  {
    name: 'a merged title and a merged two-row header',
    bytes: () =>
      sheetJsBook([
        {
          name: 'Data',
          rows: [['黑龙江省对外贸易'], ['period', 'partner', 'flow', 'value'], [null, null, null, 'US$'], ...longRows(2600).slice(1)],
          merges: [
            { s: { r: 0, c: 0 }, e: { r: 0, c: 3 } },
            { s: { r: 1, c: 0 }, e: { r: 2, c: 0 } },
            { s: { r: 1, c: 1 }, e: { r: 2, c: 1 } },
          ],
        },
      ]),
  },
  {
    name: 'a merge below the first rows falls back to the whole grid',
    bytes: () => sheetJsBook([{ name: 'Data', rows: longRows(2600), merges: [{ s: { r: 2500, c: 1 }, e: { r: 2501, c: 1 } }] }]),
    fallback: true,
  },
];

afterEach(() => {
  vi.unstubAllEnvs();
});

type Outcome = PullOutcome;

async function pullOnce(dialect: DialectName, v: Variant, bytes: Buffer, streamed: boolean, batch?: number, reference?: Reference): Promise<Outcome> {
  vi.stubEnv('TRADEBRIEF_XLSX_STREAM_MIN_BYTES', streamed ? '0' : String(2 ** 50));
  if (batch !== undefined) vi.stubEnv('TRADEBRIEF_CSV_STREAM_BATCH', String(batch));
  return pullVersions(dialect, 'trade.xlsx', [bytes], v.extra, reference);
}

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`streaming xlsx pull = whole-grid pull on ${dialect}`, () => {
    for (const v of VARIANTS) {
      it(v.name, async () => {
        const bytes = await v.bytes();
        const whole = await pullOnce(dialect, v, bytes, false);
        for (const batch of [20_000, 97]) {
          const streamed = await pullOnce(dialect, v, bytes, true, batch);
          expect(streamed.results).toEqual(whole.results);
          expect(streamed.tables).toEqual(whole.tables);
          const fellBack = streamed.log.filter((l) => l.includes('read whole, not streamed'));
          expect(fellBack.length > 0).toBe(v.fallback === true);
          const untimed = (log: string[]) => log.filter((l) => !l.includes('read whole, not streamed')).map((l) => l.replace(/ in [\d.]+m?s\b/, ''));
          expect(untimed(streamed.log)).toEqual(untimed(whole.log));
        }
        expect(whole.results[0]!.status).toBe('loaded');
        expect(whole.results[0]!.rowsLoaded).toBeGreaterThan(2000);
        if (v.expect) v.expect(whole);
      }, 60_000);
    }

    it('the producer on this thread (code lists passed in) loads the same', async () => {
      const v = VARIANTS.find((x) => x.name.startsWith('duplicates'))!;
      const bytes = await v.bytes();
      const whole = await pullOnce(dialect, v, bytes, false);
      const here = await pullOnce(dialect, v, bytes, true, 97, loadReference());
      expect(here.tables).toEqual(whole.tables);
      expect(here.log.some((l) => l.includes('read whole, not streamed'))).toBe(false);
    }, 60_000);
  });
}
