// BriefDocument → PDF with pdfmake 0.3 (server build: a singleton with setFonts / createPdf).
// A4, a cover page with contents, numbered sections, key-figure panels, vector charts (SVG), tables
// whose header repeats across pages, a Sources list, "Page N of M" and a running header on every page
// but the cover. Text is split into font runs so every glyph comes from an embedded subset font.

import pdfmake from 'pdfmake';
import type { Content, TableCell as PdfCell, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import {
  ILLUSTRATIVE_MARK,
  type Block,
  type BriefDocument,
  type Figure,
  type TableCell,
  type TableColumn,
} from '../document.js';
import { renderChartSvg } from '../charts.js';
import { formatter, type Formatter } from '../format.js';
import { catalogue, type Messages } from '../i18n/index.js';
import {
  cleanText,
  coversAll,
  fallbackFont,
  fontFaces,
  fontFiles,
  fontRuns,
  LABEL_MAX,
  measureText,
  primaryFont,
  shareParsedFaces,
  type FontFamilyName,
} from '../fonts.js';
import { keepWithNext } from './pdf-layout.js';

// A4 in points, and the margins every page but the cover shares.
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
/** Space (pt) a heading needs below it on its page, else it starts the next page. */
const KEEP_WITH_NEXT = 150;
const MARGIN_X = 56;
const MARGINS: [number, number, number, number] = [MARGIN_X, 64, MARGIN_X, 58];
/** Width of the text block: charts and tables span it. */
export const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X;
const CHART_HEIGHT = 230;

/** A heading starting below this (pt from the page top) goes to the next page. */
const HEADING_BREAK = keepWithNext(
  (node) => node.headlineLevel === 1 && node.startPosition.top > PAGE_HEIGHT - MARGINS[3] - KEEP_WITH_NEXT,
);

const INK = '#222222';
const MUTED = '#6b6b6b';
const ACCENT = '#2f5d7c';
const RULE = '#c5ced6';
const HEAD_FILL = '#e8eef3';
const ZEBRA = '#f5f7f9';
const PANEL = '#f1f4f7';

/** The words the PDF adds of its own (page furniture), from the document's catalogue. */
type Labels = Messages['labels'];

/** Shown for a null value in an English table: never 0 (other languages: their catalogue's `labels.na`). */
export const NOT_AVAILABLE = catalogue('en').labels.na;

const numberFormats = new Map<number, Intl.NumberFormat>();
/**
 * Formats a table value for its column: thousands separators, fixed decimals (integer 0, index 2,
 * otherwise 1 unless the column says), null → "n/a". Percent values are already in percent units
 * and the unit is in the header, so no `%` is appended. `en-US` grouping for every language: it is
 * what zh and ja statistical tables use too.
 */
export function formatValue(value: TableCell, column: Pick<TableColumn, 'kind' | 'decimals'>, na: string = NOT_AVAILABLE): string {
  if (value === null || value === undefined) return na;
  if (typeof value === 'string') return value;
  if (!Number.isFinite(value)) return na;
  if (column.kind === 'text') return String(value);
  const decimals = column.decimals ?? (column.kind === 'integer' ? 0 : column.kind === 'index' ? 2 : 1);
  let nf = numberFormats.get(decimals);
  if (!nf) {
    nf = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      signDisplay: 'negative',
    });
    numberFormats.set(decimals, nf);
  }
  return nf.format(value);
}

/**
 * `2024-05-02T08:30:00Z` → `2024-05-02 08:30 UTC` (zh/ja `2024年5月2日 08:30 UTC`); anything
 * unparseable is shown as given.
 */
export function formatTimestamp(iso: string | null, fmt: Pick<Formatter, 'timestamp' | 'na'> = formatter('en')): string {
  if (!iso) return fmt.na;
  if (Number.isNaN(new Date(iso).getTime())) return cleanText(iso, 40);
  return fmt.timestamp(iso);
}

