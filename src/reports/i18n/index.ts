// The message catalogues, listed explicitly: one per language, all of type `Messages` (the shape of
// en.ts), so a key missing from zh or ja does not compile and an empty one fails a test.
import type { Lang } from '../document.js';
import { en, type Messages } from './en.js';
import { ja } from './ja.js';
import { zh } from './zh.js';

export const CATALOGUES: Readonly<Record<Lang, Messages>> = { en, zh, ja };

/** The catalogue of a language. */
export function catalogue(lang: Lang): Messages {
  return CATALOGUES[lang];
}

export type { Messages };
