// The Simplified Chinese catalogue: the same keys as en.ts (`Messages`, so a missing key does not
// compile), written as a provincial statistics bulletin or an academy paper would put it — 对日贸易额,
// 比上年下降7.3%, 占全省外贸总额的5.7% — not word for word from the English.
import type { Lang } from '../document.js';
import type { Formatter } from '../format.js';
import type { DependenceLevel } from '../analysis/indicators.js';
import type { Messages } from './en.js';

type N = number | null;

/** 增长/下降/持平 by sign, so the text can never contradict the number. */
function direction(x: number, up: string, down: string, flat: string): string {
  return x > 0 ? up : x < 0 ? down : flat;
}

/** "甲、乙和丙". */
function listOf(items: readonly string[], last = '和'): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join('、')}${last}${items[items.length - 1]}`;
}

// The one-character forms Chinese writes in 对日贸易, 对俄出口, 自韩进口; other names stay whole.
const SHORT: Record<string, string> = { 日本: '日', 俄罗斯: '俄', 韩国: '韩', 美国: '美', 德国: '德', 法国: '法', 英国: '英', 朝鲜: '朝', 蒙古: '蒙', 印度: '印' };
const ab = (name: string): string => SHORT[name] ?? name;

/** "全省" for a province (占全省外贸总额), "全市" for a municipality, else the name itself. */
function whole(region: string): string {
  if (region.endsWith('省')) return '全省';
  if (region.endsWith('市')) return '全市';
  if (region.endsWith('自治区')) return '全区';
  return region;
}

/** 地区生产总值 for a province, 国内生产总值 for a country. */
function gdpWord(region: string): string {
  return /[省市区]$/.test(region) ? '地区生产总值' : '国内生产总值';
}

const LEVEL: Record<DependenceLevel, string> = { high: '较高', moderate: '中等', low: '较低' };

export const zh: Messages = {
  lang: 'zh' as Lang,

  // --- Cover -------------------------------------------------------------------------------
  title: (s, p) => `${s}与${p}经贸合作`,
  subtitle: (s, p) => `“一带一路”战略下推进${s}与${p}经贸合作的潜力——依据已加载的统计数据重新生成`,
  subjectLine: (s, sc, p, pc) => `${s}（${sc}）· 重点合作伙伴：${p}（${pc}）`,
  runningHeader: (s, p) => `${s}与${p}经贸合作 · tradebrief`,
  illustrativeNote: '† 示意值：非公开发布数据，详见“数据与方法”。',
  noVintage: '未加载数据',

  // --- Coverage ----------------------------------------------------------------------------
  notAvailableFor: (years) => `已加载的数据源缺少${years}的数据`,
  notAvailable: '已加载的数据源中无此数据',
  missingNote: (what, years) => `${what}：已加载的数据源缺少${years}的数据。`,
  missingAll: (what) => `${what}：已加载的数据源中无此数据。`,

  // --- Section headings --------------------------------------------------------------------
  sections: {
    economy: (s) => `${s}经济发展趋势`,
    opening: (s) => `${s}对外开放与对外贸易`,
    cooperation: (s, p) => `${s}与${p}的经贸合作`,
    opportunities: '机遇与不足',
    methods: '数据与方法',
  },

  // --- Figure labels (by metric kind) --------------------------------------------------------
  figure: {
    'trade.total': (r, p) => (!p ? `${r}进出口总额` : `${r}对${ab(p)}贸易额`),
    'trade.exports': (r, p) => (!p ? `${r}出口额` : `${r}对${ab(p)}出口额`),
    'trade.imports': (r, p) => (!p ? `${r}进口额` : `${r}自${ab(p)}进口额`),
    'trade.balance': (r, p) => (!p ? `${r}贸易差额` : `${r}对${ab(p)}贸易差额`),
    'trade.growth': (r, p) => (!p ? `${r}进出口总额同比增速` : `${r}对${ab(p)}贸易额同比增速`),
    'trade.cagr': (r, p) => (!p ? `${r}进出口总额年均增速` : `${r}对${ab(p)}贸易额年均增速`),
    'trade.share': (r, p) => `${p}占${r}外贸总额的比重`,
    'trade.rank': (r, p) => `${p}在${r}贸易伙伴中的位次`,
    'trade.benchmarkShare': (r, p) => `${p}占${r}外贸总额的比重`,
    tii: (r, p) => `${r}与${p}的贸易强度指数`,
    'untapped.expected': (r, p) => `按全国贸易强度测算的${r}对${ab(p)}贸易额`,
    'untapped.gap': (r, p) => `${r}对${ab(p)}贸易的未开发潜力`,
    hhi: (r) => `${r}贸易伙伴集中度（HHI）`,
    hhiNormalised: (r) => `${r}贸易伙伴集中度（标准化HHI）`,
    'gdp.usd': (r) => `${r}${gdpWord(r)}`,
    'gdp.cny': (r) => `${r}${gdpWord(r)}（人民币）`,
    'gdp.growth': (r) => `${r}${gdpWord(r)}实际增速`,
    'gdp.perCapita': (r) => `${r}人均${gdpWord(r)}`,
    openness: (r) => `${r}外贸依存度（外贸总额/GDP）`,
    'investment.projects': (r, p) => `${r}${p}投资项目数`,
    'investment.contracted': (r, p) => `${p}对${r}合同投资额`,
    'investment.utilized': (r, p) => `${p}对${r}实际投资额`,
    'investment.share': (r, p) => `${p}占${r}实际使用外资的比重`,
    rca: (r, p) => `${r}${p}的显性比较优势指数`,
    rcaInMarket: (r, p) => `${r}在${p}市场的显性比较优势指数`,
    'product.share': (r, p) => `占${r}对${ab(p)}出口的比重`,
    complementarity: (r, p) => `${r}出口与${p}进口的贸易互补性指数`,
    growthGap: (r, p) => `${r}与${p}的增速差`,
  },

  // --- Key figures ---------------------------------------------------------------------------
  keyFigures: {
    totalTrade: '对外贸易总额',
    partnerTrade: (p) => `对${ab(p)}贸易额`,
    partnerShare: (p) => `${p}所占比重`,
    tii: (p) => `与${p}的贸易强度指数`,
    untapped: '未开发潜力',
    russiaShare: (p) => `${p}所占比重`,
    yearGrowth: (f: Formatter, year: number, g: N) => (g === null ? `${year}年` : g === 0 ? `${year}年，与上年持平` : `${year}年，同比${direction(g, '增长', '下降', '')}${f.absPct(g)}`),
    yearRank: (year: number, rank: N) => (rank === null ? `${year}年` : `${year}年，居第${rank}位`),
    tiiNote: (year: number) => `${year}年，全国=1`,
    untappedNote: (f: Formatter, year: number, tii: N) => `${year}年，按全国比重测算${tii === null ? '' : `（TII ${f.index(tii)}）`}`,
  },

  // --- Sentences -----------------------------------------------------------------------------
  sentences: {
    gdp: (f, p) =>
      `${p.year}年，${p.region}${gdpWord(p.region)}为${f.money(p.usd)}${p.cny === null ? '' : `（${f.yuan(p.cny)}）`}` +
      (p.growth === null ? '。' : p.growth === 0 ? '，实际增速为零。' : `，按可比价格计算，比上年${direction(p.growth, '增长', '下降', '')}${f.absPct(p.growth)}。`),
    gdpTrend: (f, p) =>
      p.growthLast === p.growthFirst
        ? `${p.first}年和${p.last}年的实际增速均为${f.pct(p.growthLast)}。`
        : `实际增速由${p.first}年的${f.pct(p.growthFirst)}${direction(p.growthLast - p.growthFirst, '提高', '回落', '')}至${p.last}年的${f.pct(p.growthLast)}。`,
    openness: (f, p) =>
      `${p.year}年，外贸依存度（按美元计算的对外贸易总额占GDP的比重）为${f.pct(p.openness)}` +
      (p.first ? `，${p.first.year}年为${f.pct(p.first.openness)}。` : '。'),
    total: (f, p) =>
      `${p.year}年，${p.region}对外贸易总额为${f.money(p.total)}` +
      (p.exports !== null && p.imports !== null ? `，其中出口${f.moneyAs(p.exports, p.total)}，进口${f.moneyAs(p.imports, p.total)}` : '') +
      (p.growth === null ? '。' : p.growth === 0 ? `，与${p.prevYear}年持平。` : `，比${p.prevYear}年${direction(p.growth, '增长', '下降', '')}${f.absPct(p.growth)}。`),
    balance: (f, p) => {
      const what = p.partner ? `对${ab(p.partner)}贸易` : '对外贸易';
      return p.balance === 0 ? `${p.year}年，${what}收支平衡。` : `${p.year}年，${what}${p.balance > 0 ? '顺差' : '逆差'}${f.money(Math.abs(p.balance))}。`;
    },
    cagr: (f, p) =>
      p.cagr === 0
        ? `${f.span(p.first, p.last)}，对外贸易总额年均增速为零。`
        : `${f.span(p.first, p.last)}，对外贸易总额年均${direction(p.cagr, '增长', '下降', '')}${f.absPct(p.cagr)}（复合增长率）。`,
    topPartners: (f, p) =>
      `${p.year}年，${p.region}的主要贸易伙伴依次为${listOf(p.partners.map((x) => `${x.name}（${f.pct(x.share)}${x.illustrative ? '†' : ''}）`))}。`,
    russia: (f, p) =>
      `${p.year}年，${p.partner}占${p.region}外贸总额的${f.pct(p.share)}` + (p.first ? `，${p.first.year}年为${f.pct(p.first.share)}。` : '。'),
    hhi: (f, p) =>
      `按所列${p.countries}个贸易伙伴国计算，${p.year}年贸易伙伴集中度（赫芬达尔—赫希曼指数，取值0～10,000）为${f.num(p.hhi, 0)}` +
      (p.normalised === null ? '。' : `，标准化值为${f.index(p.normalised)}（0表示均匀分布，1表示集中于单一伙伴）。`),
    groups: (f, p) => `${p.year}年，${p.groups.map((g) => `与${g.name}的贸易额为${f.money(g.value)}（占${f.pct(g.share)}）`).join('；')}。`,
    partnerTrade: (f, p) =>
      `${p.year}年，${p.region}对${ab(p.partner)}贸易额为${f.moneyMillion(p.value)}${p.mark}` +
      (p.share === null ? '' : `，占${whole(p.region)}外贸总额的${f.pct(p.share)}`) +
      (p.growth === null ? '。' : p.growth === 0 ? `，与${p.prevYear}年持平。` : `，比${p.prevYear}年${direction(p.growth, '增长', '下降', '')}${f.absPct(p.growth)}。`),
    partnerFlows: (f, p) => `其中，对${ab(p.partner)}出口${f.moneyMillion(p.exports)}，自${ab(p.partner)}进口${f.moneyMillion(p.imports)}。`,
    rank: (p) => `在${p.year}年所列的${p.countries}个贸易伙伴国中，${p.partner}居第${p.rank}位。`,
    tii: (f, p) =>
      `${p.year}年，${p.region}与${p.partner}的贸易强度指数为${f.index(p.tii)}：${p.partner}占${p.region}外贸总额的${f.pct(p.share)}，占全国外贸总额的${f.pct(p.benchmarkShare)}，` +
      (p.tii > 1 ? `${p.region}与${p.partner}的贸易联系比全国更紧密。` : p.tii < 1 ? `${p.region}与${p.partner}的贸易联系不及全国紧密。` : `${p.region}与${p.partner}的贸易联系与全国持平。`),
    tiiMissing: (p) =>
      p.years
        ? `计算贸易强度指数需要全国对${ab(p.partner)}贸易数据，已加载的数据源仅有${p.years}的数据。`
        : `计算贸易强度指数需要全国对${ab(p.partner)}贸易数据，已加载的数据源中没有任何年份的数据。`,
    products: (f, p) =>
      `${p.year}年，显性比较优势指数最高的产品依次为${listOf(p.top.map((x) => `${x.name}（${f.index(x.rca)}）`))}` +
      (p.complementarity === null ? '。' : `；与${p.partner}进口的贸易互补性指数为${f.num(p.complementarity, 1)}（取值0～100）。`),
    productsMissing: (p) => `产品结构、显性比较优势指数（RCA）以及与${p}的贸易互补性指数需要HS商品层面的贸易数据，已加载的数据源中无此数据。`,
    productsNational: (p) =>
      `已加载的数据源中没有${p.region}本身分商品的贸易数据，因此以下产品指标为全国层面数据：反映的是${p.national}整体（本简报与${p.region}对比的基准），而非${p.region}。`,
    complementarityNational: (f, p) =>
      `${p.year}年，按HS章计算，${p.national}对世界出口与${p.partner}自世界进口的贸易互补性指数为${f.num(p.value, 1)}（取值0～100，${p.national}出口结构与${p.partner}进口结构完全一致时为100）。`,
    rcaNational: (f, p) =>
      `${p.year}年，在所比较的${p.chapters}个HS章中，${p.national}在${p.partner}市场显性比较优势指数最高的依次为${listOf(p.top.map((x) => `${x.name}（RCA ${f.index(x.rca)}，占对${ab(p.partner)}出口的${f.pct(x.share)}）`))}。`,
    investment: (f, p) =>
      `${p.year}年，` +
      [
        p.projects === null ? null : `${p.region}新批${p.partner}投资项目${f.count(p.projects)}个`,
        p.contracted === null ? null : `${p.partner}合同投资额${f.money(p.contracted)}`,
        p.utilized === null ? null : `实际投资额${f.money(p.utilized)}`,
      ]
        .filter((x): x is string => x !== null)
        .join('，') +
      (p.share === null ? '。' : `，占${whole(p.region)}实际使用外资的${f.pct(p.share)}。`),
    investmentMissing: (p, r) => `已加载的数据源中没有${p}对${r}投资（项目数、合同额和实际使用额）的数据。`,
    comparators: (f, p) =>
      `横向比较，${p.partner}占各地区外贸总额的比重分别为：${p.rows.map((r) => `${r.name}${f.pct(r.share)}（${r.year}年${r.tii === null ? '' : `，TII ${f.index(r.tii)}`}）`).join('、')}。`,
    untapped: (f, p) =>
      p.gap > 0
        ? `如果${p.partner}在${p.region}外贸中所占比重与其在全国外贸中的比重相同，${p.year}年${p.region}对${ab(p.partner)}贸易额应为${f.money(p.expected)}，而实际为${f.money(p.actual)}，未开发潜力达${f.money(p.gap)}。`
        : `${p.year}年，${p.region}对${ab(p.partner)}贸易额（${f.money(p.actual)}）比按全国贸易强度测算的${f.money(p.expected)}高出${f.money(-p.gap)}，按此口径不存在未开发潜力。`,
    growthGap: (f, p) =>
      `${f.span(p.first, p.last)}，${p.region}${p.what}年均增速为${f.signedPct(p.a)}，${p.comparator}为${f.signedPct(p.b)}，` +
      (p.gap === 0 ? '两者持平。' : `${p.gap > 0 ? '高出' : '低'}${f.num(Math.abs(p.gap), 1)}个百分点。`),
    growthGapMissing: (p) => `无法将${p.what}增速与${p.comparator}比较：已加载的数据源中两者共有的年份不足两年。`,
    dependence: (f, p) =>
      `对单一贸易伙伴的依赖程度${LEVEL[p.level]}：${p.year}年，仅${p.partner}一国就占${p.region}外贸总额的${f.pct(p.share)}` +
      (p.level === 'high' ? `，这一双边关系一旦受到冲击，将波及${whole(p.region)}对外贸易全局。` : '。'),
    sourcesIntro: (n) =>
      `本简报的数据来自下列${n}个数据源，均已载入tradebrief数据仓库；每个数据源以所读取文件的SHA-256值和载入该文件的运行编号标识。同一数据有多个来源时，采用配置中优先级较高的数据源。`,
  },

  whatTotalTrade: '对外贸易总额',
  whatPartnerTrade: (p) => `对${ab(p)}贸易额`,

  // --- Charts --------------------------------------------------------------------------------
  charts: {
    trend: { title: (r, span) => `${r}对外贸易（${span}）`, alt: (r) => `${r}历年出口、进口和进出口总额折线图，单位：百万美元。` },
    partners: { title: (r, year) => `${year}年${r}主要贸易伙伴`, alt: (r, year) => `${year}年各主要贸易伙伴占${r}外贸总额比重的条形图。`, axis: (year) => `占${year}年外贸总额的比重（%）` },
    partner: { title: (r, p) => `${r}对${ab(p)}贸易`, alt: (r, p) => `${r}历年对${ab(p)}出口和自${ab(p)}进口的柱形图，单位：百万美元。` },
    comparators: { title: (p) => `${p}占各地区外贸总额的比重`, alt: (p) => `${p}历年占各比较地区外贸总额比重的折线图，单位：%。`, axis: (p) => `${p}所占比重（%）` },
    gdp: { title: (r) => `${r}${gdpWord(r)}及实际增速`, alt: (r) => `${r}${gdpWord(r)}（十亿美元）柱形图及实际增速（%）折线图。` },
    tii: { title: (r, p) => `${r}与${p}的贸易强度指数（全国=1）`, alt: (r, p) => `${r}与${p}历年贸易强度指数折线图；1为全国水平。` },
    axis: { usdMillion: '百万美元', usdBillion: 'GDP（十亿美元）', growthPct: '实际增速（%）', index: '指数（全国=1）' },
    series: { exports: '出口', imports: '进口', total: '进出口总额' },
  },

  // --- Tables --------------------------------------------------------------------------------
  tables: {
    economy: (r) => `${r}GDP、经济增速与外贸依存度`,
    economyComparators: '各比较地区的GDP与外贸依存度（各取最新年份）',
    trade: (r) => `${r}对外贸易`,
    partners: (r, year) => `${year}年${r}主要贸易伙伴`,
    partnersAll: (r) => `${r}主要贸易伙伴`,
    groups: (r) => `${r}与国家集团的贸易`,
    partner: (r, p) => `${r}对${ab(p)}贸易`,
    comparators: (p) => `各比较地区对${ab(p)}贸易（各取最新年份）`,
    investment: (r, p) => `${p}对${r}投资`,
    rca: (r) => `${r}各产品显性比较优势`,
    rcaNational: (n, p, year) => `${year}年${n}（全国层面）在${p}市场的分HS章显性比较优势`,
    untapped: (r, p) => `按全国贸易强度测算的${r}对${ab(p)}贸易`,
    gaps: '与各比较地区的增速差',
    sources: '数据源',
    formulas: '计算公式',
  },
  columns: {
    year: '年份',
    region: '地区',
    partner: '贸易伙伴',
    group: '国家集团',
    product: '产品',
    gdpUsd: 'GDP（百万美元）',
    gdpCny: 'GDP（百万元）',
    growth: '实际增速（%）',
    perCapita: '人均GDP（美元）',
    trade: '贸易额（百万美元）',
    openness: '外贸依存度（%）',
    exports: '出口（百万美元）',
    imports: '进口（百万美元）',
    total: '进出口总额（百万美元）',
    balance: '差额（百万美元）',
    yoy: '同比增速（%）',
    share: '比重（%）',
    rank: '位次',
    tii: 'TII（全国=1）',
    benchmarkShare: (p) => `${p}占全国外贸比重（%）`,
    cagr: (p) => `对${ab(p)}贸易年均增速（%）`,
    projects: '项目数',
    contracted: '合同额（百万美元）',
    utilized: '实际使用额（百万美元）',
    utilizedAll: '实际使用外资总额（百万美元）',
    fdiShare: (p) => `${p}占实际使用外资比重（%）`,
    rca: 'RCA',
    chapter: 'HS章',
    section: 'HS类',
    rcaInMarket: (p) => `${p}市场RCA`,
    exportShare: (p) => `占对${ab(p)}出口比重（%）`,
    exportsTo: (p) => `对${ab(p)}出口（百万美元）`,
    actual: '实际值（百万美元）',
    expected: '按全国强度测算（百万美元）',
    gap: '未开发潜力（百万美元）',
    comparison: '比较',
    period: '期间',
    subjectCagr: (r) => `${r}年均增速（%）`,
    comparatorCagr: '比较地区年均增速（%）',
    gapPp: '差距（百分点）',
    source: '数据源',
    publisher: '发布机构',
    url: '文件',
    sha256: 'SHA-256',
    fetchedAt: '获取时间',
    run: '运行编号',
    indicator: '指标',
    formula: '公式',
  },

  // --- Notes -----------------------------------------------------------------------------
  notes: {
    source: (titles) => (titles.length ? `资料来源：${titles.join('；')}；tradebrief计算。` : '资料来源：无已加载的数据源。'),
    conflict: (p) => `${p.label}：${p.other}为${p.otherValue}，${p.used}（优先级较高）为${p.usedValue}，采用${p.usedValue}。`,
    partnersListed: (total) => `比重按对外贸易总额（${total}）计算；仅对数据源单独列出的贸易伙伴排序。`,
    benchmark: (p) => `贸易强度指数和未开发潜力以全国对${ab(p)}贸易为基准；全国本身即为基准（TII = 1）。`,
    groupsMissing: (names) => `与${listOf(names)}的贸易：已加载的数据源中无此数据（数据源未列出该国家集团）。`,
    illustrativeNone: '本简报中没有示意值。',
    illustrativeIntro: '示意值（非公开发布数据，以†标示）：',
    conflictsIntro: '各数据源之间差异超过0.5%的数据：',
    conflictsNone: '本简报所用数据中，没有两个已加载数据源之间的差异超过0.5%。',
    notLoaded: '已配置，尚未加载',
    formulasIntro: '各项指标依据数据仓库中的数值按下列公式计算（i为本地区，j为贸易伙伴，w为全国，k为产品）：',
    illustrativeItem: (p) => `${p.label}：${p.value}（${p.source}，${p.cell}）`,
    rcaNational: (p) =>
      `全国层面（${p.national}整体）。${p.partner}市场显性比较优势指数 =（该章占${p.national}对${ab(p.partner)}出口的比重）/（该章占${p.partner}自世界进口的比重）；大于1表示${p.national}向${p.partner}供应该章商品的相对比重高于世界平均水平。标准的Balassa指数需要世界分章出口数据，已加载的数据源中没有，故采用贸易伙伴市场口径。比重按所列HS章合计计算。`,
  },

  labelAt: (label, period) => (period ? `${/^\d{4}$/.test(period) ? `${period}年` : period}${label}` : label),
  labelProduct: (label, product) => `${label}（${product}）`,
  comparisonRow: (what, subject, comparator) => `${what}：${subject}—${comparator}`,
  sourceEntry: (title, id) => `${title}（${id}）`,

  // --- PDF page furniture ------------------------------------------------------------------
  labels: {
    brief: '政策简报',
    contents: '目录',
    vintage: '数据截至',
    generated: '生成时间',
    figureNo: (n) => `图${n}`,
    tableNo: (n) => `表${n}`,
    source: '资料来源：',
    sources: '资料来源',
    fetched: '获取于',
    run: '运行编号',
    cites: '引用：',
    page: (n, m) => `第${n}页，共${m}页`,
    na: '—',
  },

  // --- Workbook ----------------------------------------------------------------------------
  workbook: {
    sheets: { summary: '摘要', figures: '数据', sources: '来源' },
    tableSheets: {
      economy: 'GDP、增速与外贸依存度',
      'economy-comparators': '比较地区GDP',
      trade: '对外贸易',
      partners: '主要贸易伙伴',
      groups: '国家集团',
      'partner-trade': '双边贸易',
      comparators: '比较地区双边贸易',
      rca: '显性比较优势',
      'rca-national': '全国在伙伴市场的RCA',
      investment: '投资',
      untapped: '未开发潜力',
      'growth-gaps': '增速差',
      sources: '数据源文件',
      formulas: '计算公式',
    },
    tableSheet: (n, name) => `表${n} ${name}`,
    meta: { subject: '研究对象', vintage: '数据截至', generated: '生成时间', brief: '简报', language: '语言' },
    generatedFormat: 'yyyy"年"m"月"d"日" hh:mm "UTC"',
    summaryHeader: ['主要指标', '数值', '单位', '时期', '示意值', '显示为', '指标编号'],
    figuresHeader: ['指标编号', '名称', '数值', '单位', '时期', '示意值', '公式', '来源行数'],
    provenanceHeader: ['指标编号', '数据表', '数据源编号', '单元格', '运行编号', '键'],
    sourceFiles: '数据源文件',
    filesHeader: ['数据源编号', '名称', '发布机构', 'URL', 'sha256', '获取时间', '运行编号', '引用'],
    illustrative: '示意值',
  },

  formulas: {
    growth: 'g = (本期 − 上期) / |上期| × 100',
    cagr: 'CAGR = ((x_末 / x_初)^(1/n) − 1) × 100，n 为两期相隔年数',
    share: 's = 部分 / 总额 × 100',
    balance: 'B = 出口 − 进口',
    openness: 'O = 外贸总额 / GDP × 100',
    hhi: 'HHI = Σ (100 × v_i / Σv)²（0–10,000）',
    hhiNormalised: 'HHI* = (H − 1/N) / (1 − 1/N)，H = HHI / 10,000（0–1）',
    tradeIntensity: 'TII = (x_ij / X_i) / (x_wj / X_w)',
    untappedPotential: '潜力缺口 = X_i × (x_wj / X_w) − x_ij',
    rca: 'RCA = (x_ik / X_i) / (x_wk / X_w)',
    rcaInMarket: 'RCA_j = (x_ijk / X_ij) / (m_jk / M_j)',
    tradeComplementarity: 'C = 100 × (1 − Σ_k |m_jk − x_ik| / 2)',
    gapPercentagePoints: 'Δ = a − b（百分点）',
  },
  formulaNames: {
    growth: '增长率',
    cagr: '年均复合增长率',
    share: '比重',
    balance: '贸易差额',
    openness: '外贸依存度',
    hhi: '赫芬达尔—赫希曼指数',
    hhiNormalised: '标准化HHI',
    tradeIntensity: '贸易强度指数',
    untappedPotential: '未开发潜力',
    rca: '显性比较优势指数（Balassa）',
    rcaInMarket: '贸易伙伴市场显性比较优势指数',
    tradeComplementarity: '贸易互补性指数',
    gapPercentagePoints: '增速差',
  },

  dependenceLevel: LEVEL,
};