const LATIN_SUBST: Record<string, string> = { '‘': "'", '’': "'", '“': '"', '”': '"', '−': '-' };
const LATIN_PUNCT = /[‘’“”−]/g;

/** The per-render state: font, labels, counters, and whether the section used the mark. */
class Composer {
  readonly font: FontFamilyName;
  readonly labels: Labels;
  readonly fmt: Formatter;
  readonly figures: Map<string, Figure>;
  figureNo = 0;
  tableNo = 0;
  markUsed = false;

  constructor(readonly doc: BriefDocument) {
    this.font = primaryFont(doc.lang);
    this.labels = catalogue(doc.lang).labels;
    this.fmt = formatter(doc.lang);
    this.figures = new Map(doc.figures.map((f) => [f.id, f]));
  }

  /** Text as it will be drawn; `max` caps text that comes from source labels. */
  clean(text: string, max?: number): string {
    const clean = cleanText(text, max);
    // CJK faces draw curly quotes and the minus sign full-width; in Latin text that reads as a gap.
    return this.doc.lang === 'en' ? clean.replace(LATIN_PUNCT, (ch) => LATIN_SUBST[ch] ?? ch) : clean;
  }

  /** Inline text split into font runs; `max` caps text that comes from source labels. */
  runs(text: string, max?: number): Content {
    return this.runsOf(this.clean(text, max));
  }

  /** Already clean text split into font runs. */
  runsOf(clean: string): Content {
    const runs = fontRuns(clean, this.font);
    if (runs.length === 1 && runs[0]!.font === this.font) return runs[0]!.text;
    return runs.map((r) => (r.font === this.font ? r.text : { text: r.text, font: r.font }));
  }

  mark(): Content {
    this.markUsed = true;
    return { text: ILLUSTRATIVE_MARK, color: ACCENT };
  }
}

export async function renderPdf(doc: BriefDocument): Promise<Buffer> {
  const c = new Composer(doc);
  const content: Content[] = [cover(c)];
  let n = 0;
  for (const section of doc.sections) {
    n += 1;
    c.markUsed = false;
    content.push(heading(c, n, section.heading));
    for (const block of section.blocks) content.push(await renderBlock(c, block));
    if (c.markUsed && doc.illustrativeNote) {
      content.push({ text: c.runs(doc.illustrativeNote), style: 'illustrative' });
    }
  }
  content.push(heading(c, n + 1, c.labels.sources), sourcesList(c));

  const definition: TDocumentDefinitions = {
    pageSize: 'A4',
    pageMargins: MARGINS,
    language: doc.lang,
    info: {
      title: cleanText(doc.title, LABEL_MAX),
      subject: cleanText(doc.subject, LABEL_MAX),
      creator: 'tradebrief',
      producer: 'tradebrief (pdfmake)',
      creationDate: new Date(doc.generatedAt),
    },
    content,
    header: (page) => (page === 1 ? null : runningHeader(c)),
    footer: (page, pages) => (page === 1 ? null : footer(c, page, pages)),
    // pdfmake has no keep-with-next: a heading that would start in the last stretch of a page,
    // with room for at most a line or two under it, moves to the next page instead. Decided as the
    // layout reaches each heading, not by laying the document out again (see pdf-layout.ts).
    pageBreakBefore: HEADING_BREAK,
    background: (page) =>
      page === 1 ? { canvas: [{ type: 'rect', x: 0, y: 0, w: PAGE_WIDTH, h: 10, color: ACCENT }] } : null,
    defaultStyle: { font: c.font, fontSize: 9.5, lineHeight: 1.3, color: INK },
    styles: STYLES,
  };

  // The server build is a singleton; setting its fonts and policies on every render keeps it from
  // depending on who configured it last. Nothing but our font files may be read, nothing fetched.
  pdfmake.setFonts(fontFaces());
  // Every face is parsed once per process, not once per PDF (see fonts.ts).
  shareParsedFaces();
  const allowed = new Set(fontFiles());
  pdfmake.setLocalAccessPolicy((file) => allowed.has(file));
  pdfmake.setUrlAccessPolicy(() => false);
  return pdfmake.createPdf(definition).getBuffer();
}

