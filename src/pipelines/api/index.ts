// A source read from a publisher's API instead of one spreadsheet: the adapter plans the requests,
// every request goes through extract (deadline, size cap, retries on 429/5xx honouring Retry-After,
// User-Agent, redaction), the adapter reads each answer into records and says what to request next
// (the next page, a split of a capped query). Only when every page has arrived are the answers
// archived — as one bundle, so a source's lineage is one file and one sha256 like a spreadsheet's —
// and handed on to normalise. A failure on any page fails the whole pull before anything is loaded.
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SourceConfig } from '../../config/schema.js';
import { UserError, redactUrl } from '../../errors.js';
import { extract, withScratch, type ExtractEffects, type ExtractOptions, type Fetched } from '../extract.js';
import { parsePeriod } from '../lexicon/index.js';
import type { SourceRecord } from '../types.js';
import { comtrade } from './comtrade.js';
import { estat } from './estat.js';
import type { ApiAdapter, ApiRequest } from './types.js';
import { worldbank } from './worldbank.js';

export type ApiParams = NonNullable<SourceConfig['api']>;

const ADAPTERS: { [K in ApiParams['type']]: ApiAdapter<Extract<ApiParams, { type: K }>> } = {
  worldbank,
  comtrade,
  estat,
};

/** A runaway pager (a publisher that always says "one more page") stops here with an error. */
export const MAX_REQUESTS = 2000;

export interface ApiFetched {
  /** The archived bundle of every answer. */
  file: Fetched;
  /** Same bundle as the last loaded one. */
  unchanged: boolean;
  records: SourceRecord[];
  /** One line each: "no data" answers, splits, rows left out. */
  warnings: string[];
  /** How many requests were made (pages included). */
  requests: number;
  /** The publisher answered "no data" to every request: nothing to load, and not an error. */
  noData: boolean;
}

export interface ApiSource extends SourceConfig {
  api: ApiParams;
}

export function isApiSource(source: SourceConfig): source is ApiSource {
  return source.api !== undefined;
}

/** The adapter's first requests, for `check --online`. */
export function planRequests(source: ApiSource): ApiRequest[] {
  try {
    return adapterOf(source).plan(source.url.replace(/\/+$/, ''), source.api);
  } catch (e) {
    // Adapters do not know the source id; their config errors name the key under `api`.
    if (e instanceof UserError && !e.message.startsWith(`${source.id}:`)) throw new UserError(`${source.id}: ${e.message}`, { exitCode: e.exitCode });
    throw e;
  }
}

function adapterOf(source: ApiSource): ApiAdapter<ApiParams> {
  return ADAPTERS[source.api.type] as ApiAdapter<ApiParams>;
}

/** The archived form of one answer. */
interface BundlePage {
  label: string;
  url: string;
  body: unknown;
}

