// Builds the bundled default sources (data/sources/*.xlsx) from the published figures in
// /work/shared/data/published-figures.csv, laid out the way the publishers lay theirs out (title row,
// unit row, merged header rows, bilingual labels, total and 其中 rows, footnotes, `—` for missing),
// so that the shaper is exercised on realistic tables. Values no publication gives are kept to a
// minimum and flagged `示意 illustrative` in the table itself; data/sources/README.md lists each one.
//
//   npx tsx scripts/build-sources.ts
//
// Every number below is typed from a published figure (the URL is next to it) after a unit
// conversion stated in the table's unit row; the test tests/pipelines/reference.test.ts reads the
// files back and checks them against published-figures.csv.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
// jszip is exceljs's own zip library (a dependency of exceljs, not added separately).
import JSZip from 'jszip';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'data', 'sources');
/** Pinned so that rebuilding with unchanged data gives the same workbook metadata. */
const BUILD_DATE = new Date('2024-06-01T00:00:00Z');
const MISSING = '—';
export const ILLUSTRATIVE_FLAG = '示意 illustrative';

type Cell = string | number | null;

interface Merge {
  /** 1-based inclusive rows/columns, relative to the sheet. */
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

interface SheetSpec {
  name: string;
  rows: Cell[][];
  merges?: Merge[];
  /** Rows (1-based) that are header rows: bold, centred, wrapped. */
  headerRows?: number[];
  /** Column widths, left to right. */
  widths?: number[];
  /** Number format per 1-based column. */
  numFmt?: Record<number, string>;
}

const v = (x: number | null | undefined): Cell => (x === null || x === undefined ? MISSING : x);

function addSheet(wb: ExcelJS.Workbook, spec: SheetSpec): void {
  const ws = wb.addWorksheet(spec.name);
  for (const row of spec.rows) ws.addRow(row.map((c) => (c === null ? undefined : c)));
  for (const m of spec.merges ?? []) ws.mergeCells(m.r1, m.c1, m.r2, m.c2);
  for (const r of spec.headerRows ?? []) {
    ws.getRow(r).eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { bold: true };
      cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
      cell.border = { top: { style: 'thin' }, bottom: { style: 'thin' } };
    });
  }
  ws.eachRow((row) => {
    row.eachCell((cell) => {
      if (typeof cell.value === 'string' && cell.value.includes('\n')) {
        cell.alignment = { ...(cell.alignment ?? {}), wrapText: true, vertical: 'middle' };
      }
    });
  });
  if (spec.rows[0]?.[0]) ws.getCell(1, 1).font = { bold: true, size: 13 };
  (spec.widths ?? []).forEach((w, i) => {
    ws.getColumn(i + 1).width = w;
  });
  for (const [col, fmt] of Object.entries(spec.numFmt ?? {})) ws.getColumn(Number(col)).numFmt = fmt;
}

/**
 * Rewrites the zip with every entry dated BUILD_DATE: exceljs stamps entries with the current time,
 * which would change the file's sha256 (and make the pipeline reload it) on every rebuild.
 */
async function pinZipDates(xlsx: Buffer): Promise<Buffer> {
  const src = await JSZip.loadAsync(xlsx);
  const out = new JSZip();
  for (const name of Object.keys(src.files).sort()) {
    const f = src.files[name];
    if (!f || f.dir) continue;
    out.file(name, await f.async('uint8array'), { date: BUILD_DATE, createFolders: false });
  }
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function writeWorkbook(file: string, title: string, sheets: SheetSpec[]): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tradebrief scripts/build-sources.ts';
  wb.title = title;
  wb.created = BUILD_DATE;
  wb.modified = BUILD_DATE;
  for (const s of sheets) addSheet(wb, s);
  mkdirSync(OUT, { recursive: true });
  const path = join(OUT, file);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, await pinZipDates(Buffer.from(await wb.xlsx.writeBuffer())));
  renameSync(tmp, path);
  console.log(`wrote data/sources/${file}`);
}

/** A Sources sheet: one row per published figure used, with its URL and the quoted sentence. */
function sourcesSheet(name: string, rows: [string, string, string][]): SheetSpec {
  return {
    name,
    rows: [
      ['资料来源 Sources'],
      ['数据 Figure', '网址 URL', '原文 Quote / note'],
      ...rows.map(([a, b, c]) => [a, b, c] as Cell[]),
    ],
    headerRows: [2],
    widths: [40, 70, 90],
  };
}

const U = {
  niigata: 'http://niigata-dalian.com/heilongjiangnews.php?module=detail&id=63',
  mizuho: 'https://expydoc.com/doc/7599481/%E9%BB%92%E9%BE%8D%E6%B1%9F%E7%9C%81%E6%A6%82%E6%B3%81%EF%BC%88pdf-152kb%EF%BC%89',
  hktdc:
    'http://china-trade-research.hktdc.com/business-news/article/Facts-and-Figures/Heilongjiang-Market-Profile/ff/en/1/1X000000/1X06BWA2.htm',
  tingroom: 'http://www.tingroom.com/print_184852.html',
  peopleRu: 'http://russian.people.com.cn/31518/8222432.html',
  sputnik2015: 'https://sputnikglobe.com/20150306/1019162060.html',
  bnr2018: 'https://www.beltandroad.news/heilongjiang-trade-ties-with-russia-forging-ahead/',
  aolai2021: 'http://aolaikelin.cn/a/202201/24/WS61ee40fba310cdd39bc82dc0.html',
  dbw2021fy: 'https://hljxinwen.dbw.cn/system/2022/01/20/001455183.shtml',
};

