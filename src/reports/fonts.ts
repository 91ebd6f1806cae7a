// The fonts every renderer draws with, and the text hygiene that goes with them.
//
// pdfmake 0.3 ships no default fonts and has no per-glyph fallback, and svg-to-pdfkit picks one
// font per <text> element. So we register the OFL Noto Sans CJK OTFs from @embedpdf/fonts-sc and
// @embedpdf/fonts-jp (single-face OTFs: Debian's .ttc collections break SVG chart text) and split
// text into runs ourselves: a character the primary face lacks is drawn in the other face.
// Noto Sans SC has Latin, kana and almost every hanzi, so it is primary for `en` and `zh`; Noto Sans
// JP gives Japanese glyph shapes for `ja` but lacks simplified hanzi (罗, 经), which fall back to SC.

import { readFileSync } from 'node:fs';
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
/** A font format for fontkit: `probe` says whether bytes are one, `new` reads them. */
interface FontFormat {
  probe(buffer: Uint8Array): boolean;
  new (stream: { buffer: Uint8Array }): object;
}
interface Fontkit {
  create(buffer: Uint8Array): FontkitFont;
  registerFormat(format: FontFormat): void;
}
let fontkit: Fontkit | undefined;
function loadFontkit(): Fontkit {
  if (!fontkit) {
    const fromPdfmake = createRequire(require.resolve('pdfmake'));
    const fromPdfkit = createRequire(fromPdfmake.resolve('pdfkit'));
    fontkit = fromPdfkit('fontkit') as Fontkit;
    fontkit.registerFormat(ParsedFace);
  }
  return fontkit;
}

const bytes = new Map<string, Buffer>();

/** The bytes of a font file, read once per process (the CJK faces are 4–9 MB each). */
function fontBytes(file: string): Buffer {
  let b = bytes.get(file);
  if (!b) {
    b = readFileSync(file);
    bytes.set(file, b);
  }
  return b;
}

const parsed = new Map<string, FontkitFont>();

/** The parsed face of a font file, one per process: measuring and every PDF share it. */
function parsedFont(file: string): FontkitFont {
  let font = parsed.get(file);
  if (!font) {
    font = loadFontkit().create(fontBytes(file));
    parsed.set(file, font);
  }
  return font;
}

/**
 * pdfkit parses a face again for every document (`fontkit.create` on the file's bytes), and a CJK
 * face's tables — cmap, CFF charstrings and subroutines — are decoded again each time it is
 * subset: about 60 ms per face per PDF, up to four faces per PDF, three PDFs per brief (issue 6).
 * A parsed fontkit font is safe to share: pdfkit keeps its per-document state (subset, widths,
 * layout cache) in its own EmbeddedFont, and fontkit's subsetter copies what it changes.
 *
 * Workaround until pdfkit accepts a parsed font (foliojs/pdfkit#1776, not in our 0.19.1) and pdfmake
 * passes one through: when a document opens one of our font files (pdfmake for text, svg-to-pdfkit
 * for chart text, both by path), the path is first registered on that document (pdfkit's own
 * `registerFont`) with a token as its source — a few bytes naming a face parsed in this process —
 * and a font format registered with fontkit (its public `registerFormat`) reads the token as that
 * face. The document still caches the font under its path, as before. No real font begins with the
 * token's magic, and other paths open as before.
 */
const TOKEN_MAGIC = 'tradebrief parsed face\u0000';
const tokens = new Map<string, FontkitFont>();

function tokenFace(buffer: Uint8Array): FontkitFont | undefined {
  if (!(buffer instanceof Uint8Array) || buffer.length > 1024 || buffer.length <= TOKEN_MAGIC.length) return undefined;
  const text = Buffer.from(buffer.buffer, buffer.byteOffset, buffer.length).toString('utf8');
  return text.startsWith(TOKEN_MAGIC) ? tokens.get(text) : undefined;
}

// A class, because fontkit constructs formats with `new`; the constructor returns the parsed face.
const ParsedFace: FontFormat = class {
  static probe(buffer: Uint8Array): boolean {
    return tokenFace(buffer) !== undefined;
  }
  constructor(stream: { buffer: Uint8Array }) {
    const face = tokenFace(stream.buffer);
    if (face === undefined) throw new Error('not a parsed-face token');
    return face as object;
  }
};

/** The token fontkit reads as the face of `file` parsed in this process. */
function faceToken(file: string): Buffer {
  const text = `${TOKEN_MAGIC}${file}`;
  if (!tokens.has(text)) tokens.set(text, parsedFont(file));
  return Buffer.from(text, 'utf8');
}

interface PdfkitDocument {
  font(src: unknown, family?: unknown, size?: unknown): unknown;
  registerFont(name: string, src: unknown, family?: string): unknown;
  /** The font `font()` made current: pdfkit's EmbeddedFont for our faces. */
  _font?: { font?: unknown; layoutCache?: Record<string, unknown> };
}

/**
 * pdfkit shapes every word with fontkit (`EmbeddedFont.layoutCached`) and keeps the glyph runs in a
 * cache per font per document, so each PDF of a brief shaped the same numbers, codes and labels
 * again (issue 6). A run depends only on the face and the word — it is scaled by the face's own
 * units per em, and pdfkit and svg-to-pdfkit copy positions before changing them — so the
 * documents share one cache per parsed face. A document opened with `fontLayoutCache: false`
 * keeps having none.
 */
const layoutCaches = new WeakMap<object, Record<string, unknown>>();

function shareLayoutCache(doc: PdfkitDocument): void {
  const embedded = doc._font;
  if (!embedded?.layoutCache || !embedded.font || typeof embedded.font !== 'object') return;
  let cache = layoutCaches.get(embedded.font);
  if (!cache) {
    cache = embedded.layoutCache;
    layoutCaches.set(embedded.font, cache);
  }
  embedded.layoutCache = cache;
}

/** Marks pdfkit's prototype once its `font` opens our files as parsed faces. */
const WRAPPED = Symbol.for('tradebrief.parsedFaces');
let sharing = false;

/** Makes every pdfkit document (pdfmake's are pdfkit's) open our font files as the shared faces. */
export function shareParsedFaces(): void {
  if (sharing) return;
  sharing = true;
  loadFontkit();
  const ours = new Set(fontFiles());
  const fromPdfmake = createRequire(require.resolve('pdfmake'));
  const pdfkit = fromPdfmake('pdfkit') as { prototype: PdfkitDocument & { [WRAPPED]?: true } };
  // A second copy of this module (test runners re-import it; pdfkit stays loaded) finds the
  // documents already opening our files as parsed faces.
  if (pdfkit.prototype[WRAPPED]) return;
  const font = pdfkit.prototype.font;
  pdfkit.prototype.font = function (this: PdfkitDocument, src: unknown, family?: unknown, size?: unknown) {
    if (typeof src !== 'string' || !ours.has(src)) return font.call(this, src, family, size);
    this.registerFont(src, faceToken(src));
    const result = font.call(this, src, family, size);
    shareLayoutCache(this);
    return result;
  };
  pdfkit.prototype[WRAPPED] = true;
}

function openFace(family: FontFamilyName, bold: boolean): FontkitFont {
  return parsedFont(bold ? fontFaces()[family].bold : fontFaces()[family].normal);
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
