// The briefs, listed explicitly: a brief's `id` here is the one in the config, the CLI, the logs and
// the output folder. Adding a brief is one line here and one compose module.
import type { BriefDocument } from '../document.js';
import type { BriefData } from '../analysis/brief-data.js';
import { composeHljJapan, type ComposeOptions } from './hlj-japan/compose.js';

/** Composes a brief's document from its analysis; pure (clock, language and names are options). */
export type ComposeBrief = (data: BriefData, opts: ComposeOptions) => BriefDocument;

export const BRIEFS: Readonly<Record<string, ComposeBrief>> = {
  'hlj-japan': composeHljJapan,
};

/** The compose function of a brief id, or undefined for an id with no composer. */
export function composerFor(id: string): ComposeBrief | undefined {
  return Object.hasOwn(BRIEFS, id) ? BRIEFS[id] : undefined;
}

export type { ComposeOptions };