// ---------------------------------------------------------------------------------------------
// a. hlj-trade-by-partner.xlsx — provincial yearbook style, 万美元, partners down, years across.
// ---------------------------------------------------------------------------------------------
/** Heilongjiang–Japan total trade, 万美元: NOT PUBLISHED in any source found; illustrative only. */
export const ILLUSTRATIVE_HLJ_JAPAN_TRADE: Record<number, number> = {
  2011: 168500,
  2012: 161200,
  2013: 148900,
  2014: 139600,
  2015: 102300,
  2016: 94800,
};

async function buildTradeByPartner(): Promise<void> {
  const years = [2011, 2012, 2013, 2014, 2015, 2016, 2018, 2021];
  type Triple = [number | null, number | null, number | null];
  const none: Triple = [null, null, null];
  // US$ billion × 100 000 = 万美元; US$ million × 100 = 万美元.
  const data: { label: string; values: Record<number, Triple>; flag?: string }[] = [
    {
      label: '合计\nTotal',
      values: {
        2012: [3782100, 1443600, 2338500], // Mizuho: 37,821 / 14,436 / 23,385 US$ million
        2013: [3888000, 1623000, 2265000], // 388.8 / 162.3 / 226.5 億ドル (niigata-dalian); Mizuho 38,880
        2015: [2098600, 803100, 1295500], // HKTDC exports 8,031 + imports 12,955 US$ million
        2016: [1653800, 504400, 1149400], // HKTDC exports 5,044 + imports 11,494 US$ million
        2021: [3140000, null, null], // 31.4 US$ billion (aolaikelin / China Daily)
      },
    },
    {
      label: '其中：俄罗斯\nRussia',
      values: {
        2011: [1899000, null, null], // 18.99 US$ billion
        2012: [2131000, null, null], // 21.31 US$ billion
        2013: [2236000, null, null], // 223.6 億ドル
        2014: [2320000, null, null], // 23.2 US$ billion
        2018: [1732000, null, null], // 17.32 US$ billion (122 billion yuan)
      },
    },
    {
      label: '　　日本\nJapan',
      values: Object.fromEntries(
        Object.entries(ILLUSTRATIVE_HLJ_JAPAN_TRADE).map(([y, x]) => [Number(y), [x, null, null] as Triple]),
      ),
      flag: ILLUSTRATIVE_FLAG,
    },
    { label: '　　韩国\nKorea, Rep.', values: {} },
    { label: '　　美国\nUnited States', values: {} },
    { label: '　　欧洲\nEurope', values: { 2013: [227000, null, null] } }, // 22.7 億ドル
    { label: '　　东南亚\nSoutheast Asia', values: { 2013: [187000, null, null] } }, // 18.7 億ドル
    { label: '　　中国香港\nHong Kong, China', values: { 2013: [59000, null, null] } }, // 5.9 億ドル
    { label: '　　澳大利亚\nAustralia', values: { 2013: [57000, null, null] } }, // 5.7 億ドル
  ];
  const nCols = 1 + years.length * 3 + 1;
  const title: Cell[] = ['11-4  黑龙江省对主要国家和地区进出口总额（2011—2021年）'];
  const unit: Cell[] = [...Array(nCols - 1).fill(null), '单位：万美元'];
  const h1: Cell[] = ['国家和地区\nCountry or Region'];
  const h2: Cell[] = [null];
  for (const y of years) {
    h1.push(`${y}年`, null, null);
    h2.push('进出口\nTotal', '出口\nExports', '进口\nImports');
  }
  h1.push('标记\nFlag');
  h2.push(null);
  const body = data.map((d) => {
    const row: Cell[] = [d.label];
    for (const y of years) {
      const [t, e, i] = d.values[y] ?? none;
      row.push(v(t), v(e), v(i));
    }
    row.push(d.flag ?? null);
    return row;
  });
  const notes: Cell[][] = [
    ['注：1. 本表为全年数据，按美元计价。2. “—”表示未获得公开发布的数据（不是零）。3. 2015、2016年进出口总额为HKTDC公布的出口额与进口额之和。'],
    ['　　4. 标记为“示意 illustrative”的数值（黑龙江省对日本进出口，2011—2016年）未见公开发布，仅为示意值，不得作为统计数据引用。'],
    ['　　5. “欧洲”指欧洲大陆（含非欧盟国家），“东南亚”按原文（与东盟口径不一定相同）。'],
    [`资料来源：黑龙江省统计年鉴、黑龙江省商务厅、哈尔滨海关公布数据，经下列报道转载：${U.mizuho} ; ${U.niigata} ; ${U.hktdc} ; ${U.tingroom} ; ${U.peopleRu} ; ${U.sputnik2015} ; ${U.bnr2018} ; ${U.aolai2021}（详见“资料来源”工作表）`],
  ];
  const rows: Cell[][] = [title, unit, h1, h2, ...body, ...notes];
  const merges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: nCols },
    { r1: 3, c1: 1, r2: 4, c2: 1 },
    { r1: 3, c1: nCols, r2: 4, c2: nCols },
  ];
  years.forEach((_, k) => merges.push({ r1: 3, c1: 2 + k * 3, r2: 3, c2: 4 + k * 3 }));
  const firstNote = 5 + body.length;
  notes.forEach((_, k) => merges.push({ r1: firstNote + k, c1: 1, r2: firstNote + k, c2: nCols }));
  const numFmt: Record<number, string> = {};
  for (let c = 2; c < nCols; c++) numFmt[c] = '#,##0';
  await writeWorkbook('hlj-trade-by-partner.xlsx', '黑龙江省对主要国家和地区进出口总额', [
    {
      name: '11-4',
      rows,
      merges,
      headerRows: [3, 4],
      widths: [22, ...Array(years.length * 3).fill(11), 16],
      numFmt,
    },
    sourcesSheet('资料来源', [
      ['2012年 合计/出口/进口 (37,821/14,436/23,385 百万ドル)', U.mizuho, 'みずほ銀行「黒龍江省概況」: 輸出入総額 37,821 / 輸出総額 14,436 / 輸入総額 23,385 百万㌦ (2012年)'],
      ['2013年 合计/出口/进口 (388.8/162.3/226.5 億ドル)', U.niigata, '2013年の黒龍江省の輸出入国際貿易額は388.8億ドル…輸出額は162.3億ドル…輸入額は226.5億ドル'],
      ['2013年 俄罗斯 223.6 億ドル; 欧洲 22.7; 东南亚 18.7; 香港 5.9; 澳大利亚 5.7 億ドル', U.niigata, 'ロシアに対する輸出入額は223.6億ドル…ヨーロッパ…22.7億ドル…東南アジア…18.7億ドル…香港地区…5.9億ドル…オーストラリア…5.7億ドル'],
      ['2015/2016年 出口 8,031/5,044, 进口 12,955/11,494 US$ million', U.hktdc, 'HKTDC Heilongjiang Market Profile: exports and imports, US$ million'],
      ['2011年 俄罗斯 18.99 US$ billion', U.tingroom, 'Heilongjiang Province saw bilateral trade with Russia reach 18.99 billion U.S. dollars in 2011'],
      ['2012年 俄罗斯 21.31 US$ billion', U.peopleRu, 'People’s Daily (Russian edition): 2012 trade with Russia 21.31 billion USD'],
      ['2014年 俄罗斯 23.2 US$ billion', U.sputnik2015, 'the turnover in foreign trade between Heilongjiang Province … grew by 4.1 percent to reach 23.2 billion dollars'],
      ['2018年 俄罗斯 17.32 US$ billion', U.bnr2018, 'Its trade with Russia reached 122 billion yuan ($17.32 billion)'],
      ['2021年 合计 31.4 US$ billion', U.aolai2021, 'Heilongjiang total foreign trade 199.5 billion yuan ($31.4 billion) in 2021'],
      ['日本 2011—2016 进出口（示意 illustrative）', '—', 'No published full-year figure for Heilongjiang–Japan trade was found (searched: 黑龙江统计年鉴 对日本进出口, 哈尔滨海关, JETRO 黒竜江省 対日貿易, ERINA). Values are illustrative (order of US$ 1–2 billion a year, declining) and flagged in column “标记 Flag”.'],
    ]),
  ]);
}

