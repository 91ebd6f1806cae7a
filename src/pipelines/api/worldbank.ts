// The World Bank Indicators API (v2): World Development Indicators series by country and year.
//
// One request per series, all the source's countries in it (`country/CHN;JPN/indicator/…`), paged
// by the publisher. An answer is `[paging, rows]`: the paging fields come as numbers or as numeric
// strings depending on the endpoint and the API's version, so both are read. "No data" is
// `total: 0` with `null` for the rows; an error is HTTP 200 with `[{ message: [{ id, key, value }] }]`.
//
// Decisions:
// - What a series means lives here, in SERIES, keyed by the WDI code every row names (so an answer
//   reads the same with or without the source's parameters at hand): the warehouse indicator code,
//   and the unit by the WDI naming convention (`.CD` current US$, `.CN` current local currency,
//   `.ZG`/`.ZS` percent). A series the warehouse has no code for is refused by the config schema,
//   listing the ones it knows, rather than loaded under a guessed code.
// - Local-currency series and the exchange rate take each row's currency from CURRENCY (ISO 3166
//   alpha-3 → ISO 4217); the config schema refuses a country missing from it, so no row goes out
//   without a unit.
// - A `null` value is the publisher's "no data": a record with `missing: '..'` (the marker WDI's own
//   CSV and Excel downloads print), never 0. Aggregates without an ISO3 code (`countryiso3code: ""`)
//   are named by their label, which the reference lookup resolves or rejects by name.
// - Nothing in an answer changes from call to call (`lastupdated` is the dataset's revision date),
//   so the archived answer is the body as received (`stable` is left unset).
import * as z from 'zod';
import { UserError } from '../../errors.js';
import { parseUnit } from '../lexicon/index.js';
import type { SourceRecord } from '../types.js';
import type { ApiAdapter, ApiPageResult, ApiReadContext, ApiRequest } from './types.js';

/** What a series' unit is, for each row: a fixed unit, or the row country's own currency. */
type SeriesUnit = { fixed: string } | 'local-currency' | 'per-usd';

interface Series {
  /** The warehouse indicator code (src/pipelines/measures.ts), or `fx` for an exchange rate. */
  code: string;
  unit: SeriesUnit;
  /** The publisher's name of the series, for the schema's description. */
  name: string;
}

/** The WDI series the warehouse has a place for. Growing this list is the way to load another series. */
const SERIES: Record<string, Series> = {
  'NY.GDP.MKTP.CD': { code: 'gdp', unit: { fixed: 'US$' }, name: 'GDP (current US$)' },
  'NY.GDP.MKTP.CN': { code: 'gdp', unit: 'local-currency', name: 'GDP (current LCU)' },
  'NY.GDP.MKTP.KD.ZG': { code: 'gdp_real_growth_pct', unit: { fixed: '%' }, name: 'GDP growth (annual %)' },
  'NY.GDP.PCAP.CD': { code: 'gdp_per_capita', unit: { fixed: 'US$' }, name: 'GDP per capita (current US$)' },
  'NY.GDP.PCAP.CN': { code: 'gdp_per_capita', unit: 'local-currency', name: 'GDP per capita (current LCU)' },
  'SP.POP.TOTL': { code: 'population', unit: { fixed: 'persons' }, name: 'Population, total' },
  'NE.TRD.GNFS.ZS': { code: 'trade_openness_pct', unit: { fixed: '%' }, name: 'Trade (% of GDP)' },
  'PA.NUS.FCRF': { code: 'fx', unit: 'per-usd', name: 'Official exchange rate (LCU per US$, period average)' },
};

const SERIES_CODES = Object.keys(SERIES) as [string, ...string[]];

/**
 * The currency of each economy's "local currency unit" as WDI reports it today (euro members in
 * euro for all years, as WDI restates them). Covers data/reference/countries.csv and the euro area.
 */