const STYLES: TDocumentDefinitions['styles'] = {
  kicker: { fontSize: 9, bold: true, color: ACCENT, characterSpacing: 1.2 },
  title: { fontSize: 24, bold: true, lineHeight: 1.15, color: INK },
  subtitle: { fontSize: 13, color: MUTED, lineHeight: 1.25 },
  meta: { fontSize: 9.5, color: INK, lineHeight: 1.5 },
  metaLabel: { color: MUTED },
  tocTitle: { fontSize: 10, bold: true, color: ACCENT, characterSpacing: 1.2 },
  tocItem: { fontSize: 10.5, lineHeight: 1.6 },
  h1: { fontSize: 15, bold: true, color: ACCENT, lineHeight: 1.2 },
  paragraph: { fontSize: 10, lineHeight: 1.4 },
  caption: { fontSize: 9.5, bold: true, color: INK },
  captionNo: { color: ACCENT },
  small: { fontSize: 7.5, color: MUTED, lineHeight: 1.3 },
  note: { fontSize: 9, color: MUTED, lineHeight: 1.35 },
  illustrative: { fontSize: 8, color: MUTED, lineHeight: 1.3, margin: [0, 4, 0, 10] },
  th: { fontSize: 8, bold: true, color: INK, lineHeight: 1.15 },
  td: { fontSize: 8.5, lineHeight: 1.2 },
  kfValue: { fontSize: 15, bold: true, color: ACCENT, lineHeight: 1.1 },
  kfLabel: { fontSize: 8.5, color: INK, lineHeight: 1.2 },
  kfNote: { fontSize: 7.5, color: MUTED, lineHeight: 1.2 },
  sourceTitle: { fontSize: 9, bold: true },
  sourceMeta: { fontSize: 8, color: MUTED, lineHeight: 1.3 },
  link: { color: ACCENT },
};

function cover(c: Composer): Content {
  const { doc, labels } = c;
  const meta = (label: string, value: string): Content => ({
    text: [{ text: `${label}  `, style: 'metaLabel' }, c.runs(value, LABEL_MAX)].flat() as Content,
  });
  return {
    stack: [
      { text: labels.brief.toUpperCase(), style: 'kicker', margin: [0, 110, 0, 14] },
      { text: c.runs(doc.title, LABEL_MAX), style: 'title' },
      { text: c.runs(doc.subtitle, LABEL_MAX), style: 'subtitle', margin: [0, 10, 0, 22] },
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 120, y2: 0, lineWidth: 1.5, lineColor: ACCENT }] },
      {
        stack: [
          { text: c.runs(doc.subject, LABEL_MAX), bold: true },
          meta(labels.vintage, doc.dataVintage),
          meta(labels.generated, formatTimestamp(doc.generatedAt, c.fmt)),
        ],
        style: 'meta',
        margin: [0, 14, 0, 60],
      },
      {
        toc: {
          title: { text: labels.contents.toUpperCase(), style: 'tocTitle', margin: [0, 0, 0, 8] },
          textStyle: 'tocItem',
          numberStyle: { fontSize: 10.5, color: MUTED },
        },
      },
    ],
    pageBreak: 'after',
  };
}

function heading(c: Composer, n: number, text: string): Content {
  return {
    text: [{ text: `${n}  `, color: MUTED }, c.runs(text, LABEL_MAX)].flat() as Content,
    style: 'h1',
    tocItem: true,
    headlineLevel: 1,
    margin: [0, n === 1 ? 0 : 18, 0, 10],
  } as Content;
}

function runningHeader(c: Composer): Content {
  return {
    stack: [
      { text: c.runs(c.doc.runningHeader, LABEL_MAX), fontSize: 7.5, color: MUTED, lineHeight: 1 },
      { canvas: [{ type: 'line', x1: 0, y1: 4, x2: CONTENT_WIDTH, y2: 4, lineWidth: 0.5, lineColor: RULE }] },
    ],
    margin: [MARGIN_X, 30, MARGIN_X, 0],
  };
}

