import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import XLSX from 'xlsx';
import { defaultReferenceDir, loadReference, normaliseLabel } from '../../src/pipelines/reference.js';
import { FX, ILLUSTRATIVE_HLJ_JAPAN_TRADE, ILLUSTRATIVE_JP_INVESTMENT } from '../../scripts/build-sources.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const ref = loadReference();

describe('loadReference', () => {
  it('finds data/reference from the module location and caches per directory', () => {
    expect(defaultReferenceDir()).toBe(join(ROOT, 'data', 'reference'));
    expect(loadReference(join(ROOT, 'data', 'reference'))).toBe(ref);
  });

  it('normalises width, case, quotes and whitespace', () => {
    expect(normaliseLabel('  ＪＡＰＡＮ\u3000 ')).toBe('japan');
    expect(normaliseLabel('“一带一路”沿线国家')).toBe('一带一路沿线国家');
    expect(normaliseLabel('South   Korea')).toBe('south korea');
  });
});

describe('Reference.lookup', () => {
  const aliases: [string, string][] = [
    // English
    ['Japan', 'JPN'],
    ['Russia', 'RUS'],
    ['Russian Federation', 'RUS'],
    ['Korea, Rep.', 'KOR'],
    ['Republic of Korea', 'KOR'],
    ['South Korea', 'KOR'],
    ['North Korea', 'PRK'],
    ['United States', 'USA'],
    ['U.S.', 'USA'],
    ['Hong Kong SAR, China', 'HKG'],
    ['Taiwan, China', 'TWN'],
    ['Turkey', 'TUR'],
    ['Viet Nam', 'VNM'],
    ['Czech Republic', 'CZE'],
    ['UAE', 'ARE'],
    ['Congo, Dem. Rep.', 'COD'],
    ['World', 'WLD'],
    ['Heilongjiang Province', 'CN-HL'],
    ['Belt and Road countries', 'BRI'],
    ['European Union', 'EU27'],
    ['Europe Union', 'EU27'],
    // Chinese, simplified and traditional
    ['日本', 'JPN'],
    ['俄罗斯', 'RUS'],
    ['俄羅斯', 'RUS'],
    ['韩国', 'KOR'],
    ['韓國', 'KOR'],
    ['大韩民国', 'KOR'],
    ['朝鲜', 'PRK'],
    ['美国', 'USA'],
    ['香港', 'HKG'],
    ['中国香港', 'HKG'],
    ['中国台湾', 'TWN'],
    ['台灣', 'TWN'],
    ['澳门', 'MAC'],
    ['沙特阿拉伯', 'SAU'],
    ['阿联酋', 'ARE'],
    ['澳大利亚', 'AUS'],
    ['蒙古国', 'MNG'],
    ['哈萨克斯坦', 'KAZ'],
    ['刚果（金）', 'COD'],
    ['全国', 'CHN'],
    ['中国全国', 'CHN'],
    ['世界', 'WLD'],
    ['全球', 'WLD'],
    ['黑龙江', 'CN-HL'],
    ['黑龙江省', 'CN-HL'],
    ['遼寧', 'CN-LN'],
    ['吉林', 'CN-JL'],
    ['内蒙古自治区', 'CN-NM'],
    ['欧盟', 'EU27'],
    ['东盟', 'ASEAN'],
    ['一带一路沿线国家', 'BRI'],
    ['RCEP成员国', 'RCEP'],
    ['欧洲', 'EUROPE'],
    ['东南亚', 'SEA'],
    // Japanese
    ['韓国', 'KOR'],
    ['大韓民国', 'KOR'],
    ['北朝鮮', 'PRK'],
    ['米国', 'USA'],
    ['アメリカ', 'USA'],
    ['ロシア', 'RUS'],
    ['ニッポン', 'JPN'],
    ['日本国', 'JPN'],
    ['イギリス', 'GBR'],
    ['黒竜江省', 'CN-HL'],
    ['黒龍江省', 'CN-HL'],
    ['「一帯一路」沿線国', 'BRI'],
    ['ヨーロッパ', 'EUROPE'],
    ['東南アジア', 'SEA'],
    ['欧州連合', 'EU27'],
    // Korean
    ['한국', 'KOR'],
  ];
  it.each(aliases)('%s → %s', (label, code) => {
    expect(ref.lookup(label)?.code).toBe(code);
  });

  it('is case-, width- and whitespace-insensitive', () => {
    expect(ref.lookup('ＪＡＰＡＮ')?.code).toBe('JPN');
    expect(ref.lookup('  south   KOREA ')?.code).toBe('KOR');
    expect(ref.lookup('ＲＣＥＰ成员国')?.code).toBe('RCEP');
    expect(ref.lookup('"一带一路"沿线国家')?.code).toBe('BRI');
  });

  it('reads labels with two languages in one cell', () => {
    expect(ref.lookup('日本 Japan')).toEqual({ code: 'JPN', kind: 'country' });
    expect(ref.lookup('日本\nJapan')?.code).toBe('JPN');
    expect(ref.lookup('俄罗斯(Russia)')?.code).toBe('RUS');
    expect(ref.lookup('俄罗斯（Russia）')?.code).toBe('RUS');
    expect(ref.lookup('韩国 Korea, Rep.')?.code).toBe('KOR');
    expect(ref.lookup('中国香港\nHong Kong, China')?.code).toBe('HKG');
    expect(ref.lookup('Liaoning 辽宁')?.code).toBe('CN-LN');
    expect(ref.lookup('一带一路沿线国家\nBelt and Road countries')?.code).toBe('BRI');
  });

  it('ignores a leading 其中： and the 对/対 of customs partner columns', () => {
    expect(ref.lookup('其中：俄罗斯\nRussia')?.code).toBe('RUS');
    expect(ref.lookup('　　日本\nJapan')?.code).toBe('JPN');
    expect(ref.lookup('对俄罗斯')?.code).toBe('RUS');
    expect(ref.lookup('対ロシア')?.code).toBe('RUS');
    expect(ref.lookup('对')).toBeNull();
  });

  it('does not guess: unknown or contradictory labels are null', () => {
    expect(ref.lookup('火星')).toBeNull();
    expect(ref.lookup('Mars')).toBeNull();
    expect(ref.lookup('Japn')).toBeNull();
    expect(ref.lookup('合计\nTotal')).toBeNull();
    expect(ref.lookup('')).toBeNull();
    expect(ref.lookup('日本 Korea')).toBeNull();
    // A bare 刚果 could be either Congo; only the qualified forms resolve.
    expect(ref.lookup('刚果')).toBeNull();
  });

  it('maps a bare "Korea" to the Republic of Korea (documented choice)', () => {
    expect(ref.lookup('Korea')?.code).toBe('KOR');
    expect(ref.lookup('DPRK')?.code).toBe('PRK');
  });

  it('restricts by kind', () => {
    expect(ref.lookup('吉林', 'region')).toEqual({ code: 'CN-JL', kind: 'region' });
    expect(ref.lookup('吉林', 'country')).toBeNull();
    expect(ref.lookup('世界', 'country')).toEqual({ code: 'WLD', kind: 'world' });
    expect(ref.lookup('欧盟', 'group')?.code).toBe('EU27');
    expect(ref.lookup('欧盟', 'country')).toBeNull();
  });
});