const CURRENCY: Record<string, string> = {
  CHN: 'CNY', JPN: 'JPY', KOR: 'KRW', PRK: 'KPW', MNG: 'MNT', RUS: 'RUB', HKG: 'HKD', MAC: 'MOP',
  TWN: 'TWD', USA: 'USD', CAN: 'CAD', MEX: 'MXN', BRA: 'BRL', ARG: 'ARS', CHL: 'CLP', PER: 'PEN',
  COL: 'COP', VEN: 'VES', AUS: 'AUD', NZL: 'NZD', PNG: 'PGK', GBR: 'GBP', CHE: 'CHF', NOR: 'NOK',
  ISL: 'ISK', TUR: 'TRY', IND: 'INR', PAK: 'PKR', BGD: 'BDT', LKA: 'LKR', NPL: 'NPR', BTN: 'BTN',
  MDV: 'MVR', AFG: 'AFN', KAZ: 'KZT', UZB: 'UZS', TKM: 'TMT', KGZ: 'KGS', TJK: 'TJS', UKR: 'UAH',
  BLR: 'BYN', MDA: 'MDL', GEO: 'GEL', ARM: 'AMD', AZE: 'AZN', SAU: 'SAR', ARE: 'AED', IRN: 'IRR',
  IRQ: 'IQD', KWT: 'KWD', QAT: 'QAR', OMN: 'OMR', BHR: 'BHD', YEM: 'YER', JOR: 'JOD', LBN: 'LBP',
  SYR: 'SYP', ISR: 'ILS', PSE: 'ILS', EGY: 'EGP', LBY: 'LYD', DZA: 'DZD', MAR: 'MAD', SDN: 'SDG',
  ETH: 'ETB', KEN: 'KES', TZA: 'TZS', NGA: 'NGN', GHA: 'GHS', AGO: 'AOA', COD: 'CDF', COG: 'XAF',
  ZAF: 'ZAR', SGP: 'SGD', MYS: 'MYR', IDN: 'IDR', THA: 'THB', VNM: 'VND', PHL: 'PHP', MMR: 'MMK',
  KHM: 'KHR', LAO: 'LAK', BRN: 'BND', TLS: 'USD', BGR: 'BGN', CZE: 'CZK', DNK: 'DKK', HUN: 'HUF',
  POL: 'PLN', ROU: 'RON', SWE: 'SEK', ALB: 'ALL', BIH: 'BAM', SRB: 'RSD', MKD: 'MKD', CUB: 'CUP',
  ECU: 'USD', URY: 'UYU', PAN: 'PAB', ZMB: 'ZMW',
  ...Object.fromEntries(
    ['EMU', 'AUT', 'BEL', 'HRV', 'CYP', 'EST', 'FIN', 'FRA', 'DEU', 'GRC', 'IRL', 'ITA', 'LVA', 'LTU', 'LUX', 'MLT', 'MNE', 'NLD', 'PRT', 'SVK', 'SVN', 'ESP'].map((c) => [c, 'EUR']),
  ),
};

const YEARS = /^\d{4}(?:[QM]\d{1,2})?(?::\d{4}(?:[QM]\d{1,2})?)?$/;

