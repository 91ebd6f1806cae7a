// The contract between the API fetch loop (api/index.ts) and one publisher's adapter
// (worldbank.ts, comtrade.ts, estat.ts). The loop owns the network (extract: deadline, size cap,
// retries on 429/5xx with Retry-After, User-Agent, redaction) and the archive; an adapter owns
// what the publisher's answers mean: which requests to make, how paging continues, what an error
// or a "no data" answer looks like, and how a page's rows become SourceRecords in the pipeline's
// own terms, which normalise then maps to facts exactly as it does for spreadsheets.
import type { SourceRecord } from '../types.js';

/** One HTTP GET the loop makes on an adapter's behalf. */
export interface ApiRequest {
  /** The absolute URL, secrets included (the loop redacts it wherever it is printed or stored). */
  url: string;
  /** Extra headers (e.g. Comtrade's Ocp-Apim-Subscription-Key); their values are secrets. */
  headers?: Record<string, string>;
  /** A short human label for logs and the archive, e.g. `CHN NY.GDP.MKTP.CD page 2`. */
  label: string;
}

/** What an adapter makes of one answer. */
export interface ApiPageResult {
  /** The page's values in the pipeline's terms; `cell` is `<page>/<path>` (see ApiAdapter.read). */
  records: SourceRecord[];
  /** Further requests this answer calls for (the next page, a split of a capped query); empty when done. */
  next: ApiRequest[];
  /** Set when the publisher answered "no data for this query": not an error, logged once. */
  empty?: string;
  /** Warnings worth a log line (a capped result that was split, a flow left out). */
  warnings?: string[];
  /**
   * The answer as it is archived and hashed: the body without fields that change on every call
   * (Comtrade's elapsedTime, e-Stat's RESULT.DATE), so an unchanged dataset hashes the same and
   * the pull short-circuits. Default: the body as received.
   */
  stable?: unknown;
}

export interface ApiReadContext {
  /** The source id, for messages: every UserError an adapter throws starts with it. */
  sourceId: string;
  /** The page's index in the archived bundle (0-based); records' cells start with `${page}/`. */
  page: number;
  /** The request's URL with secrets redacted, for messages. */
  url: string;
}

export interface ApiAdapter<P> {
  /** The value of `api.type` in the config. */
  type: string;
  /** The first requests for a source's parameters. `base` is the source's `url` (the API root). */
  plan(base: string, params: P): ApiRequest[];
  /**
   * Reads one 2xx answer, already JSON.parsed (non-2xx statuses never reach an adapter: the loop
   * retries 429/5xx and fails on other 4xx with the status). Throws UserError — one line naming the
   * source, the redacted URL and what to do — for an error answer (e-Stat and the World Bank answer
   * errors with 200) or a body in an unexpected shape. `params` are the source's, as given to `plan`
   * (how to read an answer may depend on them, e.g. e-Stat's class mapping).
   */
  read(body: unknown, request: ApiRequest, ctx: ApiReadContext, params?: P): ApiPageResult;
}