// ---------------------------------------------------------------------------------------------
// b. hlj-customs-monthly.xlsx — Harbin Customs release style, 亿元, cumulative periods down.
// ---------------------------------------------------------------------------------------------
interface CustomsRow {
  period: string;
  total?: number;
  exports?: number;
  imports?: number;
  growth?: number;
  russia?: number;
  bri?: number;
  rcep?: number;
  url: string;
}

// billion yuan × 10 = 亿元
export const CUSTOMS_ROWS: CustomsRow[] = [
  { period: '2021年1-6月', russia: 599.5, bri: 702.1, url: 'https://www.tellerreport.com/business/2021-07-22-the-total-value-of-heilongjiang-s-imports-and-exports-to-russia-in-the-first-june-of-the-year-was-59-95-billion-yuan--ranking-first-in-the-country.SJgVJr28Cu.html' },
  { period: '2021年1-7月', total: 1097.2, exports: 237.1, imports: 860.1, russia: 710.7, url: 'https://radiometro.ru/2021/08/23/vneshnij-tovarooborot-prov-hejlunczyan-knr-uvelichilsya-na-19-8-proc-za-yanvar-ijul-2021-goda' },
  { period: '2021年1-8月', total: 1277.0, exports: 276.4, imports: 1001.0, russia: 826.2, url: 'https://russian.cri.cn/news/homeList/380/20210927/714136.html' },
  { period: '2021年1-9月', total: 1455.5, exports: 310.6, imports: 1144.9, url: 'https://hljxinwen.dbw.cn/system/2021/10/20/001444291.shtml' },
  { period: '2021年1-10月', total: 1615.0, exports: 358.6, imports: 1256.4, russia: 1050.5, bri: 1203.0, url: 'https://new-estate.org/?p=33704' },
  { period: '2021年', total: 1995.0, exports: 447.7, imports: 1547.3, russia: 1313.4, url: 'https://hljxinwen.dbw.cn/system/2022/01/20/001455183.shtml' },
  { period: '2022年1-3月', total: 552.0, exports: 101.0, imports: 451.0, bri: 437.0, url: 'http://en.people.cn/n3/2022/0424/c90000-10088109.html' },
  { period: '2022年1-8月', total: 1671.5, exports: 317.2, imports: 1354.3, russia: 1172.0, bri: 1318.7, rcep: 145.4, url: 'http://en.people.cn/n3/2022/0916/c90000-10148225.html ; https://news.ati.su/news/2022/09/21/na-rossiju-prishlos-701-vneshnego-tovarooborota-kitajskoj-provintsii-hejluntszjan-362001' },
  { period: '2022年1-9月', total: 1901.5, exports: 363.6, imports: 1537.9, bri: 1497.9, url: 'http://en.people.cn/n3/2022/1031/c90000-10165281.html' },
  { period: '2022年', total: 2651.5, exports: 545.6, imports: 2105.9, growth: 33, bri: 2087.4, rcep: 240.3, url: 'https://german.news.cn/20230118/5cd0e39a81ae4982a6187de0ad987014/c.html ; https://hljxinwen.dbw.cn/system/2023/01/18/001491149.shtml' },
  { period: '2023年1-2月', total: 483.8, exports: 93.1, imports: 390.7, bri: 380.4, url: 'http://www.chinadaily.com.cn/a/202303/23/WS641be4bba31057c47ebb621f.html' },
  { period: '2023年1-3月', total: 719.8, exports: 144.6, imports: 575.2, bri: 569.8, rcep: 70.6, url: 'http://en.people.cn/n3/2023/0420/c90000-20008812.html' },
  { period: '2023年1-5月', total: 1188.0, exports: 270.1, imports: 917.9, url: 'http://en.people.cn/n3/2023/0620/c90000-20033856.html' },
  { period: '2023年1-6月', total: 1424.6, exports: 328.7, imports: 1095.9, bri: 1126.2, url: 'https://www.azernews.az/region/212577.html' },
  { period: '2023年1-7月', total: 1670.4, exports: 407.8, imports: 1262.6, bri: 1312.5, rcep: 159.7, url: 'http://en.people.cn/n3/2023/0818/c90000-20060423.html' },
  { period: '2023年1-10月', total: 2419.4, exports: 598.6, imports: 1820.8, url: 'http://en.people.cn/n3/2023/1123/c90000-20101168.html' },
  { period: '2023年1-11月', total: 2683.7, exports: 662.4, imports: 2021.3, bri: 2269.3, rcep: 236.0, url: 'http://en.people.cn/n3/2023/1225/c90000-20114347.html' },
  { period: '2023年', total: 2978.3, exports: 760.6, imports: 2217.7, growth: 12.3, bri: 2525.8, rcep: 261.5, url: 'http://en.people.cn/n3/2024/0123/c90000-20125492.html' },
];

