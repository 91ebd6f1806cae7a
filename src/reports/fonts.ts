// The fonts every renderer draws with, and the text hygiene that goes with them.
//
// pdfmake 0.3 ships no default fonts and has no per-glyph fallback, and svg-to-pdfkit picks one
// font per <text> element. So we register the OFL Noto Sans CJK OTFs from @embedpdf/fonts-sc and
// @embedpdf/fonts-jp (single-face OTFs: Debian's .ttc collections break SVG chart text) and split
// text into runs ourselves: a character the primary face lacks is drawn in the other face.
// Noto Sans SC has Latin, kana and almost every hanzi, so it is primary for `en` and `zh`; Noto Sans
// JP gives Japanese glyph shapes for `ja` but lacks simplified hanzi (罗, 经), which fall back to SC.

import { createRequire } from 'node:module';
import path from 'node:path';
import type { Lang } from './document.js';

const require = createRequire(import.meta.url);

/** pdfmake / SVG font family names. The SVG `font-family` must equal one of these. */
export const FONT_SC = 'NotoSansSC';
export const FONT_JP = 'NotoSansJP';
export type FontFamilyName = typeof FONT_SC | typeof FONT_JP;

export interface FontFaces {
  normal: string;
  bold: string;
  italics: string;
  bolditalics: string;
}

// The packages export only their JS entry (no `./package.json`), so locate `fonts/` next to `dist/`.
function fontDir(pkg: string): string {
  return path.join(path.dirname(require.resolve(pkg)), '..', 'fonts');
}

let faces: Record<FontFamilyName, FontFaces> | undefined;

/** Absolute paths of the font files per family. Neither package has italics: italic = upright. */
export function fontFaces(): Record<FontFamilyName, FontFaces> {
  if (!faces) {
    const sc = fontDir('@embedpdf/fonts-sc');
    const jp = fontDir('@embedpdf/fonts-jp');
    const family = (dir: string, regular: string, bold: string): FontFaces => ({
      normal: path.join(dir, regular),
      bold: path.join(dir, bold),
      italics: path.join(dir, regular),
      bolditalics: path.join(dir, bold),
    });
    faces = {
      [FONT_SC]: family(sc, 'NotoSansHans-Regular.otf', 'NotoSansHans-Bold.otf'),
      [FONT_JP]: family(jp, 'NotoSansJP-Regular.otf', 'NotoSansJP-Bold.otf'),
    };
  }
  return faces;
}

/** Every font file, for pdfmake's local access policy (nothing else on disk may be read). */
export function fontFiles(): string[] {
  return [...new Set(Object.values(fontFaces()).flatMap((f) => Object.values(f) as string[]))];
}

/** The family a document in `lang` is set in. */
export function primaryFont(lang: Lang): FontFamilyName {
  return lang === 'ja' ? FONT_JP : FONT_SC;
}

/** The family tried when the primary one lacks a glyph. */
export function fallbackFont(family: FontFamilyName): FontFamilyName {
  return family === FONT_JP ? FONT_SC : FONT_JP;
}

// fontkit is what pdfkit itself uses to read these fonts; we reach it through pdfmake → pdfkit so
// the coverage and widths we compute are the ones the PDF will get, without a dependency of our own.
interface FontkitGlyph {
  advanceWidth: number;
}
interface FontkitFont {
  unitsPerEm: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): FontkitGlyph;
}
interface Fontkit {
  openSync(file: string): FontkitFont;
}
let fontkit: Fontkit | undefined;
function loadFontkit(): Fontkit {
  if (!fontkit) {
    const fromPdfmake = createRequire(require.resolve('pdfmake'));
    const fromPdfkit = createRequire(fromPdfmake.resolve('pdfkit'));
    fontkit = fromPdfkit('fontkit') as Fontkit;
  }
  return fontkit;
}

const opened = new Map<string, FontkitFont>();
function openFace(family: FontFamilyName, bold: boolean): FontkitFont {
  const file = bold ? fontFaces()[family].bold : fontFaces()[family].normal;
  let font = opened.get(file);
  if (!font) {
    font = loadFontkit().openSync(file);
    opened.set(file, font);
  }
  return font;
}

/** Whether `family` draws this code point. Whitespace counts as covered. */
export function covers(family: FontFamilyName, cp: number): boolean {
  if (cp === 0x0a || cp === 0x20) return true;
  return openFace(family, false).hasGlyphForCodePoint(cp);
}

/** A run of text to draw in one family. */
export interface FontRun {
  text: string;
  font: FontFamilyName;
}

/**
 * Splits text into runs by glyph coverage: each character goes to the primary family when it has
 * the glyph, else to the fallback; a character neither has becomes `?` so no .notdef box (or U+FFFD
 * in extracted text) reaches the reader.
 */
export function fontRuns(text: string, primary: FontFamilyName): FontRun[] {
  const fallback = fallbackFont(primary);
  const runs: FontRun[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    let font = primary;
    let out = ch;
    if (!covers(primary, cp)) {
      if (covers(fallback, cp)) font = fallback;
      else out = '?';
    }
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += out;
    else runs.push({ text: out, font });
  }
  return runs;
}

/** True when `family` covers every character of every string. */
export function coversAll(family: FontFamilyName, texts: Iterable<string>): boolean {
  for (const t of texts) for (const ch of t) if (!covers(family, ch.codePointAt(0)!)) return false;
  return true;
}

/** Advance width of `text` in points at `size`, from the font's own metrics (no kerning). */
export function measureText(text: string, family: FontFamilyName, size: number, bold = false): number {
  const face = openFace(family, bold);
  let units = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const f = face.hasGlyphForCodePoint(cp) ? face : openFace(fallbackFont(family), bold);
    units += f.glyphForCodePoint(cp).advanceWidth;
  }
  return (units / face.unitsPerEm) * size;
}

// C0 and C1 controls except \n, DEL, lone surrogates, and the BOM / bidi overrides a hostile
// spreadsheet label could carry to reorder what the reader sees.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Default cap for labels that come from source files. */
export const LABEL_MAX = 200;

/**
 * Makes source text safe to draw: control characters (but \n) removed — they have no glyph and are
 * not allowed in the SVG's XML — and, when `max` is given, capped at `max` characters with `…`.
 */
export function cleanText(text: string, max?: number): string {
  const clean = text.replace(UNSAFE, '');
  if (max === undefined) return clean;
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max - 1).join('').trimEnd() + '…' : clean;
}

/** Display width in "narrow columns": East Asian wide and full-width characters count double. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += isWide(ch.codePointAt(0)!) ? 2 : 1;
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}
