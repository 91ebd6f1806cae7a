import { MessageChannel } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { copyLiner, directKeyCount, directRowColumns, keyOrder, NON_KEY, packedFill, packRows, reader, rowPusher, StageEncoder, stageColumns, transferables, type EncodedTable, type StageIdentity } from '../../src/pipelines/stage-encode.js';
import type { Fact } from '../../src/pipelines/types.js';
import { copyEscape, copyField } from '../../src/warehouse/copy-text.js';
import { FACT_KEYS, type FactTableName } from '../../src/warehouse/database.js';
import { openCopy, type StageValue } from '../../src/warehouse/dialect.js';
import { freshWarehouse, postgresAvailable } from '../helpers/warehouse.js';

/** A packed table's rows as one flat list of values. */
function unpacked(t: EncodedTable, width: number): StageValue[] {
  const fill = packedFill(t.packed!, width);
  const row = new Array<StageValue>(width);
  const out: StageValue[] = [];
  for (let i = 0; i < t.count; i++) {
    fill(i, row);
    out.push(...row);
  }
  return out;
}

const pgUp = await postgresAvailable();

const identity: StageIdentity = { sourceId: 'hlj-trade', runId: 42, sha256: 'ab'.repeat(32) };
const base = { period: '2023', period_kind: 'year' as const, value: 1.5, unit: '万美元', currency: 'USD', value_usd: 15000, cell: "'11-4'!C7" };
const facts: Record<FactTableName, Fact[]> = {
  trade_flow: [
    { table: 'trade_flow', reporter: 'CN-HL', partner: 'JPN', flow: 'export', product: 'TOTAL', ...base, illustrative: false },
    { table: 'trade_flow', reporter: 'CN-HL', partner: 'WLD', flow: 'import', product: 'HS:27', ...base, currency: null, value_usd: null, illustrative: true },
  ],
  investment_flow: [{ table: 'investment_flow', host: 'CN-HL', investor: 'JPN', measure: 'utilized', ...base, illustrative: false }],
  indicator: [{ table: 'indicator', region: 'CN-HL', code: 'gdp', ...base, illustrative: true }],
  fx_rate: [{ table: 'fx_rate', currency: 'CNY', period: '2023', per_usd: 7.08, cell: 'fx!B2' }],
};

describe('rowPusher', () => {
  for (const table of Object.keys(facts) as FactTableName[]) {
    it(`pushes what the column readers read, for ${table}`, () => {
      const columns = [...FACT_KEYS[table], ...NON_KEY[table]];
      const push = rowPusher(columns, identity);
      const readers = columns.map((c) => reader(c, identity));
      for (const f of facts[table]) {
        const rows: StageValue[] = ['before'];
        push(f, rows);
        expect(rows).toEqual(['before', ...readers.map((read) => read(f))]);
        expect(rows).toHaveLength(columns.length + 1);
      }
    });
  }

  it('reads each column as the staging table holds it', () => {
    const rows: StageValue[] = [];
    rowPusher([...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow], identity)(facts.trade_flow[1]!, rows);
    expect(rows).toEqual(['CN-HL', 'WLD', 'import', 'HS:27', '2023', 'year', 'hlj-trade', 1.5, '万美元', null, null, 1, 42, `${'ab'.repeat(32)}#'11-4'!C7`]);
    const missing = { ...facts.indicator[0]!, unit: undefined } as unknown as Fact;
    expect(reader('unit', identity)(missing)).toBeNull();
  });

  it('takes only column names', () => {
    expect(() => rowPusher(['value); process.exit(1); (0'], identity)).toThrow(/not a column name/);
  });
});

/** Text with every character COPY's text format must escape, and some it must not. */
const awkward = 'a\tb\\c\nd\re \\N 万美元 "q" \u0001';