async function buildCustomsMonthly(): Promise<void> {
  const nCols = 8;
  const rows: Cell[][] = [
    ['黑龙江省进出口商品总值表（人民币值）\nHeilongjiang imports and exports (RMB), cumulative'],
    [null, null, null, null, null, null, null, '单位：亿元'],
    ['时间\nPeriod', '全省\nProvince total', null, null, null, '其中：按贸易伙伴（进出口）\nOf which, by partner (total trade)', null, null],
    [null, '进出口\nTotal', '出口\nExports', '进口\nImports', '进出口同比增长(%)\nTotal y-o-y (%)', '对俄罗斯\nRussia', '一带一路沿线国家\nBelt and Road countries', 'RCEP成员国\nRCEP members'],
    ...CUSTOMS_ROWS.map((r) => [r.period, v(r.total), v(r.exports), v(r.imports), v(r.growth), v(r.russia), v(r.bri), v(r.rcep)] as Cell[]),
  ];
  const notes: Cell[][] = [
    ['注：1. 各期为当年1月至该月的累计值；“2021年”等为全年值。2. “—”表示该期数据未见公开发布。3. 一带一路沿线国家、RCEP成员国的口径以海关发布为准。'],
    ['资料来源：哈尔滨海关（Harbin Customs）发布，经人民网、中国日报、新华网、东北网等报道；各行来源见“资料来源”工作表。'],
  ];
  const all = [...rows, ...notes];
  const merges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: nCols },
    { r1: 3, c1: 1, r2: 4, c2: 1 },
    { r1: 3, c1: 2, r2: 3, c2: 5 },
    { r1: 3, c1: 6, r2: 3, c2: 8 },
  ];
  notes.forEach((_, k) => merges.push({ r1: rows.length + 1 + k, c1: 1, r2: rows.length + 1 + k, c2: nCols }));
  await writeWorkbook('hlj-customs-monthly.xlsx', '黑龙江省进出口（哈尔滨海关）', [
    {
      name: '黑龙江进出口',
      rows: all,
      merges,
      headerRows: [3, 4],
      widths: [16, 12, 12, 12, 16, 12, 18, 14],
      numFmt: { 2: '#,##0.0', 3: '#,##0.0', 4: '#,##0.0', 5: '0.0', 6: '#,##0.0', 7: '#,##0.0', 8: '#,##0.0' },
    },
    sourcesSheet(
      '资料来源',
      CUSTOMS_ROWS.map((r) => [r.period, r.url, 'published in billion yuan; ×10 = 亿元']),
    ),
  ]);
}