export const worldbankParams = z
  .strictObject({
    type: z.literal('worldbank'),
    countries: z
      .array(z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 3166 alpha-3 code such as CHN, or a World Bank aggregate such as WLD'))
      .min(1)
      .refine((cs) => new Set(cs).size === cs.length, 'lists a country twice')
      .describe('Economies to fetch, as ISO3 codes (World Bank aggregates such as WLD too), e.g. [CHN, JPN]; all go in one request per series.'),
    indicators: z
      .array(z.enum(SERIES_CODES))
      .min(1)
      .refine((is) => new Set(is).size === is.length, 'lists a series twice')
      .describe(`WDI series codes to fetch; the ones the warehouse has a place for: ${SERIES_CODES.map((c) => `${c} (${SERIES[c]!.name} → ${SERIES[c]!.code})`).join(', ')}.`),
    years: z
      .string()
      .regex(YEARS, 'must be a year or a range such as 2000:2025 (or 2023Q1:2024Q4, 2023M01:2023M12)')
      .optional()
      .describe('The API\'s date= filter, e.g. 2000:2025; default every year the World Bank has.'),
    per_page: z
      .number()
      .int()
      .min(1)
      .max(20000)
      .default(1000)
      .describe('Rows per page the API is asked for (default 1000: a series for 15 countries over 65 years in one page).'),
  })
  .superRefine((p, ctx) => {
    // Rows in a local currency (or an exchange rate) need the country's currency, and a currency
    // the unit lexicon reads; better said once here than as one reject per row at run time.
    for (const code of p.indicators) {
      const unit = SERIES[code]!.unit;
      if (unit !== 'local-currency' && unit !== 'per-usd') continue;
      const unknown = p.countries.filter((c) => !CURRENCY[c]);
      if (unknown.length > 0) {
        ctx.addIssue({ code: 'custom', path: ['indicators'], message: `${code} is in local currency, and the currency of ${unknown.join(', ')} is not known; list only countries, or use the US$ series` });
      } else if (unit === 'local-currency') {
        const unread = [...new Set(p.countries.map((c) => CURRENCY[c]!))].filter((cur) => parseUnit(cur)?.currency !== cur);
        if (unread.length > 0) {
          ctx.addIssue({ code: 'custom', path: ['indicators'], message: `${code} is in local currency, and ${unread.join(', ')} cannot be converted to US$ yet; use the US$ series` });
        }
      }
    }
  })
  .describe('The World Bank Indicators API (v2); url is the API root, e.g. https://api.worldbank.org/v2.');
export type WorldBankParams = z.infer<typeof worldbankParams>;

export const worldbank: ApiAdapter<WorldBankParams> = {
  type: 'worldbank',

  plan(base, params) {
    const root = base.replace(/\/+$/, '');
    const countries = params.countries.join(';');
    return params.indicators.map((code) => ({
      url: `${root}/country/${countries}/indicator/${code}?format=json&per_page=${params.per_page}${params.years ? `&date=${params.years}` : ''}`,
      label: `${countries} ${code}`,
    }));
  },

  read(body, request, ctx, params) {
    const unexpected = (got: string) =>
      new UserError(`${ctx.sourceId}: ${ctx.url}: unexpected answer shape (${got}); check that url is the World Bank API root, e.g. https://api.worldbank.org/v2`);
    if (!Array.isArray(body) || body.length === 0) throw unexpected(`expected [paging, rows], got ${describe(body)}`);
    const head: unknown = body[0];
    if (!isObject(head)) throw unexpected(`expected [paging, rows], got ${describe(head)} first`);
    if ('message' in head) throw publisherError(head.message, ctx, unexpected);

    const page = count(head.page);
    const pages = count(head.pages);
    const total = count(head.total);
    if (page === null || pages === null || total === null) throw unexpected('the paging has no page, pages or total');
    const rows: unknown = body[1];
    if (total === 0 && (rows === null || rows === undefined || (Array.isArray(rows) && rows.length === 0))) {
      return { records: [], next: [], empty: `no data for ${request.label}${yearsOf(request.url)}` };
    }
    if (!Array.isArray(rows)) throw unexpected(`the rows are ${describe(rows)}, not a list`);
    // A server that ignores `page` would otherwise be asked for page 2 forever.
    const asked = pageOf(request.url);
    if (page !== asked) throw unexpected(`page ${page} where page ${asked} was asked for`);

    const asks = (id: string) => SERIES[id] !== undefined && (params === undefined || params.indicators.includes(id));
    const records = rows.map((row, i) => toRecord(row, `${ctx.page}/[1][${i}]`, asks, unexpected));
    const result: ApiPageResult = { records, next: [] };
    if (page < pages) result.next.push(nextPage(request, page + 1));
    return result;
  },
};

interface Row {
  indicator: { id: string };
  country: { id?: unknown; value: string };
  countryiso3code?: unknown;
  date: string;
  value: unknown;
}

function toRecord(row: unknown, cell: string, asks: (id: string) => boolean, unexpected: (got: string) => UserError): SourceRecord {
  if (!isRow(row)) throw unexpected(`${cell.slice(cell.indexOf('/') + 1)} is not a row with indicator, country, date and value`);
  const series = SERIES[row.indicator.id];
  if (!series || !asks(row.indicator.id)) throw unexpected(`${cell.slice(cell.indexOf('/') + 1)} is series ${row.indicator.id}, which was not asked for`);
  const iso3 = typeof row.countryiso3code === 'string' && row.countryiso3code !== '' ? row.countryiso3code : null;
  const currency = iso3 ? (CURRENCY[iso3] ?? null) : null;
  const record: SourceRecord = {
    cell,
    dims: { reporter: iso3 ?? row.country.value, period: row.date },
    raw: typeof row.value === 'number' || typeof row.value === 'string' ? row.value : null,
    value: null,
    unit: null,
    total: false,
    indent: 0,
    illustrative: false,
  };
  if (series.unit === 'per-usd') {
    // normalise reads the currency from the measure (`CNY per USD`); an aggregate has none and is
    // rejected there by name.
    if (currency) {
      record.dims.measure = `${currency} per USD`;
      record.unit = `${currency} per USD`;
    }
  } else {
    record.dims.measure = series.code;
    record.unit = series.unit === 'local-currency' ? currency : series.unit.fixed;
  }
  if (row.value === null || row.value === undefined || row.value === '') record.missing = '..';
  else if (typeof row.value === 'number' && Number.isFinite(row.value)) record.value = row.value;
  // Earlier versions of the API sent values as strings.
  else if (typeof row.value === 'string' && Number.isFinite(Number(row.value))) record.value = Number(row.value);
  else record.error = `not a number: ${JSON.stringify(row.value)}`;
  return record;
}

/** The World Bank's error answer, as one line with what to do. */
function publisherError(message: unknown, ctx: ApiReadContext, unexpected: (got: string) => UserError): UserError {
  const first: unknown = Array.isArray(message) ? message[0] : undefined;
  if (!isObject(first)) return unexpected('an error answer without a message');
  const text = [first.key, first.value].filter((s) => typeof s === 'string' && s.trim() !== '').join(': ').replace(/\s+/g, ' ').trim();
  const id = typeof first.id === 'string' || typeof first.id === 'number' ? String(first.id) : '';
  // 120 names a bad parameter (a country or a date range), 175 a series that is gone or archived.
  const what =
    id === '175'
      ? 'check api.indicators: the series may have been renamed or archived (see https://data.worldbank.org/indicator)'
      : id === '120'
        ? 'check api.countries and api.years in the source config'
        : 'check the source\'s api block; if it looks right, the API may be down: try again later';
  return new UserError(`${ctx.sourceId}: ${ctx.url}: the World Bank answered "${text || 'error'}"${id ? ` (message ${id})` : ''}; ${what}`);
}

function nextPage(request: ApiRequest, page: number): ApiRequest {
  return {
    url: `${request.url.replace(/&page=\d+/, '')}&page=${page}`,
    label: `${request.label.replace(/ page \d+$/, '')} page ${page}`,
  };
}

function pageOf(url: string): number {
  const m = /[?&]page=(\d+)/.exec(url);
  return m ? Number(m[1]) : 1;
}

function yearsOf(url: string): string {
  const m = /[?&]date=([^&]+)/.exec(url);
  return m ? ` (${m[1]})` : '';
}

/** A paging field: a non-negative integer, sent as a number or a numeric string. */
function count(v: unknown): number | null {
  if (typeof v === 'number') return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v);
  return null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isRow(v: unknown): v is Row {
  return (
    isObject(v) &&
    isObject(v.indicator) &&
    typeof v.indicator.id === 'string' &&
    isObject(v.country) &&
    typeof v.country.value === 'string' &&
    typeof v.date === 'string' &&
    'value' in v
  );
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `a list of ${v.length}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