describe('Reference.name / members / hsSection', () => {
  it('names codes in three languages', () => {
    expect(ref.name('JPN', 'zh')).toBe('日本');
    expect(ref.name('KOR', 'ja')).toBe('韓国');
    expect(ref.name('TWN', 'zh')).toBe('中国台湾');
    expect(ref.name('TWN', 'en')).toBe('Taiwan, China');
    expect(ref.name('CN-HL', 'ja')).toBe('黒竜江省');
    expect(ref.name('BRI', 'zh')).toBe('一带一路沿线国家');
    expect(() => ref.name('XXX', 'en')).toThrow(/unknown reference code/);
  });

  it('lists group members', () => {
    expect(ref.members('EU27')).toHaveLength(27);
    expect(ref.members('ASEAN')).toHaveLength(10);
    expect(ref.members('RCEP')).toHaveLength(15);
    expect(ref.members('RCEP')).toEqual(expect.arrayContaining(['JPN', 'KOR', 'CHN', 'AUS', 'NZL']));
    expect(ref.members('BRI')).toHaveLength(64);
    expect(ref.members('BRI')).toContain('RUS');
    expect(ref.members('BRI')).not.toContain('JPN');
    expect(ref.members('EUROPE')).toEqual([]);
  });

  it('covers G20, ASEAN and EU27 countries and all 31 provinces', () => {
    const g20 = ['ARG', 'AUS', 'BRA', 'CAN', 'CHN', 'FRA', 'DEU', 'IND', 'IDN', 'ITA', 'JPN', 'KOR', 'MEX', 'RUS', 'SAU', 'ZAF', 'TUR', 'GBR', 'USA'];
    for (const c of g20) expect(ref.entry(c)?.kind).toBe('country');
    const provinces = readFileSync(join(ROOT, 'data', 'reference', 'regions.csv'), 'utf8').trim().split('\n').slice(1);
    expect(provinces).toHaveLength(31);
  });

  it('maps HS chapters to the 21 sections', () => {
    expect(ref.hsSection('HS:8471')?.section).toBe('XVI');
    expect(ref.hsSection('27')?.names.zh).toBe('矿产品');
    expect(ref.hsSection('97')?.sectionNo).toBe(21);
    expect(ref.hsSection('TOTAL')).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// The bundled sources against the published figures they were typed from.
// ---------------------------------------------------------------------------------------------
interface Published {
  indicator: string;
  year: string;
  period: string;
  value: string;
  partner: string;
  province: string;
}
const published = Papa.parse<Published>(readFileSync(join(ROOT, 'data', 'sources', 'published-figures.csv'), 'utf8'), {
  header: true,
  skipEmptyLines: true,
}).data;

function pub(q: Partial<Published>, url?: string): number {
  const hits = published.filter((r) => Object.entries(q).every(([k, val]) => r[k as keyof Published] === val));
  const hit = url ? hits.find((r) => (r as unknown as Record<string, string>).source_url?.includes(url)) : hits[0];
  if (!hit) throw new Error(`no published figure for ${JSON.stringify(q)}`);
  return Number(hit.value);
}

function sheet(file: string, name: string): unknown[][] {
  const wb = XLSX.read(readFileSync(join(ROOT, 'data', 'sources', file)));
  const ws = wb.Sheets[name];
  if (!ws) throw new Error(`${file} has no sheet ${name}`);
  return XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: null });
}

/** The cell at the row whose first cell is (else starts with) `label` and the column `col` (0-based). */
function at(rows: unknown[][], label: string, col: number): unknown {
  const row =
    rows.find((r) => r[0] === label) ?? rows.find((r) => typeof r[0] === 'string' && r[0].startsWith(label));
  if (!row) throw new Error(`no row ${label}`);
  return row[col];
}

/** Column of `year`'s first sub-column in a table whose merged year headers sit in `headerRow`. */
function yearCol(rows: unknown[][], headerRow: number, year: string): number {
  const i = (rows[headerRow] ?? []).findIndex((c) => c === year);
  if (i < 0) throw new Error(`no column ${year}`);
  return i;
}

describe('bundled sources match the published figures', () => {
  it('hlj-trade-by-partner: 万美元 = US$ × 1e-4', () => {
    const rows = sheet('hlj-trade-by-partner.xlsx', '11-4');
    expect(rows[1]?.at(-1)).toBe('单位：万美元');
    const c2013 = yearCol(rows, 2, '2013年');
    const ru2013 = pub({ indicator: 'trade_with_partner', year: '2013', period: 'FY', partner: 'Russia', province: 'Heilongjiang' }, 'niigata');
    expect(at(rows, '其中：俄罗斯', c2013)).toBeCloseTo(ru2013 * 1e9 * 1e-4, 6); // 22.36 bn = 2,236,000 万美元
    expect(at(rows, '其中：俄罗斯', c2013)).toBe(2236000);
    expect(at(rows, '合计', c2013)).toBeCloseTo(pub({ indicator: 'total_trade', year: '2013', period: 'FY', province: 'Heilongjiang' }, 'expydoc') * 100, 6);
    const c2012 = yearCol(rows, 2, '2012年');
    expect(at(rows, '合计', c2012 + 1)).toBeCloseTo(pub({ indicator: 'exports', year: '2012', period: 'FY', province: 'Heilongjiang' }) * 100, 6);
    expect(at(rows, '合计', c2012 + 2)).toBeCloseTo(pub({ indicator: 'imports', year: '2012', period: 'FY', province: 'Heilongjiang' }) * 100, 6);
    const c2015 = yearCol(rows, 2, '2015年');
    expect(at(rows, '合计', c2015 + 1)).toBeCloseTo(pub({ indicator: 'exports', year: '2015', period: 'FY', province: 'Heilongjiang' }) * 100, 6);
    const c2014 = yearCol(rows, 2, '2014年');
    expect(at(rows, '其中：俄罗斯', c2014)).toBeCloseTo(pub({ indicator: 'trade_with_partner', year: '2014', partner: 'Russia', province: 'Heilongjiang' }) * 1e5, 6);
    expect(at(rows, '其中：俄罗斯', c2014 + 1)).toBe('—');
  });

  it('hlj-trade-by-partner flags every illustrative value, and only those', () => {
    const rows = sheet('hlj-trade-by-partner.xlsx', '11-4');
    const flagCol = (rows[2] ?? []).length - 1;
    expect(rows[2]?.[flagCol]).toBe('标记\nFlag');
    const flagged = rows.filter((r) => r[flagCol] === '示意 illustrative').map((r) => r[0]);
    expect(flagged).toEqual(['　　日本\nJapan']);
    for (const [year, value] of Object.entries(ILLUSTRATIVE_HLJ_JAPAN_TRADE)) {
      expect(at(rows, '　　日本', yearCol(rows, 2, `${year}年`))).toBe(value);
    }
    expect(rows.some((r) => typeof r[0] === 'string' && r[0].includes('示意 illustrative') && r[0].startsWith('　　4.'))).toBe(true);
  });

  it('hlj-customs-monthly: 亿元 = billion yuan × 10', () => {
    const rows = sheet('hlj-customs-monthly.xlsx', '黑龙江进出口');
    expect(rows[1]?.at(-1)).toBe('单位：亿元');
    expect(at(rows, '2023年', 1)).toBe(2978.3);
    expect(at(rows, '2023年', 1)).toBeCloseTo(pub({ indicator: 'total_trade', year: '2023', period: 'FY', province: 'Heilongjiang' }) * 10, 6);
    expect(at(rows, '2023年', 4)).toBe(pub({ indicator: 'total_trade_growth_yoy', year: '2023', period: 'FY', province: 'Heilongjiang' }));
    expect(at(rows, '2022年1-8月', 8 - 1)).toBeCloseTo(pub({ indicator: 'trade_with_partner', year: '2022', period: 'Jan-Aug', partner: 'RCEP members' }) * 10, 6);
    expect(at(rows, '2022年1-8月', 5)).toBeCloseTo(pub({ indicator: 'trade_with_partner', year: '2022', period: 'Jan-Aug', partner: 'Russia' }) * 10, 6);
    expect(at(rows, '2023年1-3月', 6)).toBeCloseTo(pub({ indicator: 'trade_with_partner', year: '2023', period: 'Jan-Mar', partner: 'Belt and Road countries' }) * 10, 6);
    expect(at(rows, '2021年1-9月', 5)).toBe('—');
  });

  it('hlj-indicators', () => {
    const rows = sheet('hlj-indicators.xlsx', 'Heilongjiang');
    const col = (y: string): number => (rows[2] ?? []).indexOf(y);
    expect(at(rows, 'Gross regional product', col('2013'))).toBe(pub({ indicator: 'GDP', year: '2013', period: 'FY', province: 'Heilongjiang' }));
    expect(at(rows, 'Gross regional product', col('2015'))).toBeCloseTo(pub({ indicator: 'GDP', year: '2015', period: 'FY', province: 'Heilongjiang' }) * 10, 6);
    expect(at(rows, 'Gross regional product', col('2019'))).toBe('—');
    expect(at(rows, 'Real GDP growth', col('2017'))).toBe(pub({ indicator: 'GDP_growth', year: '2017', period: 'FY', province: 'Heilongjiang' }));
    expect(at(rows, 'Foreign direct investment: utilised', col('2013'))).toBe(pub({ indicator: 'FDI_utilised', year: '2013', province: 'Heilongjiang' }));
    const cmp = sheet('hlj-indicators.xlsx', 'Northeast comparison');
    expect(at(cmp, 'Liaoning', (cmp[2] ?? []).indexOf('2016'))).toBe(pub({ indicator: 'GDP_growth', year: '2016', province: 'Liaoning' }));
    expect(at(cmp, 'Jilin', (cmp[2] ?? []).indexOf('2017'))).toBe(pub({ indicator: 'GDP_growth', year: '2017', province: 'Jilin' }));
  });

  it('china-japan-trade', () => {
    const cn = sheet('china-japan-trade.xlsx', '中国对日贸易');
    expect(at(cn, '2013', 2)).toBe(pub({ indicator: 'trade_with_partner', year: '2013', partner: 'Japan', province: 'China (national)' }, 'chinadaily'));
    expect(at(cn, '2017', 3)).toBe(pub({ indicator: 'exports_to_partner', year: '2017', partner: 'Japan', province: 'China (national)' }));
    expect(at(cn, '2013', 1)).toBeCloseTo(pub({ indicator: 'total_trade', year: '2013', partner: 'World', province: 'China (national)' }) * 1000, 6);
    const jp = sheet('china-japan-trade.xlsx', '日本の対中貿易');
    expect(jp[1]?.at(-1)).toBe('単位：百万ドル');
    expect(at(jp, '2013年', 3)).toBeCloseTo(pub({ indicator: 'imports_from_partner', year: '2013', province: 'Japan (national)' }) * 1000, 6);
  });

  it('jp-investment: 万美元 = US$ million × 100; Japan row flagged', () => {
    const rows = sheet('jp-investment.xlsx', '利用外资');
    const c2013 = yearCol(rows, 2, '2013年');
    expect(at(rows, '合计', c2013)).toBe(pub({ indicator: 'FDI_contracts', year: '2013', province: 'Heilongjiang' }));
    expect(at(rows, '合计', c2013 + 2)).toBeCloseTo(pub({ indicator: 'FDI_utilised', year: '2013', province: 'Heilongjiang' }) * 100, 6);
    expect(at(rows, '其中：日本', (rows[2] ?? []).length - 1)).toBe('示意 illustrative');
    expect(at(rows, '其中：日本', c2013 + 2)).toBe(ILLUSTRATIVE_JP_INVESTMENT[2013]?.utilized);
    const cn = sheet('jp-investment.xlsx', '全国');
    expect(at(cn, '2017', 1)).toBeCloseTo(pub({ indicator: 'FDI_actual', year: '2017', partner: 'Japan' }) * 1e5, 6);
  });

  it('fx-rates: WDI layout with a currency column', () => {
    const rows = sheet('fx-rates.xlsx', 'Data');
    const col = (rows[2] ?? []).indexOf('2012');
    expect(at(rows, 'China', 2)).toBe('CNY');
    expect(at(rows, 'Japan', col)).toBe(79.79);
    expect(at(rows, 'China', col)).toBe(FX.CNY[2012]?.rate);
    expect(at(rows, 'Japan', (rows[2] ?? []).indexOf('2024'))).toBe('—');
  });

  it('every bundled file cites its sources', () => {
    for (const file of ['hlj-trade-by-partner', 'hlj-customs-monthly', 'hlj-indicators', 'china-japan-trade', 'fx-rates', 'jp-investment']) {
      const wb = XLSX.read(readFileSync(join(ROOT, 'data', 'sources', `${file}.xlsx`)));
      const text = wb.SheetNames.map((n) => XLSX.utils.sheet_to_csv(wb.Sheets[n]!)).join('\n');
      expect(text, file).toMatch(/https?:\/\//);
      expect(text, file).toMatch(/资料来源|Sources?:|出所/);
    }
  });
});