// ---------------------------------------------------------------------------------------------
// c. hlj-indicators.xlsx — English indicator table, years across.
// ---------------------------------------------------------------------------------------------
async function buildIndicators(): Promise<void> {
  const years = Array.from({ length: 13 }, (_, k) => 2011 + k);
  const lines: { label: string; unit: string; values: Record<number, number> }[] = [
    { label: 'Gross regional product (GDP)', unit: '100 million yuan', values: { 2012: 13692, 2013: 14383, 2015: 15084, 2016: 15386, 2018: 16361.6, 2021: 14879.2 } },
    { label: 'Real GDP growth', unit: '%', values: { 2013: 8.0, 2014: 5.6, 2015: 5.7, 2016: 6.1, 2017: 6.4, 2021: 6.1 } },
    { label: 'GDP per capita', unit: 'yuan', values: { 2012: 35711, 2013: 37509 } },
    { label: 'Foreign direct investment: projects approved', unit: 'projects', values: { 2012: 98, 2013: 86 } },
    { label: 'Foreign direct investment: contracted', unit: 'USD million', values: { 2012: 3900, 2013: 5000 } },
    { label: 'Foreign direct investment: utilised', unit: 'USD million', values: { 2012: 3900, 2013: 4610, 2015: 5449 } },
  ];
  const nCols = 2 + years.length;
  const rows: Cell[][] = [
    ['Main Economic Indicators of Heilongjiang, 2011–2023'],
    ['Unit: as shown in the Unit column'],
    ['Indicator', 'Unit', ...years.map(String)],
    ...lines.map((l) => [l.label, l.unit, ...years.map((y) => v(l.values[y]))]),
    ['Note: “—” = not available from the published sources used (never zero, never estimated). GDP 2018 (16,361.6) is the figure first published, before the 2019 economic census revision; GDP 2021 is on the revised basis, so the two are not comparable.'],
    ['Note: 2015 and 2016 GDP were published as RMB 1,508.4 and 1,538.6 billion (× 10 = 100 million yuan).'],
    [
      `Sources: Mizuho Bank “黒龍江省概況” (2012–2013 GDP, per capita, FDI) ${U.mizuho} ; HKTDC Heilongjiang Market Profile (2015–2016 GDP and growth, 2015 FDI) ${U.hktdc} ; http://yuzhongnet.com/business/2015-01/29/content_19436385.htm (2013–2014 growth) ; http://www.ecns.cn/business/2018/01-29/290491.shtml (2017 growth) ; https://chinawiki.net/thread/Heilongjiang.html (2018 GDP) ; https://fx361.cc/page/2022/1025/10766475.shtml (2021 GDP and growth)`,
    ],
  ];
  const merges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: nCols },
    { r1: 2, c1: 1, r2: 2, c2: nCols },
  ];
  for (let k = 0; k < 3; k++) merges.push({ r1: 4 + lines.length + k, c1: 1, r2: 4 + lines.length + k, c2: nCols });

  const cmpYears = [2013, 2014, 2015, 2016, 2017];
  const cmp: { label: string; values: Record<number, number> }[] = [
    { label: 'Heilongjiang 黑龙江', values: { 2013: 8.0, 2014: 5.6, 2015: 5.7, 2016: 6.1, 2017: 6.4 } },
    { label: 'Liaoning 辽宁', values: { 2014: 5.8, 2016: -2.5, 2017: 4.2 } },
    { label: 'Jilin 吉林', values: { 2016: 6.9, 2017: 5.3 } },
  ];
  const cmpRows: Cell[][] = [
    ['Real GDP growth of the three Northeast provinces'],
    ['Unit: % (real, year on year)'],
    ['Region', ...cmpYears.map(String)],
    ...cmp.map((c) => [c.label, ...cmpYears.map((y) => v(c.values[y]))]),
    ['Note: “—” = not available from the published sources used.'],
    ['Sources: http://yuzhongnet.com/business/2015-01/29/content_19436385.htm (2013–2014) ; ' + U.hktdc + ' (2015–2016 Heilongjiang) ; http://www.ecns.cn/business/2018/01-29/290491.shtml (2016–2017 Liaoning, Jilin; 2017 Heilongjiang)'],
  ];
  const cmpMerges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: 1 + cmpYears.length },
    { r1: 2, c1: 1, r2: 2, c2: 1 + cmpYears.length },
    { r1: 7, c1: 1, r2: 7, c2: 1 + cmpYears.length },
    { r1: 8, c1: 1, r2: 8, c2: 1 + cmpYears.length },
  ];
  await writeWorkbook('hlj-indicators.xlsx', 'Main Economic Indicators of Heilongjiang', [
    { name: 'Heilongjiang', rows, merges, headerRows: [3], widths: [44, 18, ...Array(years.length).fill(10)] },
    { name: 'Northeast comparison', rows: cmpRows, merges: cmpMerges, headerRows: [3], widths: [24, 10, 10, 10, 10, 10] },
  ]);
}