describe('COPY text', () => {
  it('escapes backslash, tab, newline and carriage return only', () => {
    expect(copyEscape('plain 万美元')).toBe('plain 万美元');
    expect(copyEscape(awkward)).toBe('a\\tb\\\\c\\nd\\re \\\\N 万美元 "q" \u0001');
    expect(copyField(null)).toBe('\\N');
    expect(copyField(undefined)).toBe('\\N');
    expect(copyField(1.5e-7)).toBe('1.5e-7');
    expect(copyField('')).toBe('');
  });

  for (const table of Object.keys(facts) as FactTableName[]) {
    it(`copyLiner writes what the column readers read, for ${table}`, () => {
      const columns = [...FACT_KEYS[table], ...NON_KEY[table]];
      const line = copyLiner(columns, identity);
      const readers = columns.map((c) => reader(c, identity));
      // Each fact as it is, and as if already in US dollars (value_usd = value: its text is shared).
      const cases: Fact[] = facts[table].flatMap((f): Fact[] => ('value' in f ? [f, { ...f, value_usd: f.value }] : [f]));
      for (const f of cases) expect(line(f)).toBe(`${readers.map((read) => copyField(read(f))).join('\t')}\n`);
    });
  }

  it('writes each column of a trade fact as COPY reads it', () => {
    const f = { ...facts.trade_flow[1]!, unit: 'u\tv', cell: "'a\\sheet'!C7" } as Fact;
    const line = copyLiner([...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow], { ...identity, sourceId: 'odd\\id' })(f);
    expect(line).toBe(`CN-HL\tWLD\timport\tHS:27\t2023\tyear\todd\\\\id\t1.5\tu\\tv\t\\N\t\\N\t1\t42\t${'ab'.repeat(32)}#'a\\\\sheet'!C7\n`);
  });

  it('StageEncoder with direct copy writes fact tables as text and fx_rate as rows', () => {
    const encoder = new StageEncoder(identity, { direct: 'copy' });
    const batch = encoder.encode([facts.trade_flow[0]!, facts.fx_rate[0]!, facts.trade_flow[1]!], [3, 4, 5], ['raw a', 'raw b', null], [], []);
    const trade = batch.tables.find((t) => t.table === 'trade_flow')!;
    const columns = [...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow];
    expect(trade).toMatchObject({ count: 2, rows: [] });
    expect(Buffer.from(trade.copy!.bytes).toString('utf8')).toBe(copyLiner(columns, identity)(facts.trade_flow[0]!) + copyLiner(columns, identity)(facts.trade_flow[1]!));
    expect(transferables(batch)).toEqual([trade.copy!.bytes.buffer, trade.copy!.ends.buffer]);
    expect([...trade.copy!.ends]).toEqual([copyLiner(columns, identity)(facts.trade_flow[0]!), copyLiner(columns, identity)(facts.trade_flow[1]!)].map((l, i, all) => Buffer.byteLength(all.slice(0, i + 1).join(''))));
    const fx = batch.tables.find((t) => t.table === 'fx_rate')!;
    expect(fx.copy).toBeUndefined();
    expect(fx.rows).toHaveLength(stageColumns('fx_rate').length);
    expect(fx.rows.slice(-2)).toEqual([4, 'raw b']);
    // Without direct every table is rows, with its record number and raw cell.
    const staged = new StageEncoder(identity).encode([facts.trade_flow[0]!], [3], ['raw a'], [], []);
    expect(staged.tables[0]!.copy).toBeUndefined();
    expect(staged.tables[0]!.rows.slice(-2)).toEqual([3, 'raw a']);
  });

  it('direct copy bytes hold every line whole, multi-byte text and batches of any size included', async () => {
    const encoder = new StageEncoder(identity, { direct: 'copy' });
    const columns = [...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow];
    const line = copyLiner(columns, identity);
    // Batches of 1, 3,000 and 2 facts: the buffer starts at the last batch's size and grows mid-batch.
    const make = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ ...facts.trade_flow[i % 2]!, unit: `${tag}黒竜江省${i}`, cell: `'表${i}'!C${i}` }) as Fact);
    for (const batchFacts of [make(1, 'a'), make(3000, 'b'), make(2, '𠀋')]) {
      const batch = encoder.encode(batchFacts, [], [], [], []);
      const trade = batch.tables.find((t) => t.table === 'trade_flow')!;
      expect(trade.count).toBe(batchFacts.length);
      expect(Buffer.from(trade.copy!.bytes).toString('utf8')).toBe(batchFacts.map(line).join(''));
      // The bytes cross to another thread by transfer: detached here, whole there.
      const { port1, port2 } = new MessageChannel();
      const received = new Promise<typeof batch>((resolve) => port2.once('message', resolve));
      const sent = Buffer.from(trade.copy!.bytes).toString('utf8');
      port1.postMessage(batch, transferables(batch));
      const got = await received;
      port1.close();
      port2.close();
      expect(trade.copy!.bytes.byteLength).toBe(0);
      expect(Buffer.from(got.tables[0]!.copy!.bytes).toString('utf8')).toBe(sent);
      expect(got.tables[0]!.copy!.ends.length).toBe(batchFacts.length);
      expect(got.tables[0]!.copy!.ends.at(-1)).toBe(got.tables[0]!.copy!.bytes.byteLength);
    }
  });

  it('StageEncoder with direct rows writes the warehouse columns but the run\'s own, sorted by key', () => {
    const encoder = new StageEncoder(identity, { direct: 'rows' });
    const [a, b] = facts.trade_flow; // WLD sorts after JPN: encode them the other way round
    const batch = encoder.encode([b!, facts.fx_rate[0]!, a!], [3, 4, 5], ['raw b', 'raw fx', 'raw a'], [], []);
    const trade = batch.tables.find((t) => t.table === 'trade_flow')!;
    expect(directRowColumns('trade_flow')).toEqual(['reporter', 'partner', 'flow', 'product', 'period', 'period_kind', 'value', 'unit', 'currency', 'value_usd', 'illustrative', 'cell']);
    expect(trade).toMatchObject({ direct: true, count: 2, repeated: false });
    expect(trade.copy).toBeUndefined();
    expect(trade.rows).toEqual([]);
    // Packed, their buffers to be transferred to the main thread.
    expect(transferables(batch)).toEqual([trade.packed!.codes.buffer, trade.packed!.numbers.buffer]);
    // No source_id or run_id, the cell without the hash prefix, no record number or raw cell.
    expect(unpacked(trade, 12)).toEqual([
      ...['CN-HL', 'JPN', 'export', 'TOTAL', '2023', 'year', 1.5, '万美元', 'USD', 15000, 0, "'11-4'!C7"],
      ...['CN-HL', 'WLD', 'import', 'HS:27', '2023', 'year', 1.5, '万美元', null, null, 1, "'11-4'!C7"],
    ]);
    // fx_rate is staged as ever.
    const fx = batch.tables.find((t) => t.table === 'fx_rate')!;
    expect(fx.direct).toBeUndefined();
    expect(fx.rows.slice(-2)).toEqual([4, 'raw fx']);
  });

  it('keyOrder orders rows by their key values: NULL, numbers, then text', () => {
    // Rows of three values, the first two the key.
    const rows = ['b', 'x', 1, null, 'z', 2, 'a', 'y', 3, 5, 'q', 4, 'a', 'x', 5, 'b', null, 6];
    expect([...keyOrder(rows, 3, 2)].map((i) => rows[i * 3 + 2])).toEqual([2, 4, 5, 3, 6, 1]);
    expect(directKeyCount('trade_flow')).toBe(6);
    expect([...keyOrder([], 3, 2)]).toEqual([]);
  });

  it('packRows keeps every value (text once per batch, numbers, NULL) in the order asked', () => {
    const rows: StageValue[] = ['JPN', 1.5, null, 'RUS', -0, 'x', 'JPN', Number.MAX_VALUE, 'JPN', '', 0.1 + 0.2, null];
    const packed = packRows(rows, 3, Uint32Array.from([3, 1, 0, 2]));
    expect(packed.strings).toEqual(['', 'RUS', 'x', 'JPN']);
    expect(unpacked({ table: 'trade_flow', rows: [], count: 4, repeated: false, packed }, 3)).toEqual([...rows.slice(9), ...rows.slice(3, 6), ...rows.slice(0, 3), ...rows.slice(6, 9)]);
    expect(Object.is(unpacked({ table: 'trade_flow', rows: [], count: 4, repeated: false, packed }, 3)[4], -0)).toBe(true);
  });

  it('packed rows cross to another thread by transfer, not by copy', async () => {
    const encoder = new StageEncoder(identity, { direct: 'rows' });
    const batch = encoder.encode([...facts.trade_flow], [], [], [], []);
    const before = unpacked(batch.tables[0]!, 12);
    const { port1, port2 } = new MessageChannel();
    const received = new Promise<typeof batch>((resolve) => port2.once('message', resolve));
    port1.postMessage(batch, transferables(batch));
    const got = await received;
    port1.close();
    port2.close();
    expect(batch.tables[0]!.packed!.codes.byteLength).toBe(0); // detached here: the buffer moved
    expect(unpacked(got.tables[0]!, 12)).toEqual(before);
  });

  it.skipIf(!pgUp)('PostgreSQL reads copyLiner\'s text back as the values', async () => {
    const wh = await freshWarehouse('postgres');
    try {
      const columns = [...FACT_KEYS.trade_flow, ...NON_KEY.trade_flow];
      const odd = { ...facts.trade_flow[0]!, partner: awkward, unit: 'x\\y\r\n', cell: "'a\tb'!C7" } as Fact;
      const id = { ...identity, sourceId: 'odd\\id\t' };
      const lines = [odd, facts.trade_flow[1]!].map(copyLiner(columns, id)).join('');
      await wh.db.transaction().execute(async (trx) => {
        const copy = await openCopy(trx as unknown as Kysely<object>, 'trade_flow', columns);
        await copy.write(lines);
        await copy.end();
      });
      // By product: HS:27, then TOTAL.
      const back = await wh.db.selectFrom('trade_flow').select(columns as never[]).orderBy('product').execute();
      const readers = columns.map((c) => reader(c, id));
      expect(back.map((r) => columns.map((c) => (r as Record<string, unknown>)[c]))).toEqual([facts.trade_flow[1]!, odd].map((f) => readers.map((read) => read(f))));
    } finally {
      await wh.close();
    }
  });
});
