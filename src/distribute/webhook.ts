// `webhook` target: POSTs JSON (brief id, date, key figures, file names and sha256) with axios.
// Errors are cut down to method, URL (redacted) and status, as airbyte-connectors does: a response
// body or a header could carry a token.
import axios, { isAxiosError } from 'axios';
import type { DistributeTarget } from '../config/schema.js';
import { UserError, redactUrl } from '../errors.js';
import type { Deliver, Parcel } from './types.js';

type WebhookTarget = Extract<DistributeTarget, { type: 'webhook' }>;

/** The JSON a webhook receives. Public: receivers depend on it (README "Scheduling and distribution"). */
export function webhookPayload(parcel: Parcel) {
  return {
    event: 'brief.published',
    brief: parcel.briefId,
    date: parcel.date,
    title: parcel.title,
    lang: parcel.lang,
    generated_at: parcel.generatedAt,
    content_sha256: parcel.contentSha256,
    run_id: parcel.briefRunId,
    key_figures: parcel.keyFigures.map((k) => ({ id: k.figureId, label: k.label, text: k.text, ...(k.note ? { note: k.note } : {}) })),
    files: parcel.files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
  };
}

/** Total deadline of one POST; a slow receiver fails this attempt and is retried on a later run. */
const TIMEOUT_MS = 30_000;

export const deliverWebhook: Deliver<WebhookTarget> = async (target, parcel) => {
  try {
    const res = await axios.post(target.url, webhookPayload(parcel), {
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'tradebrief', ...target.headers },
      timeout: TIMEOUT_MS,
      maxRedirects: 0,
      validateStatus: (s) => s >= 200 && s < 300,
    });
    return `POST ${redactUrl(target.url)} → HTTP ${res.status}`;
  } catch (e) {
    if (isAxiosError(e)) {
      const why = e.response ? `HTTP ${e.response.status}` : (e.code ?? e.message);
      throw new UserError(`POST ${redactUrl(target.url)} → ${why}`);
    }
    throw e;
  }
};