function footer(c: Composer, page: number, pages: number): Content {
  return {
    columns: [
      { text: c.runs(c.doc.title, 90), fontSize: 7.5, color: MUTED },
      { text: c.labels.page(page, pages), fontSize: 7.5, color: MUTED, alignment: 'right', width: 'auto' },
    ],
    margin: [MARGIN_X, 22, MARGIN_X, 0],
  };
}

async function renderBlock(c: Composer, block: Block): Promise<Content> {
  switch (block.type) {
    case 'paragraph':
      return { text: c.runs(block.text), style: 'paragraph', margin: [0, 0, 0, 8] };
    case 'note':
      return {
        table: { widths: [CONTENT_WIDTH - 12], body: [[{ text: c.runs(block.text), style: 'note' }]] },
        layout: {
          hLineWidth: () => 0,
          vLineWidth: (i: number) => (i === 0 ? 2 : 0),
          vLineColor: () => RULE,
          paddingLeft: () => 8,
          paddingTop: () => 1,
          paddingBottom: () => 1,
        },
        margin: [0, 2, 0, 10],
      };
    case 'list':
      return {
        ul: block.items.map((item) => ({ text: c.runs(item), style: 'paragraph', margin: [0, 0, 0, 3] })),
        markerColor: ACCENT,
        margin: [4, 0, 0, 10],
      } as Content;
    case 'keyFigures':
      return keyFigures(c, block.items);
    case 'chart':
      return chart(c, block);
    case 'table':
      return table(c, block);
  }
}

function keyFigures(c: Composer, items: Extract<Block, { type: 'keyFigures' }>['items']): Content {
  // An empty warehouse has no key figures; pdfmake cannot lay out a table without rows.
  if (items.length === 0) return { text: '' };
  const perRow = items.length <= 3 ? Math.max(items.length, 1) : items.length === 4 ? 2 : 3;
  const body: PdfCell[][] = [];
  for (let i = 0; i < items.length; i += perRow) {
    const row: PdfCell[] = items.slice(i, i + perRow).map((item) => {
      const illustrative = c.figures.get(item.figureId)?.illustrative === true;
      const value: Content[] = [c.runs(item.text, 60)].flat();
      if (illustrative) value.push(c.mark());
      return {
        stack: [
          // Long values ("US$ 45,761.1 million") step down a size rather than wrap.
          { text: value, style: 'kfValue', fontSize: item.text.length > 12 && perRow > 2 ? 12.5 : 15 },
          { text: c.runs(item.label, LABEL_MAX), style: 'kfLabel', margin: [0, 4, 0, 0] },
          ...(item.note ? [{ text: c.runs(item.note, LABEL_MAX), style: 'kfNote', margin: [0, 2, 0, 0] }] : []),
        ],
        fillColor: PANEL,
      } as PdfCell;
    });
    while (row.length < perRow) row.push({ text: '' });
    body.push(row);
  }
  const gap = 8;
  return {
    table: { widths: Array(perRow).fill('*'), body, dontBreakRows: true },
    // White rules of gap width draw the gutters between the tinted boxes.
    layout: {
      hLineWidth: (i: number, node: { table: { body: unknown[] } }) => (i === 0 || i === node.table.body.length ? 0 : gap),
      vLineWidth: (i: number) => (i === 0 || i === perRow ? 0 : gap),
      hLineColor: () => 'white',
      vLineColor: () => 'white',
      paddingLeft: () => 10,
      paddingRight: () => 10,
      paddingTop: () => 9,
      paddingBottom: () => 9,
    },
    margin: [0, 4, 0, 14],
  } as Content;
}

function caption(c: Composer, kind: 'figure' | 'table', n: number, title: string): Content {
  return {
    text: [{ text: `${kind === 'figure' ? c.labels.figureNo(n) : c.labels.tableNo(n)}  `, style: 'captionNo' }, c.runs(title, LABEL_MAX)].flat() as Content,
    style: 'caption',
    margin: [0, 0, 0, 6],
  };
}