// ---------------------------------------------------------------------------------------------
// d. china-japan-trade.xlsx — China's trade with Japan (MOFCOM/GAC) and Japan's with China (JETRO).
// ---------------------------------------------------------------------------------------------
async function buildChinaJapan(): Promise<void> {
  const cn: { year: number; world?: number; total?: number; exports?: number; imports?: number }[] = [
    { year: 2011, total: 344.9 },
    { year: 2012, total: 329.0 },
    { year: 2013, world: 4160, total: 312.55, exports: 150.28, imports: 162.28 },
    { year: 2014 },
    { year: 2015, total: 303.3 },
    { year: 2016 },
    { year: 2017, total: 297.28, exports: 164.42, imports: 132.86 },
    { year: 2020, total: 317.53 },
  ];
  const cnRows: Cell[][] = [
    ['中国对日本进出口贸易  China’s trade with Japan'],
    ['单位：十亿美元  Unit: US$ billion'],
    ['年份\nYear', '中国对世界\nChina–World', '对日本\nWith Japan', null, null],
    [null, '进出口\nTotal', '进出口\nTotal', '出口\nExports', '进口\nImports'],
    ...cn.map((r) => [String(r.year), v(r.world), v(r.total), v(r.exports), v(r.imports)] as Cell[]),
    ['注：中国海关统计（出口按离岸价、进口按到岸价）。2015年对日进出口为“约3033亿美元”。“—”表示未获得公开数据。'],
    [
      '资料来源：海关总署、商务部数据，经 http://en.people.cn/90778/7735801.html (2011) ; https://www.japantimes.co.jp/news/2013/01/11/business/trade-with-china-falls-first-time-in-three-years/ (2012) ; https://global.chinadaily.com.cn/business/2014-01/21/content_17249397.htm (2013) ; https://www.japantimes.co.jp/news/2014/01/10/business/china-trade-soars-globally-but-falls-5-1-with-japan/ (2013 world) ; http://m.zgkjsz.com/page/2017/0401/20061735.shtml (2015) ; http://english.www.gov.cn/news/international_exchanges/2018/05/10/content_281476141691704.htm (2017) ; http://csstoday.com/Item/9443.aspx (2020)',
    ],
  ];
  const cnMerges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: 5 },
    { r1: 3, c1: 1, r2: 4, c2: 1 },
    { r1: 3, c1: 3, r2: 3, c2: 5 },
    { r1: 5 + cn.length, c1: 1, r2: 5 + cn.length, c2: 5 },
    { r1: 6 + cn.length, c1: 1, r2: 6 + cn.length, c2: 5 },
  ];

  const rmb = [
    { year: 2015, total: 245900, exports: 141400, imports: 104500 },
    { year: 2016, total: 243300, exports: 138400, imports: 104900 },
    { year: 2017, total: 277900 },
  ] as { year: number; total: number; exports?: number; imports?: number }[];
  const rmbRows: Cell[][] = [
    ['全国进出口总值（人民币值）  China’s total trade in goods (RMB)'],
    [null, null, null, '单位：亿元'],
    ['年份\nYear', '进出口\nTotal', '出口\nExports', '进口\nImports'],
    ...rmb.map((r) => [String(r.year), r.total, v(r.exports), v(r.imports)] as Cell[]),
    ['注：海关总署年度公布数（万亿元 × 10 000 = 亿元）。'],
    [
      '资料来源：https://caderus.com/economics-and-reforms/china-sees-total-export-and-import-volume-fall-7-percent-in-2015 (2015) ; https://emiratesnewswire.com/chinas-foreign-trade-back-to-growth-in-q4-customs/ (2016) ; https://deutsches-politik-portal.de/chinas-trading-volume-of-exceeds/ (2017)',
    ],
  ];
  const rmbMerges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: 4 },
    { r1: 4 + rmb.length, c1: 1, r2: 4 + rmb.length, c2: 4 },
    { r1: 5 + rmb.length, c1: 1, r2: 5 + rmb.length, c2: 4 },
  ];

  const jp = [
    { year: 2011, total: 378424.9 },
    { year: 2012, total: 333664, exports: 144794 },
    { year: 2013, total: 311995, exports: 129883, imports: 182112 },
    { year: 2015, total: 303300, exports: 142700, imports: 160600 },
    { year: 2016, total: 301600, exports: 145000, imports: 156600 },
    { year: 2021, total: 391440.49 },
  ] as { year: number; total: number; exports?: number; imports?: number }[];
  const jpRows: Cell[][] = [
    ['日中貿易（日本側統計、ジェトロ集計）  Japan’s trade with China (JETRO)'],
    [null, null, null, '単位：百万ドル'],
    ['年\nYear', '貿易総額（往復）\nTotal', '輸出\nExports', '輸入\nImports'],
    ...jp.map((r) => [`${r.year}年`, r.total, v(r.exports), v(r.imports)] as Cell[]),
    ['注：ジェトロによる双方輸入ベース（日本の対中輸出は中国側の輸入統計）で集計。「—」は公表値を得られなかったもの。'],
    [
      '出所：https://social-care.biz/2022/04/05/21%e5%b9%b4%e6%97%a5%e4%b8%ad%e8%b2%bf%e6%98%9310%e5%b9%b4%e3%81%b6%e3%82%8a%e9%81%8e%e5%8e%bb%e6%9c%80%e9%ab%98%e6%9b%b4%e6%96%b0-%e8%bc%b8%e5%87%ba%e3%82%82%e9%81%8e%e5%8e%bb%e6%9c%80%e9%ab%98 (2011, 2021) ; https://thechinatimes.com/online/2013/02/6656.html (2012) ; https://www.jiffa.or.jp/en/news/entry-2749.html (2013) ; https://www.jetro.go.jp/en/news/releases/2016/c52b1f3efe0aa231.html (2015) ; https://www.jiffa.or.jp/en/news/entry-4627.html (2016)',
    ],
  ];
  const jpMerges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: 4 },
    { r1: 4 + jp.length, c1: 1, r2: 4 + jp.length, c2: 4 },
    { r1: 5 + jp.length, c1: 1, r2: 5 + jp.length, c2: 4 },
  ];
  await writeWorkbook('china-japan-trade.xlsx', 'China–Japan trade', [
    { name: '中国对日贸易', rows: cnRows, merges: cnMerges, headerRows: [3, 4], widths: [10, 14, 14, 12, 12], numFmt: { 2: '#,##0.00', 3: '#,##0.00', 4: '#,##0.00', 5: '#,##0.00' } },
    { name: '全国进出口（人民币）', rows: rmbRows, merges: rmbMerges, headerRows: [3], widths: [10, 14, 14, 14], numFmt: { 2: '#,##0', 3: '#,##0', 4: '#,##0' } },
    { name: '日本の対中貿易', rows: jpRows, merges: jpMerges, headerRows: [3], widths: [10, 18, 14, 14], numFmt: { 2: '#,##0.0', 3: '#,##0', 4: '#,##0' } },
  ]);
}

