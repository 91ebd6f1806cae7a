// The Japanese catalogue: the same keys as en.ts (`Messages`, so a missing key does not compile),
// in the register of a JETRO or ERINA report — 対日貿易額, 前年比7.3%減少, 全省貿易総額の5.7%を占め —
// plain declarative sentences (だ・である調), not a word-for-word rendering of the English.
import type { Lang } from '../document.js';
import type { Formatter } from '../format.js';
import type { DependenceLevel } from '../analysis/indicators.js';
import type { Messages } from './en.js';

type N = number | null;

/** 増加/減少/横ばい by sign, so the text can never contradict the number. */
function direction(x: number, up: string, down: string, flat: string): string {
  return x > 0 ? up : x < 0 ? down : flat;
}

/** "A、B、C". */
function listOf(items: readonly string[]): string {
  return items.join('、');
}

// The one-character forms Japanese writes in 対日貿易, 対ロ輸出, 対中投資; other names stay whole.
const SHORT: Record<string, string> = { 日本: '日', ロシア: 'ロ', 中国: '中', 韓国: '韓', 米国: '米', アメリカ合衆国: '米', ドイツ: '独', 英国: '英', フランス: '仏' };
const ab = (name: string): string => SHORT[name] ?? name;

/** "全省貿易総額" for a province, else "中国の貿易総額". */
function whole(region: string): string {
  return region.endsWith('省') ? '全省' : `${region}の`;
}

const LEVEL: Record<DependenceLevel, string> = { high: '高い', moderate: '中程度', low: '低い' };