// Every <text>/<tspan> string vega wrote, entities decoded, to check font coverage.
function svgTexts(svg: string): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]*)</g)) {
    out.push(
      m[1]!
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
        .replace(/&amp;/g, '&'),
    );
  }
  return out;
}

async function chart(c: Composer, block: Extract<Block, { type: 'chart' }>): Promise<Content> {
  c.figureNo += 1;
  // The caption carries the title; a second one inside the chart would repeat it.
  const { title: _title, ...spec } = block.spec;
  const opts = { width: CONTENT_WIDTH, height: CHART_HEIGHT, lang: c.doc.lang };
  let svg = await renderChartSvg(spec, { ...opts, font: c.font });
  // svg-to-pdfkit draws a <text> in one font: if the document's face lacks a glyph the chart uses
  // (simplified hanzi in a Japanese brief), set the whole chart in the face that has them all.
  const texts = svgTexts(svg);
  if (!coversAll(c.font, texts) && coversAll(fallbackFont(c.font), texts)) {
    svg = await renderChartSvg(spec, { ...opts, font: fallbackFont(c.font) });
  }
  const parts: Content[] = [caption(c, 'figure', c.figureNo, block.title), { svg, width: CONTENT_WIDTH }];
  if (block.source) {
    // Sources composed as "Source: …" already carry the prefix; do not print it twice.
    const prefix = block.source.trimStart().startsWith(c.labels.source.trim()) ? '' : c.labels.source;
    parts.push({ text: [prefix, c.runs(block.source, LABEL_MAX)].flat() as Content, style: 'small', margin: [0, 4, 0, 0] });
  }
  return { stack: parts, unbreakable: true, margin: [0, 6, 0, 16] };
}

type TableBlock = Extract<Block, { type: 'table' }>;

function table(c: Composer, block: TableBlock): Content {
  c.tableNo += 1;
  const numeric = (col: TableColumn) => col.kind !== 'text';
  const texts = tableTexts(block, (t, max) => c.clean(t, max), { na: c.labels.na, timestamp: (iso) => formatTimestamp(iso, c.fmt) });
  const fit = fitTable(texts, block.columns.map(numeric), c.font);
  const { fontSize, headerSize, padding } = fit;
  const n = block.columns.length;
  // The caption is the first header row, so it repeats on every page the table runs onto and can
  // never be left alone at the foot of a page (the real header and first row keep with it).
  const captionRow: PdfCell[] = [
    {
      ...(caption(c, 'table', c.tableNo, block.title) as object),
      colSpan: n,
      margin: [-padding, 0, -padding, 0],
    } as PdfCell,
    ...Array.from({ length: n - 1 }, () => ({ text: '' }) as PdfCell),
  ];
  const fitted = (text: string, i: number, size: number, bold: boolean) =>
    breakLongWords(text, fit.widths[i]!, c.font, size, bold);
  const header: PdfCell[] = block.columns.map((col, i) => ({
    text: c.runsOf(fitted(headerLines(texts.header[i]!, fit.widths[i]!, c.font, headerSize), i, headerSize, true)),
    style: 'th',
    fontSize: headerSize,
    alignment: numeric(col) ? 'right' : 'left',
  }));
  const body: PdfCell[][] = [captionRow, header];
  for (const [r, row] of block.rows.entries()) {
    body.push(
      block.columns.map((col, i) => {
        const cell = texts.rows[r]![i]!;
        const text: Content[] = [c.runsOf(fitted(cell.text, i, fontSize, row.total === true))].flat();
        if (cell.mark) text.push(c.mark());
        return {
          text,
          style: 'td',
          fontSize,
          alignment: numeric(col) ? 'right' : 'left',
          bold: row.total === true,
          ...(cell.missing ? { color: MUTED } : {}),
        } as PdfCell;
      }),
    );
  }
  const rowCount = body.length;
  const parts: Content[] = [
    {
      table: { headerRows: 2, keepWithHeaderRows: 1, dontBreakRows: true, widths: fit.widths, body },
      layout: {
        // Row 0 is the caption: no rule above it, none under it but the header's top rule.
        hLineWidth: (i: number) => (i === 1 || i === rowCount ? 0.8 : i === 2 ? 0.6 : 0),
        vLineWidth: () => 0,
        hLineColor: (i: number) => (i === 2 ? '#8a9aa8' : RULE),
        fillColor: (i: number) => (i === 0 ? null : i === 1 ? HEAD_FILL : i % 2 === 1 ? ZEBRA : null),
        paddingLeft: () => padding,
        paddingRight: () => padding,
        paddingTop: (i: number) => (i === 0 ? 0 : 3),
        paddingBottom: (i: number) => (i === 0 ? 6 : 3),
      },
    } as Content,
  ];
  for (const note of block.notes ?? []) {
    parts.push({ text: c.runs(note, 400), style: 'small', margin: [0, 3, 0, 0] });
  }
  return { stack: parts, margin: [0, 6, 0, 14] };
}