// ---------------------------------------------------------------------------------------------
// e. fx-rates.xlsx — WDI PA.NUS.FCRF layout (one row per country, years across).
// ---------------------------------------------------------------------------------------------
/** LCU per US$, period average. Verified = matched against a copy of WDI PA.NUS.FCRF found. */
export const FX: Record<'CNY' | 'JPY', Record<number, { rate: number; verified: boolean }>> = {
  CNY: {
    2008: { rate: 6.9487, verified: true },
    2009: { rate: 6.8314, verified: true },
    2010: { rate: 6.7703, verified: true },
    2011: { rate: 6.4615, verified: true },
    2012: { rate: 6.3123, verified: true },
    2013: { rate: 6.1958, verified: true },
    2014: { rate: 6.1434, verified: true },
    2015: { rate: 6.2275, verified: true },
    2016: { rate: 6.6445, verified: true },
    2017: { rate: 6.7588, verified: true },
    2018: { rate: 6.616, verified: true },
    2019: { rate: 6.9084, verified: true },
    2020: { rate: 6.9008, verified: true },
    2021: { rate: 6.4515, verified: false },
    2022: { rate: 6.7372, verified: false },
    2023: { rate: 7.0843, verified: false },
  },
  JPY: {
    2008: { rate: 103.36, verified: true },
    2009: { rate: 93.57, verified: true },
    2010: { rate: 87.78, verified: true },
    2011: { rate: 79.81, verified: true },
    2012: { rate: 79.79, verified: true },
    2013: { rate: 97.6, verified: true },
    2014: { rate: 105.94, verified: true },
    2015: { rate: 121.04, verified: true },
    2016: { rate: 108.79, verified: true },
    2017: { rate: 112.17, verified: true },
    2018: { rate: 110.42, verified: true },
    2019: { rate: 109.01, verified: true },
    2020: { rate: 106.77, verified: true },
    2021: { rate: 109.75, verified: true },
    2022: { rate: 131.5, verified: false },
    2023: { rate: 140.49, verified: false },
  },
};

async function buildFx(): Promise<void> {
  const years = Array.from({ length: 17 }, (_, k) => 2008 + k);
  const meta = [
    { name: 'China', code: 'CHN', currency: 'CNY' as const },
    { name: 'Japan', code: 'JPN', currency: 'JPY' as const },
  ];
  const rows: Cell[][] = [
    ['Official exchange rate (LCU per US$, period average) — World Development Indicators, PA.NUS.FCRF'],
    ['Unit: local currency units per US dollar, annual average of monthly averages'],
    ['Country Name', 'Country Code', 'Currency', 'Indicator Name', 'Indicator Code', ...years.map(String)],
    ...meta.map((m) => [
      m.name,
      m.code,
      m.currency,
      'Official exchange rate (LCU per US$, period average)',
      'PA.NUS.FCRF',
      ...years.map((y) => v(FX[m.currency][y]?.rate)),
    ]),
    ['Note: CNY 2008–2020 and JPY 2008–2021 checked against copies of WDI PA.NUS.FCRF (see README); CNY 2021–2023 and JPY 2022–2023 are commonly cited annual averages NOT checked against WDI in this build; 2024 is left empty (“—”) rather than guessed.'],
    ['Source: World Bank, World Development Indicators, https://data.worldbank.org/indicator/PA.NUS.FCRF (from IMF International Financial Statistics). Copies consulted: https://www.indexmundi.com/facts/japan/indicator/PA.NUS.FCRF ; WDI CNY series as quoted in a public repository (“World Bank PA.NUS.FCRF … China”).'],
  ];
  const nCols = 5 + years.length;
  const merges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: nCols },
    { r1: 2, c1: 1, r2: 2, c2: nCols },
    { r1: 6, c1: 1, r2: 6, c2: nCols },
    { r1: 7, c1: 1, r2: 7, c2: nCols },
  ];
  const status: Cell[][] = [
    ['Verification status per value'],
    ['Currency', 'Year', 'LCU per US$', 'Verified against WDI copy'],
    ...(['CNY', 'JPY'] as const).flatMap((c) =>
      Object.entries(FX[c]).map(([y, x]) => [c, y, x.rate, x.verified ? 'yes' : 'no (commonly cited value)'] as Cell[]),
    ),
  ];
  await writeWorkbook('fx-rates.xlsx', 'Official exchange rates (WDI PA.NUS.FCRF)', [
    { name: 'Data', rows, merges, headerRows: [3], widths: [12, 12, 10, 48, 14, ...Array(years.length).fill(9)] },
    { name: 'Verification', rows: status, headerRows: [2], widths: [10, 8, 12, 30] },
  ]);
}