export const ja: Messages = {
  lang: 'ja' as Lang,

  // --- Cover -------------------------------------------------------------------------------
  title: (s, p) => `${s}と${p}の経済・貿易協力`,
  subtitle: (s, p) => `「一帯一路」戦略における${s}と${p}の経済・貿易協力推進の可能性 ― 読み込んだ統計データから再作成`,
  subjectLine: (s, sc, p, pc) => `${s}（${sc}）・重点相手国：${p}（${pc}）`,
  runningHeader: (s, p) => `${s}と${p}の経済・貿易協力 · tradebrief`,
  illustrativeNote: '† 参考値：公表値ではない（「データと方法」を参照）。',
  noVintage: 'データ未読み込み',

  // --- Coverage ----------------------------------------------------------------------------
  notAvailableFor: (years) => `読み込んだデータソースに${years}のデータはない`,
  notAvailable: '読み込んだデータソースにデータはない',
  missingNote: (what, years) => `${what}：読み込んだデータソースに${years}のデータはない。`,
  missingAll: (what) => `${what}：読み込んだデータソースにデータはない。`,

  // --- Section headings --------------------------------------------------------------------
  sections: {
    economy: (s) => `${s}の経済発展の動向`,
    opening: (s) => `${s}の対外開放と対外貿易`,
    cooperation: (s, p) => `${s}と${p}の経済・貿易協力`,
    opportunities: '機会と課題',
    methods: 'データと方法',
  },

  // --- Figure labels (by metric kind) --------------------------------------------------------
  figure: {
    'trade.total': (r, p) => (!p ? `${r}の貿易総額` : `${r}の対${ab(p)}貿易額`),
    'trade.exports': (r, p) => (!p ? `${r}の輸出額` : `${r}の対${ab(p)}輸出額`),
    'trade.imports': (r, p) => (!p ? `${r}の輸入額` : `${r}の対${ab(p)}輸入額`),
    'trade.balance': (r, p) => (!p ? `${r}の貿易収支` : `${r}の対${ab(p)}貿易収支`),
    'trade.growth': (r, p) => (!p ? `${r}の貿易総額の前年比伸び率` : `${r}の対${ab(p)}貿易額の前年比伸び率`),
    'trade.cagr': (r, p) => (!p ? `${r}の貿易総額の年平均伸び率` : `${r}の対${ab(p)}貿易額の年平均伸び率`),
    'trade.share': (r, p) => `${r}の貿易総額に占める${p}のシェア`,
    'trade.rank': (r, p) => `${r}の貿易相手国における${p}の順位`,
    'trade.benchmarkShare': (r, p) => `${r}の貿易総額に占める${p}のシェア`,
    tii: (r, p) => `${r}・${p}間の貿易結合度`,
    'untapped.expected': (r, p) => `中国全体並みの結合度で試算した${r}の対${ab(p)}貿易額`,
    'untapped.gap': (r, p) => `${r}の対${ab(p)}貿易の未開拓の潜在力`,
    hhi: (r) => `${r}の貿易相手国集中度（HHI）`,
    hhiNormalised: (r) => `${r}の貿易相手国集中度（正規化HHI）`,
    'gdp.usd': (r) => `${r}のGDP`,
    'gdp.cny': (r) => `${r}のGDP（人民元）`,
    'gdp.growth': (r) => `${r}の実質GDP成長率`,
    'gdp.perCapita': (r) => `${r}の1人当たりGDP`,
    openness: (r) => `${r}の貿易依存度（貿易総額／GDP）`,
    'investment.projects': (r, p) => `${p}の${r}向け投資件数`,
    'investment.contracted': (r, p) => `${p}の${r}向け投資額（契約ベース）`,
    'investment.utilized': (r, p) => `${p}の${r}向け投資額（実行ベース）`,
    'investment.share': (r, p) => `${r}の直接投資受入額（実行ベース）に占める${p}のシェア`,
    rca: (r, p) => `${r}の${p}における顕示比較優位指数`,
    rcaInMarket: (r, p) => `${r}の${p}市場における顕示比較優位指数`,
    'product.share': (r, p) => `${r}の対${ab(p)}輸出に占めるシェア`,
    complementarity: (r, p) => `${r}の輸出と${p}の輸入の貿易補完度`,
    growthGap: (r, p) => `${r}と${p}の伸び率の差`,
  },

  // --- Key figures ---------------------------------------------------------------------------
  keyFigures: {
    totalTrade: '貿易総額',
    partnerTrade: (p) => `対${ab(p)}貿易額`,
    partnerShare: (p) => `${p}のシェア`,
    tii: (p) => `${p}との貿易結合度`,
    untapped: '未開拓の潜在力',
    russiaShare: (p) => `${p}のシェア`,
    yearGrowth: (f: Formatter, year: number, g: N) => (g === null ? `${year}年` : g === 0 ? `${year}年、前年比横ばい` : `${year}年、前年比${f.absPct(g)}${direction(g, '増', '減', '')}`),
    yearRank: (year: number, rank: N) => (rank === null ? `${year}年` : `${year}年、第${rank}位`),
    tiiNote: (year: number) => `${year}年、中国全体＝1`,
    untappedNote: (f: Formatter, year: number, tii: N) => `${year}年、中国全体並みのシェアで試算${tii === null ? '' : `（結合度${f.index(tii)}）`}`,
  },

  // --- Sentences -----------------------------------------------------------------------------
  sentences: {
    gdp: (f, p) =>
      `${p.year}年の${p.region}のGDPは${f.money(p.usd)}${p.cny === null ? '' : `（${f.yuan(p.cny)}）`}` +
      (p.growth === null ? 'だった。' : `で、実質成長率は${f.pct(p.growth)}だった。`),
    gdpTrend: (f, p) =>
      p.growthLast === p.growthFirst
        ? `実質成長率は${p.first}年、${p.last}年とも${f.pct(p.growthLast)}だった。`
        : `実質成長率は${p.first}年の${f.pct(p.growthFirst)}から${p.last}年には${f.pct(p.growthLast)}に${direction(p.growthLast - p.growthFirst, '上昇', '低下', '')}した。`,
    openness: (f, p) =>
      `${p.year}年の貿易依存度（ドル建て貿易総額のGDP比）は${f.pct(p.openness)}` + (p.first ? `だった（${p.first.year}年は${f.pct(p.first.openness)}）。` : 'だった。'),
    total: (f, p) =>
      `${p.year}年の${p.region}の貿易総額は${f.money(p.total)}` +
      (p.exports !== null && p.imports !== null ? `（輸出${f.moneyAs(p.exports, p.total)}、輸入${f.moneyAs(p.imports, p.total)}）` : '') +
      (p.growth === null ? 'だった。' : p.growth === 0 ? 'で、前年から横ばいだった。' : `で、前年比${f.absPct(p.growth)}${direction(p.growth, '増加', '減少', '')}した。`),
    balance: (f, p) => {
      const what = p.partner ? `対${ab(p.partner)}貿易収支` : '貿易収支';
      return p.balance === 0 ? `${p.year}年の${what}は均衡していた。` : `${p.year}年の${what}は${f.money(Math.abs(p.balance))}の${p.balance > 0 ? '黒字' : '赤字'}だった。`;
    },
    cagr: (f, p) => `${f.span(p.first, p.last)}の貿易総額の年平均伸び率は${f.signedPct(p.cagr)}だった。`,
    topPartners: (f, p) =>
      `${p.year}年の${p.region}の主な貿易相手国は、${listOf(p.partners.map((x) => `${x.name}（${f.pct(x.share)}${x.illustrative ? '†' : ''}）`))}だった。`,
    russia: (f, p) =>
      `${p.year}年の${p.region}の貿易総額に占める${p.partner}のシェアは${f.pct(p.share)}` + (p.first ? `だった（${p.first.year}年は${f.pct(p.first.share)}）。` : 'だった。'),
    hhi: (f, p) =>
      `${p.year}年の貿易相手国集中度（ハーフィンダール・ハーシュマン指数、0～10,000）は、個別に掲載された${p.countries}か国で計算すると${f.num(p.hhi, 0)}だった` +
      (p.normalised === null ? '。' : `（正規化値は${f.index(p.normalised)}。0は均等な分散、1は単一の相手国への集中を示す）。`),
    groups: (f, p) => `${p.year}年の貿易額は、${listOf(p.groups.map((g) => `${g.name}が${f.money(g.value)}（シェア${f.pct(g.share)}）`))}だった。`,
    partnerTrade: (f, p) => {
      const head = `${p.year}年の${p.region}の対${ab(p.partner)}貿易額は${f.moneyMillion(p.value)}${p.mark}`;
      const share = p.share === null ? null : `${whole(p.region)}貿易総額の${f.pct(p.share)}を占め`;
      const growth = p.growth === null ? null : p.growth === 0 ? '前年から横ばいだった' : `前年比${f.absPct(p.growth)}${direction(p.growth, '増加', '減少', '')}した`;
      if (share && growth) return `${head}で、${share}、${growth}。`;
      if (share) return `${head}で、${share}た。`;
      if (growth) return `${head}で、${growth}。`;
      return `${head}だった。`;
    },
    partnerFlows: (f, p) => `このうち対${ab(p.partner)}輸出は${f.moneyMillion(p.exports)}、対${ab(p.partner)}輸入は${f.moneyMillion(p.imports)}だった。`,
    rank: (p) => `${p.partner}は、${p.year}年に個別に掲載された${p.countries}か国の貿易相手国の中で第${p.rank}位だった。`,
    tii: (f, p) =>
      `${p.year}年の${p.partner}との貿易結合度は${f.index(p.tii)}だった。${p.region}の貿易総額に占める${p.partner}のシェアは${f.pct(p.share)}で、中国全体の${f.pct(p.benchmarkShare)}` +
      (p.tii > 1
        ? `を上回っており、${p.region}と${p.partner}の貿易の結びつきは中国全体より強い。`
        : p.tii < 1
          ? `を下回っており、${p.region}と${p.partner}の貿易の結びつきは中国全体より弱い。`
          : `と同じで、${p.region}と${p.partner}の貿易の結びつきは中国全体と同程度である。`),
    tiiMissing: (p) =>
      p.years
        ? `貿易結合度の算出には中国全体の対${ab(p.partner)}貿易が必要だが、読み込んだデータソースには${p.years}の分しかない。`
        : `貿易結合度の算出には中国全体の対${ab(p.partner)}貿易が必要だが、読み込んだデータソースにはいずれの年のデータもない。`,
    products: (f, p) =>
      `${p.year}年に顕示比較優位指数が最も高かった品目は、${listOf(p.top.map((x) => `${x.name}（${f.index(x.rca)}）`))}だった` +
      (p.complementarity === null ? '。' : `。${p.partner}の輸入との貿易補完度は${f.num(p.complementarity, 1)}（0～100）だった。`),
    productsMissing: (p) => `品目構成、顕示比較優位（RCA）指数、${p}との貿易補完度の算出にはHS品目別の貿易データが必要だが、読み込んだデータソースにはない。`,
    productsNational: (p) =>
      `${p.region}自体の品目別貿易データは読み込んだデータソースにないため、以下の品目指標は全国レベルの数値である。すなわち本ブリーフが${p.region}の比較基準とする${p.national}全体の数値であり、${p.region}の数値ではない。`,
    complementarityNational: (f, p) =>
      `${p.year}年の${p.national}の対世界輸出と${p.partner}の対世界輸入の貿易補完度（HS類別）は${f.num(p.value, 1)}（0～100、${p.national}の輸出構成が${p.partner}の輸入構成と完全に一致すれば100）だった。`,
    rcaNational: (f, p) =>
      `${p.year}年、比較した${p.chapters}のHS類のうち、${p.partner}市場における${p.national}の顕示比較優位指数が最も高かったのは、${listOf(p.top.map((x) => `${x.name}（RCA ${f.index(x.rca)}、対${ab(p.partner)}輸出の${f.pct(x.share)}）`))}だった。`,
    investment: (f, p) =>
      `${p.year}年の${p.partner}の${p.region}向け投資は、` +
      listOf(
        [
          p.projects === null ? null : `件数${f.count(p.projects)}件`,
          p.contracted === null ? null : `契約額${f.money(p.contracted)}`,
          p.utilized === null ? null : `実行額${f.money(p.utilized)}`,
        ].filter((x): x is string => x !== null),
      ) +
      (p.share === null ? 'だった。' : `で、実行額は${p.region}の直接投資受入額の${f.pct(p.share)}を占めた。`),
    investmentMissing: (p, r) => `${p}の${r}向け投資（件数、契約額、実行額）は、読み込んだデータソースにはない。`,
    comparators: (f, p) =>
      `各地域の貿易総額に占める${p.partner}のシェアを比べると、${listOf(p.rows.map((r) => `${r.name}${f.pct(r.share)}（${r.year}年${r.tii === null ? '' : `、結合度${f.index(r.tii)}`}）`))}だった。`,
    untapped: (f, p) =>
      p.gap > 0
        ? `${p.year}年に${p.region}の貿易総額に占める${p.partner}のシェアが中国全体と同じであれば、${p.region}の対${ab(p.partner)}貿易額は実際の${f.money(p.actual)}ではなく${f.money(p.expected)}となる。未開拓の潜在力は${f.money(p.gap)}に上る。`
        : `${p.year}年の${p.region}の対${ab(p.partner)}貿易額（${f.money(p.actual)}）は、中国全体並みの結合度で試算した${f.money(p.expected)}を${f.money(-p.gap)}上回っており、この尺度では未開拓の潜在力はない。`,
    growthGap: (f, p) =>
      `${f.span(p.first, p.last)}の${p.region}の${p.what}の年平均伸び率は${f.signedPct(p.a)}で、${p.comparator}の${f.signedPct(p.b)}` +
      (p.gap === 0 ? 'と同じだった。' : `を${f.num(Math.abs(p.gap), 1)}ポイント${p.gap > 0 ? '上回った' : '下回った'}。`),
    growthGapMissing: (p) => `${p.comparator}との${p.what}の伸び率の比較はできない。読み込んだデータソースで共通する年が2年に満たない。`,
    dependence: (f, p) =>
      `単一の相手国への依存度は${LEVEL[p.level]}。${p.year}年には${p.partner}だけで${p.region}の貿易総額の${f.pct(p.share)}を占めた` +
      (p.level === 'high' ? `。この一国との関係が揺らげば、${p.region}の貿易全体が影響を受ける。` : '。'),
    sourcesIntro: (n) =>
      `数値は以下の${n}件のデータソースから取り、tradebriefのデータウェアハウスに読み込んだものである。各ソースは読み込んだファイルのSHA-256と読み込み実行の番号で特定できる。同じ数値を複数のソースが示す場合は、設定で優先度の高いソースを採用している。`,
  },

  whatTotalTrade: '貿易総額',
  whatPartnerTrade: (p) => `対${ab(p)}貿易額`,

  // --- Charts --------------------------------------------------------------------------------
  charts: {
    trend: { title: (r, span) => `${r}の貿易の推移（${span}）`, alt: (r) => `${r}の輸出・輸入・貿易総額の推移を示す折れ線グラフ（単位：百万ドル）。` },
    partners: { title: (r, year) => `${r}の主な貿易相手国（${year}年）`, alt: (r, year) => `${year}年の${r}の貿易総額に占める主な相手国のシェアを示す横棒グラフ。`, axis: (year) => `${year}年の貿易総額に占めるシェア（%）` },
    partner: { title: (r, p) => `${r}の対${ab(p)}貿易`, alt: (r, p) => `${r}の対${ab(p)}輸出・輸入の推移を示す棒グラフ（単位：百万ドル）。` },
    comparators: { title: (p) => `各地域の貿易に占める${p}のシェア`, alt: (p) => `比較地域それぞれの貿易総額に占める${p}のシェアの推移を示す折れ線グラフ（単位：%）。`, axis: (p) => `${p}のシェア（%）` },
    gdp: { title: (r) => `${r}のGDPと実質成長率`, alt: (r) => `${r}のGDP（10億ドル、棒）と実質成長率（%、折れ線）。` },
    tii: { title: (r, p) => `${r}・${p}間の貿易結合度（中国全体＝1）`, alt: (r, p) => `${r}と${p}の貿易結合度の推移を示す折れ線グラフ。1は中国全体の水準。` },
    axis: { usdMillion: '百万ドル', usdBillion: 'GDP（10億ドル）', growthPct: '実質成長率（%）', index: '指数（中国全体＝1）' },
    series: { exports: '輸出', imports: '輸入', total: '総額' },
  },

  // --- Tables --------------------------------------------------------------------------------
  tables: {
    economy: (r) => `${r}：GDP、成長率、貿易依存度`,
    economyComparators: '比較地域のGDPと貿易依存度（各地域の最新年）',
    trade: (r) => `${r}：貿易`,
    partners: (r, year) => `${r}：主な貿易相手国（${year}年）`,
    partnersAll: (r) => `${r}：主な貿易相手国`,
    groups: (r) => `${r}：国・地域グループ別の貿易`,
    partner: (r, p) => `${r}：対${ab(p)}貿易`,
    comparators: (p) => `比較地域の対${ab(p)}貿易（各地域の最新年）`,
    investment: (r, p) => `${p}の${r}向け投資`,
    rca: (r) => `${r}：品目別の顕示比較優位`,
    rcaNational: (n, p, year) => `${n}（全国レベル）：${p}市場におけるHS類別の顕示比較優位（${year}年）`,
    untapped: (r, p) => `${r}の対${ab(p)}貿易：中国全体並みの結合度での試算`,
    gaps: '比較地域との伸び率の差',
    sources: 'データソース',
    formulas: '算出式',
  },
  columns: {
    year: '年',
    region: '地域',
    partner: '相手国',
    group: 'グループ',
    product: '品目',
    gdpUsd: 'GDP（百万ドル）',
    gdpCny: 'GDP（百万元）',
    growth: '実質成長率（%）',
    perCapita: '1人当たりGDP（ドル）',
    trade: '貿易額（百万ドル）',
    openness: '貿易依存度（%）',
    exports: '輸出（百万ドル）',
    imports: '輸入（百万ドル）',
    total: '総額（百万ドル）',
    balance: '収支（百万ドル）',
    yoy: '前年比（%）',
    share: 'シェア（%）',
    rank: '順位',
    tii: '結合度（中国全体＝1）',
    benchmarkShare: (p) => `中国全体の貿易に占める${p}のシェア（%）`,
    cagr: (p) => `対${ab(p)}貿易の年平均伸び率（%）`,
    projects: '件数',
    contracted: '契約額（百万ドル）',
    utilized: '実行額（百万ドル）',
    utilizedAll: '直接投資実行額・全体（百万ドル）',
    fdiShare: (p) => `直接投資実行額に占める${p}のシェア（%）`,
    rca: 'RCA',
    chapter: 'HS類',
    section: 'HS部',
    rcaInMarket: (p) => `${p}市場でのRCA`,
    exportShare: (p) => `対${ab(p)}輸出に占めるシェア（%）`,
    exportsTo: (p) => `対${ab(p)}輸出（百万ドル）`,
    actual: '実績（百万ドル）',
    expected: '中国全体並みの結合度での試算（百万ドル）',
    gap: '未開拓の潜在力（百万ドル）',
    comparison: '比較',
    period: '期間',
    subjectCagr: (r) => `${r}の年平均伸び率（%）`,
    comparatorCagr: '比較地域の年平均伸び率（%）',
    gapPp: '差（ポイント）',
    source: 'データソース',
    publisher: '公表機関',
    url: 'ファイル',
    sha256: 'SHA-256',
    fetchedAt: '取得日時',
    run: '実行番号',
    indicator: '指標',
    formula: '算出式',
  },

  // --- Notes -----------------------------------------------------------------------------
  notes: {
    source: (titles) => (titles.length ? `出所：${titles.join('、')}、tradebriefによる計算。` : '出所：読み込んだデータソースなし。'),
    conflict: (p) => `${p.label}：${p.other}は${p.otherValue}、${p.used}（優先度が高い）は${p.usedValue}。${p.usedValue}を採用。`,
    partnersListed: (total) => `シェアは貿易総額（${total}）に対する比率。ソースが個別に掲載する相手国のみ順位付けしている。`,
    benchmark: (p) => `貿易結合度と未開拓の潜在力は中国全体の対${ab(p)}貿易を基準とする（中国全体の結合度＝1）。`,
    groupsMissing: (names) => `${listOf(names)}との貿易：読み込んだデータソースにはない（該当するグループを掲載するソースがない）。`,
    illustrativeNone: '本ブリーフに参考値はない。',
    illustrativeIntro: '参考値（公表値ではない。†で表示）：',
    conflictsIntro: 'ソース間で0.5%を超える差がある数値：',
    conflictsNone: '本ブリーフが用いる数値について、読み込んだソース間に0.5%を超える差はない。',
    notLoaded: '設定済み、未読み込み',
    formulasIntro: '各指標はウェアハウスの値から次の式で算出している（i＝当該地域、j＝相手国、w＝中国全体、k＝品目）：',
    illustrativeItem: (p) => `${p.label}：${p.value}（${p.source}、${p.cell}）`,
    rcaNational: (p) =>
      `全国レベル（${p.national}全体）。${p.partner}市場における顕示比較優位指数＝（${p.national}の対${ab(p.partner)}輸出に占める当該類のシェア）÷（${p.partner}の対世界輸入に占める当該類のシェア）。1を上回れば、${p.national}は当該類を世界全体より相対的に多く${p.partner}に供給している。標準的な（バラッサの）顕示比較優位指数には世界の類別輸出が必要だが、読み込んだデータソースにないため、相手国市場における指数を用いる。シェアは掲載したHS類の合計に対する比率。`,
  },

  labelAt: (label, period) => (period ? `${label}（${/^\d{4}$/.test(period) ? `${period}年` : period}）` : label),
  labelProduct: (label, product) => `${label}（${product}）`,
  comparisonRow: (what, subject, comparator) => `${what}：${subject}／${comparator}`,
  sourceEntry: (title, id) => `${title}（${id}）`,

  // --- PDF page furniture ------------------------------------------------------------------
  labels: {
    brief: '政策ブリーフ',
    contents: '目次',
    vintage: 'データ時点',
    generated: '作成日時',
    figureNo: (n) => `図${n}`,
    tableNo: (n) => `表${n}`,
    source: '出所：',
    sources: '出所',
    fetched: '取得',
    run: '実行番号',
    cites: '引用：',
    page: (n, m) => `${n} / ${m} ページ`,
    na: '—',
  },

  // --- Workbook ----------------------------------------------------------------------------
  workbook: {
    sheets: { summary: '概要', figures: '数値', sources: '出所' },
    tableSheets: {
      economy: 'GDP・成長率・貿易依存度',
      'economy-comparators': '比較地域のGDP',
      trade: '貿易',
      partners: '主な貿易相手国',
      groups: '国・地域グループ',
      'partner-trade': '二国間貿易',
      comparators: '比較地域の二国間貿易',
      rca: '顕示比較優位',
      'rca-national': '全国・相手国市場RCA',
      investment: '投資',
      untapped: '未開拓の潜在力',
      'growth-gaps': '伸び率の差',
      sources: 'データソース',
      formulas: '算出式',
    },
    tableSheet: (n, name) => `表${n} ${name}`,
    meta: { subject: '対象', vintage: 'データ時点', generated: '作成日時', brief: 'ブリーフ', language: '言語' },
    generatedFormat: 'yyyy"年"m"月"d"日" hh:mm "UTC"',
    summaryHeader: ['主要指標', '値', '単位', '期間', '参考値', '表示', '指標ID'],
    figuresHeader: ['指標ID', '名称', '値', '単位', '期間', '参考値', '算出式', '出所の行数'],
    provenanceHeader: ['指標ID', 'テーブル', 'ソースID', 'セル', '実行番号', 'キー'],
    sourceFiles: 'ソースファイル',
    filesHeader: ['ソースID', '名称', '公表機関', 'URL', 'sha256', '取得日時', '実行番号', '引用'],
    illustrative: '参考値',
  },

  formulas: {
    growth: 'g = (当期 − 前期) / |前期| × 100',
    cagr: 'CAGR = ((x_終 / x_初)^(1/n) − 1) × 100、n は両年の間の年数',
    share: 's = 部分 / 全体 × 100',
    balance: 'B = 輸出 − 輸入',
    openness: 'O = 貿易総額 / GDP × 100',
    hhi: 'HHI = Σ (100 × v_i / Σv)²（0～10,000）',
    hhiNormalised: 'HHI* = (H − 1/N) / (1 − 1/N)、H = HHI / 10,000（0～1）',
    tradeIntensity: 'TII = (x_ij / X_i) / (x_wj / X_w)',
    untappedPotential: '潜在余地 = X_i × (x_wj / X_w) − x_ij',
    rca: 'RCA = (x_ik / X_i) / (x_wk / X_w)',
    rcaInMarket: 'RCA_j = (x_ijk / X_ij) / (m_jk / M_j)',
    tradeComplementarity: 'C = 100 × (1 − Σ_k |m_jk − x_ik| / 2)',
    gapPercentagePoints: 'Δ = a − b（ポイント）',
  },
  formulaNames: {
    growth: '伸び率',
    cagr: '年平均伸び率',
    share: 'シェア',
    balance: '貿易収支',
    openness: '貿易依存度',
    hhi: 'ハーフィンダール・ハーシュマン指数',
    hhiNormalised: '正規化HHI',
    tradeIntensity: '貿易結合度',
    untappedPotential: '未開拓の潜在力',
    rca: '顕示比較優位指数（バラッサ）',
    rcaInMarket: '相手国市場における顕示比較優位指数',
    tradeComplementarity: '貿易補完度指数',
    gapPercentagePoints: '伸び率の差',
  },

  dependenceLevel: LEVEL,
};