export async function fetchApi(source: ApiSource, opts: ExtractOptions, effects: ExtractEffects = {}): Promise<ApiFetched> {
  const adapter = adapterOf(source);
  const base = source.url.replace(/\/+$/, '');
  if (!/^https?:\/\//i.test(base)) {
    throw new UserError(`${source.id}: api sources need an http(s) URL, got ${redactUrl(source.url)}; set sources[].url to the API root`);
  }
  const queue = planRequests(source);
  const pages: BundlePage[] = [];
  const records: SourceRecord[] = [];
  const warnings: string[] = [];
  /** Requests the publisher answered with "no data": normal for recent periods, so one line in all. */
  const empties: string[] = [];
  const sleep = effects.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return withScratch(opts.outputDir, source.id, async (tmp) => {
    let last = 0;
    for (let request = queue.shift(); request; request = queue.shift()) {
      if (pages.length >= MAX_REQUESTS) {
        throw new UserError(`${source.id}: more than ${MAX_REQUESTS} requests for one pull (${redactUrl(base)}); narrow the query in sources[].api`);
      }
      const wait = last + source.request_interval_s * 1000 - Date.now();
      if (pages.length > 0 && wait > 0) await sleep(wait);
      last = Date.now();
      const body = await get(source, request, { ...opts, outputDir: tmp }, effects);
      const url = redactUrl(request.url);
      const page = adapter.read(body, request, { sourceId: source.id, page: pages.length, url }, source.api);
      pages.push({ label: request.label, url, body: page.stable === undefined ? body : page.stable });
      records.push(...page.records);
      if (page.empty) empties.push(request.label);
      warnings.push(...(page.warnings ?? []).map((w) => (w.startsWith(`${source.id}: `) ? w.slice(source.id.length + 2) : w)));
      queue.push(...page.next);
      effects.log?.(`extract ${source.id}: ${request.label} → ${page.records.length} values${page.empty ? ' (no data)' : ''}`);
    }
    if (empties.length > 0) {
      const which = empties.length === 1 ? empties[0] : `${empties[0]}, … ${empties.at(-1)}`;
      warnings.push(`${empties.length} of ${pages.length} requests answered "no data" (${which})`);
    }
    // The bundle is archived like any downloaded file; its hash is over the stable form of the
    // answers, so the same data fetched again is `unchanged` and nothing is reloaded.
    const bundlePath = path.join(tmp, 'bundle.json');
    await writeFile(bundlePath, JSON.stringify({ source: source.id, api: source.api.type, pages }, null, 1));
    const archived = await extract(
      { id: source.id, url: bundlePath, timeout_s: source.timeout_s, max_bytes: Number.MAX_SAFE_INTEGER, retries: 0 },
      { ...opts, force: false },
      { ...effects, log: undefined },
    );
    if (archived.status !== 'fetched') throw new Error('a file cannot be not-modified');
    const file: Fetched = { ...archived.file, url: redactUrl(base), mediaType: 'application/json' };
    return { file, unchanged: archived.unchanged, records, warnings, requests: pages.length, noData: empties.length === pages.length };
  });
}

/** One request through extract, into the scratch folder; the answer parsed as JSON. */
async function get(source: ApiSource, request: ApiRequest, opts: ExtractOptions, effects: ExtractEffects): Promise<unknown> {
  const result = await extract(
    {
      id: source.id,
      url: request.url,
      headers: { Accept: 'application/json', ...source.headers, ...request.headers },
      timeout_s: source.timeout_s,
      max_bytes: source.max_bytes,
      retries: source.retries,
    },
    { ...opts, previous: null, force: true },
    // A page's own "archived as sha256 …" line would name a scratch file: the loop logs the page
    // instead. Retries and the like still reach the log.
    { ...effects, log: effects.log && ((line) => (/^extract \S+ → /.test(line) ? undefined : effects.log!(line))) },
  );
  if (result.status !== 'fetched') throw new Error('an unconditional GET cannot be not-modified');
  const text = await readFile(result.file.path, 'utf8');
  await rm(result.file.path, { force: true });
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as unknown;
  } catch {
    throw new UserError(
      `${source.id}: ${request.label}: the answer is not JSON (${text.length} bytes) (GET ${redactUrl(request.url)}); check sources[].url points at the API root`,
    );
  }
}

export interface ApiProbe {
  /** Values on the first answer. */
  values: number;
  /** The latest period among them (`2024`, `2025-06`), or null. */
  latest: string | null;
  /** The publisher's "no data" answer, if that is what came back. */
  empty?: string;
}

/** Asks the publisher for the first planned page only, without archiving anything (`check --online`). */
export async function probeApi(source: ApiSource, opts: ExtractOptions, effects: ExtractEffects = {}): Promise<ApiProbe> {
  const adapter = adapterOf(source);
  const [first] = planRequests(source);
  if (!first) throw new UserError(`${source.id}: the api block asks for nothing; check sources[].api`);
  return withScratch(opts.outputDir, `${source.id}-check`, async (tmp) => {
    const body = await get(source, first, { ...opts, outputDir: tmp }, effects);
    const page = adapter.read(body, first, { sourceId: source.id, page: 0, url: redactUrl(first.url) }, source.api);
    const periods = page.records
      .filter((r) => r.value !== null)
      .map((r) => (r.dims.period ? parsePeriod(r.dims.period)?.period : undefined))
      .filter((p): p is string => !!p)
      .sort();
    return { values: page.records.length, latest: periods.at(-1) ?? null, ...(page.empty ? { empty: page.empty } : {}) };
  });
}