// ---------------------------------------------------------------------------------------------
// f. jp-investment.xlsx — foreign direct investment in Heilongjiang, yearbook style.
// ---------------------------------------------------------------------------------------------
/** Japanese FDI in Heilongjiang: NOT PUBLISHED in any source found; illustrative only. */
export const ILLUSTRATIVE_JP_INVESTMENT: Record<number, { projects?: number; utilized?: number }> = {
  2012: { projects: 7, utilized: 3150 },
  2013: { projects: 5, utilized: 2480 },
  2015: { utilized: 1960 },
};

async function buildInvestment(): Promise<void> {
  const years = [2012, 2013, 2015];
  type T = [number | null, number | null, number | null];
  const total: Record<number, T> = {
    2012: [98, 390000, 390000], // Mizuho: 98 件, 3,900 / 3,900 百万ドル
    2013: [86, 500000, 461000], // Mizuho: 86 件, 5,000 / 4,610 百万ドル
    2015: [null, null, 544900], // HKTDC: utilised 5,449 US$ million
  };
  const japan: Record<number, T> = Object.fromEntries(
    years.map((y) => [y, [ILLUSTRATIVE_JP_INVESTMENT[y]?.projects ?? null, null, ILLUSTRATIVE_JP_INVESTMENT[y]?.utilized ?? null] as T]),
  );
  const nCols = 1 + years.length * 3 + 1;
  const h1: Cell[] = ['国家和地区\nCountry or Region'];
  const h2: Cell[] = [null];
  for (const y of years) {
    h1.push(`${y}年`, null, null);
    h2.push('项目数（个）\nProjects', '合同外资额（万美元）\nContracted', '实际利用外资（万美元）\nUtilized');
  }
  h1.push('标记\nFlag');
  h2.push(null);
  const line = (label: string, d: Record<number, T>, flag: string | null): Cell[] => [
    label,
    ...years.flatMap((y) => (d[y] ?? [null, null, null]).map(v)),
    flag,
  ];
  const rows: Cell[][] = [
    ['12-6  黑龙江省利用外商直接投资（按主要国家和地区分）'],
    [...Array(nCols - 1).fill(null), '单位：个、万美元'],
    h1,
    h2,
    line('合计\nTotal', total, null),
    line('其中：日本\nJapan', japan, ILLUSTRATIVE_FLAG),
    ['注：1. “—”表示未获得公开发布的数据。2. 标记为“示意 illustrative”的数值（日本对黑龙江省直接投资）未见公开发布，仅为示意值，不得作为统计数据引用。'],
    [`资料来源：2013年《黑龙江省统计年鉴》等，经 みずほ銀行「黒龍江省概況」${U.mizuho} (2012—2013) ; HKTDC ${U.hktdc} (2015)`],
  ];
  const merges: Merge[] = [
    { r1: 1, c1: 1, r2: 1, c2: nCols },
    { r1: 3, c1: 1, r2: 4, c2: 1 },
    { r1: 3, c1: nCols, r2: 4, c2: nCols },
    { r1: 7, c1: 1, r2: 7, c2: nCols },
    { r1: 8, c1: 1, r2: 8, c2: nCols },
  ];
  years.forEach((_, k) => merges.push({ r1: 3, c1: 2 + k * 3, r2: 3, c2: 4 + k * 3 }));

  const cnRows: Cell[][] = [
    ['日本对华直接投资（全国）  Japanese FDI in China (national)'],
    [null, '单位：万美元'],
    ['年份\nYear', '实际使用外资\nUtilized'],
    ['2016', 311000],
    ['2017', 327000],
    ['注：商务部统计，实际使用金额。'],
    ['资料来源：http://english.www.gov.cn/news/international_exchanges/2018/05/10/content_281476141691704.htm'],
  ];
  await writeWorkbook('jp-investment.xlsx', '黑龙江省利用外商直接投资', [
    {
      name: '利用外资',
      rows,
      merges,
      headerRows: [3, 4],
      widths: [18, ...Array(years.length * 3).fill(14), 16],
      numFmt: Object.fromEntries(Array.from({ length: years.length * 3 }, (_, k) => [k + 2, '#,##0'])),
    },
    {
      name: '全国',
      rows: cnRows,
      merges: [
        { r1: 1, c1: 1, r2: 1, c2: 2 },
        { r1: 6, c1: 1, r2: 6, c2: 2 },
        { r1: 7, c1: 1, r2: 7, c2: 2 },
      ],
      headerRows: [3],
      widths: [10, 18],
      numFmt: { 2: '#,##0' },
    },
  ]);
}

async function main(): Promise<void> {
  await buildTradeByPartner();
  await buildCustomsMonthly();
  await buildIndicators();
  await buildChinaJapan();
  await buildFx();
  await buildInvestment();
}

// Only build when run as a script, so tests may import the constants above.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
