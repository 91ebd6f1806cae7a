// The gate between normalise and load: a run that found nothing, or whose rejected share is over
// the source's max_reject_share, fails and loads nothing (its rejects are still recorded).
import type { SourceConfig } from '../config/schema.js';
import type { NormaliseResult } from './types.js';

export interface Verdict {
  ok: boolean;
  message: string;
}

export function validate(source: Pick<SourceConfig, 'id' | 'max_reject_share'>, recordsRead: number, norm: NormaliseResult): Verdict {
  const considered = norm.facts.length + norm.rejects.length;
  if (norm.facts.length === 0 && norm.rejects.length === 0) {
    return {
      ok: false,
      message: `${source.id}: no values found in ${recordsRead} cells; run \`tradebrief inspect FILE\` and set sheet/layout in the config`,
    };
  }
  const share = considered === 0 ? 0 : norm.rejects.length / considered;
  if (share > source.max_reject_share || norm.facts.length === 0) {
    const first = norm.rejects[0];
    return {
      ok: false,
      message:
        `${source.id}: ${norm.rejects.length} of ${considered} values rejected (${(share * 100).toFixed(1)}% > max_reject_share ${(source.max_reject_share * 100).toFixed(1)}%), nothing loaded` +
        (first ? `; first: ${first.cell}: ${first.reason}` : '') +
        '; see `tradebrief status --rejects`',
    };
  }
  return { ok: true, message: '' };
}