/**
 * A CJK header too wide for its column breaks before its unit (`GDP（百万ドル）` → `GDP` /
 * `（百万ドル）`) rather than wherever the line fills up (`GDP（百万ド` / `ル）`).
 */
function headerLines(text: string, width: number, font: FontFamilyName, size: number): string {
  const at = text.lastIndexOf('（');
  if (at <= 0 || text.includes('\n') || measureText(text, font, size, true) <= width) return text;
  return `${text.slice(0, at)}\n${text.slice(at)}`;
}

/**
 * A word with no place to break (a hash, an identifier) wider than its column is split into lines
 * of even length; left to pdfmake it would fill each line and leave a character or two on the last.
 */
function breakLongWords(text: string, width: number, font: FontFamilyName, size: number, bold: boolean): string {
  return text.replace(/[\x21-\x7e]+/g, (word) => {
    if (/[/-]/.test(word) || measureText(word, font, size, bold) <= width) return word;
    const chars = [...word];
    for (let k = 2; k <= chars.length; k++) {
      const per = Math.ceil(chars.length / k);
      const lines: string[] = [];
      for (let j = 0; j < chars.length; j += per) lines.push(chars.slice(j, j + per).join(''));
      if (lines.every((line) => measureText(line, font, size, bold) <= width)) return lines.join('\n');
    }
    return word;
  });
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A body cell as drawn: its text, whether the illustrative mark follows, whether it is n/a. */
export interface CellText {
  text: string;
  mark?: boolean;
  missing?: boolean;
  bold?: boolean;
}

/** The strings a table shows: header labels and formatted cells, cleaned as they will be drawn. */
export function tableTexts(
  block: Pick<TableBlock, 'columns' | 'rows'>,
  clean: (text: string, max?: number) => string = cleanText,
  /** The language's "n/a" and timestamp format; English by default. */
  lang: { na: string; timestamp: (iso: string) => string } = { na: NOT_AVAILABLE, timestamp: (iso) => formatTimestamp(iso) },
): { header: string[]; rows: CellText[][] } {
  const header = block.columns.map((col) => clean(col.label, LABEL_MAX));
  const rows = block.rows.map((row) =>
    block.columns.map((col, i): CellText => {
      const value = row.cells[col.key] ?? null;
      // The mark goes after the row's label: the row as a whole is illustrative.
      const mark = i === 0 && row.illustrative === true;
      const bold = row.total === true;
      if (col.kind !== 'text' && typeof value !== 'string') {
        if (value === null) return { text: lang.na, missing: true, bold };
        return { text: formatValue(value, col, lang.na), mark, bold };
      }
      // Timestamps read as everywhere else in the brief, and break at their spaces.
      if (typeof value === 'string' && ISO_TIMESTAMP.test(value.trim())) return { text: lang.timestamp(value.trim()), mark, bold };
      return { text: clean(String(value ?? lang.na), LABEL_MAX), mark, bold };
    }),
  );
  return { header, rows };
}

/** The table's type sizes (body, header) and cell padding, tried in turn until the columns fit. */
const TABLE_STEPS: { fontSize: number; headerSize: number; padding: number }[] = [
  { fontSize: 8.5, headerSize: 8, padding: 5 },
  { fontSize: 8, headerSize: 7.5, padding: 4.5 },
  { fontSize: 7.5, headerSize: 7, padding: 4 },
  { fontSize: 7, headerSize: 6.5, padding: 3 },
];
/** A word of text wider than this may break inside (URLs after `/` and `-`, hashes anywhere). */
const LONG_WORD = 96;
/** Added to every measured width: pdfkit's rounding must never push a word to the next line. */
const SLACK = 1.5;

export interface TableFit {
  /** Column widths in points, cell padding excluded (pdfmake's convention). */
  widths: number[];
  fontSize: number;
  headerSize: number;
  /** Left and right padding of every cell. */
  padding: number;
}

// Break opportunities inside a run of text: whitespace, and around every CJK character — but a
// full-width parenthesis of a few characters (a unit: （百万ドル）), a katakana word (シェア) and a
// short word of hanzi or kana standing alone (位次, 比重) are kept whole, as a typesetter would:
// `headerLines` puts such a unit on a line of its own.
const WORDS = /（[^（）\s]{1,12}）|[\p{Script=Katakana}\u30fc]+|(?<![\p{Script=Han}\p{Script=Hiragana}])[\p{Script=Han}\p{Script=Hiragana}]{2,4}(?![\p{Script=Han}\p{Script=Hiragana}])|[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]+/gu;

/** Width of the widest word of a text cell, the long ones measured by their pieces after `/`, `-`. */
function textMinWidth(text: string, font: FontFamilyName, size: number, bold: boolean): number {
  let min = 0;
  for (const word of text.match(WORDS) ?? []) {
    let w = measureText(word, font, size, bold);
    if (w > LONG_WORD) {
      // The line breaker may break after a slash or hyphen; a piece still too long breaks anywhere.
      const pieces = word.match(/[^/\-–]*[/\-–]*/g)?.filter(Boolean) ?? [word];
      w = Math.min(LONG_WORD, Math.max(...pieces.map((p) => measureText(p, font, size, bold))));
    }
    min = Math.max(min, w);
  }
  return min;
}

function lineWidth(text: string, font: FontFamilyName, size: number, bold: boolean): number {
  return Math.max(0, ...text.split('\n').map((line) => measureText(line, font, size, bold)));
}

/**
 * Column widths for a table, measured with the embedded font. Every column gets at least its
 * widest unbreakable word (header words and cells; a number cell is one word, so numbers never
 * wrap); the space above the minimums goes to the columns that would wrap, in proportion to how
 * much more they need (headers unwrap first, as in a browser's auto layout); what is left after
 * every column fits on one line goes to the text columns. The total never exceeds `available`:
 * when the minimums do not fit, the type and padding step down, and only at the smallest size do
 * header words break.
 */
export function fitTable(
  texts: { header: string[]; rows: CellText[][] },
  numeric: boolean[],
  font: FontFamilyName,
  available = CONTENT_WIDTH,
): TableFit {
  const n = numeric.length;
  const mark = (cell: CellText) => cell.text + (cell.mark ? ILLUSTRATIVE_MARK : '');
  let last:
    | { step: (typeof TABLE_STEPS)[number]; min: number[]; max: number[]; bodyMax: number[]; cellMin: number[]; room: number }
    | undefined;
  for (const step of TABLE_STEPS) {
    const room = available - n * 2 * step.padding;
    const min: number[] = [];
    const max: number[] = [];
    const cellMin: number[] = [];
    const bodyMax: number[] = [];
    for (let i = 0; i < n; i++) {
      const head = texts.header[i] ?? '';
      let lo = textMinWidth(head, font, step.headerSize, true);
      let hi = lineWidth(head, font, step.headerSize, true);
      let cells = 0;
      let body = 0;
      for (const row of texts.rows) {
        const cell = row[i];
        if (!cell) continue;
        const text = mark(cell);
        const bold = cell.bold === true;
        const full = lineWidth(text, font, step.fontSize, bold);
        const word = numeric[i] ? full : textMinWidth(text, font, step.fontSize, bold);
        cells = Math.max(cells, word);
        hi = Math.max(hi, full);
        body = Math.max(body, full);
      }
      lo = Math.max(lo, cells);
      min.push(lo + SLACK);
      max.push(Math.max(hi, lo) + SLACK);
      cellMin.push(cells + SLACK);
      bodyMax.push(body + SLACK);
    }
    last = { step, min, max, bodyMax, cellMin, room };
    if (sum(min) <= room) break;
  }
  const { step, max, bodyMax, room } = last!;
  let { min } = last!;
  if (sum(min) > room) {
    // Even the smallest type does not fit every header word: let header words break, keep the cells.
    min = last!.cellMin;
    if (sum(min) > room) {
      const k = room / sum(min);
      min = min.map((w) => w * k);
    }
  }
  // Three levels per column: its minimum; every body cell on one line (header words may still
  // wrap: a wrapped header costs one row, a wrapped body column every row); everything on one line.
  const mid = min.map((w, i) => Math.min(Math.max(w, bodyMax[i]!), max[i]!));
  const levels = [min, mid, max];
  let widths: number[] | undefined;
  for (let l = 1; l < levels.length && !widths; l++) {
    const lo = levels[l - 1]!;
    const hi = levels[l]!;
    if (sum(hi) < room) continue;
    const k = sum(hi) > sum(lo) ? Math.max(0, room - sum(lo)) / (sum(hi) - sum(lo)) : 0;
    widths = lo.map((w, i) => w + (hi[i]! - w) * k);
  }
  if (!widths) {
    // Everything fits on one line: the text columns take the rest, in proportion to their needs.
    const spare = room - sum(max);
    const textMax = sum(max.filter((_, i) => !numeric[i]));
    widths = max.map((w, i) => (textMax > 0 ? (numeric[i] ? w : w + (spare * w) / textMax) : w + (spare * w) / sum(max)));
  }
  // Round down to 0.01 pt so the sum stays within the room.
  return { widths: widths.map((w) => Math.floor(w * 100) / 100), fontSize: step.fontSize, headerSize: step.headerSize, padding: step.padding };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function sourcesList(c: Composer): Content {
  const { labels } = c;
  const items: Content[] = c.doc.sources.map((s) => {
    const meta = [
      `${s.source_id}`,
      s.sha256 ? `sha256 ${s.sha256.slice(0, 12)}` : null,
      `${labels.fetched} ${formatTimestamp(s.fetched_at, c.fmt)}`,
      s.run_id !== null ? `${labels.run} ${s.run_id}` : null,
    ].filter((x): x is string => x !== null);
    const url = cleanText(s.url, 300);
    const linkable = /^https?:\/\//i.test(url);
    return {
      stack: [
        { text: c.runs(s.title, LABEL_MAX), style: 'sourceTitle' },
        ...(s.publisher ? [{ text: c.runs(s.publisher, LABEL_MAX), style: 'sourceMeta' }] : []),
        { text: c.runs(url), style: ['sourceMeta', 'link'], ...(linkable ? { link: url } : {}) },
        { text: c.runs(meta.join('  ·  ')), style: 'sourceMeta' },
        ...(s.citations.length
          ? [{ text: c.runs(`${labels.cites}${s.citations.map((x) => cleanText(x, 300)).join(', ')}`), style: 'sourceMeta' }]
          : []),
      ],
      margin: [0, 0, 0, 8],
      unbreakable: true,
    } as Content;
  });
  return { ol: items, markerColor: MUTED, fontSize: 9 } as Content;
}
