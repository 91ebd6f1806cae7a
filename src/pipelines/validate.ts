// The gate between normalise and load: a run that found nothing, or whose rejected share is over
// the source's max_reject_share, fails and loads nothing (its rejects are still recorded).
import type { SourceConfig } from '../config/schema.js';
import type { Reject } from './types.js';

/** What the gate needs of a run: how many facts and rejects, and the first reject (for the message). */
export interface Tally {
  facts: number;
  rejects: number;
  firstReject?: Reject;
}

export interface Verdict {
  ok: boolean;
  message: string;
}

export function validate(source: Pick<SourceConfig, 'id' | 'max_reject_share'>, recordsRead: number, tally: Tally): Verdict {
  const considered = tally.facts + tally.rejects;
  if (tally.facts === 0 && tally.rejects === 0) {
    return {
      ok: false,
      message: `${source.id}: no values found in ${recordsRead} cells; run \`tradebrief inspect FILE\` and set sheet/layout in the config`,
    };
  }
  const share = considered === 0 ? 0 : tally.rejects / considered;
  if (share > source.max_reject_share || tally.facts === 0) {
    const first = tally.firstReject;
    return {
      ok: false,
      message:
        `${source.id}: ${tally.rejects} of ${considered} values rejected (${(share * 100).toFixed(1)}% > max_reject_share ${(source.max_reject_share * 100).toFixed(1)}%), nothing loaded` +
        (first ? `; first: ${first.cell}: ${first.reason}` : '') +
        '; see `tradebrief status --rejects`',
    };
  }
  return { ok: true, message: '' };
}
