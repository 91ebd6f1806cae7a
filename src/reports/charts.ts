// Vega-Lite spec → SVG string, headless and deterministic. The composer writes the spec (with its
// data inline); this module only decides how charts look: font, sizes, a calm palette, white ground.
// The SVG's font-family is a pdfmake family name so svg-to-pdfkit draws chart text in the embedded
// Noto font (see fonts.ts).

import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { Lang } from './document.js';
import { cleanText, FONT_JP, FONT_SC, LABEL_MAX, measureText, type FontFamilyName } from './fonts.js';

export interface ChartOptions {
  /** Total width of the SVG in points (= px at 1:1), padding and legend included. */
  width: number;
  /** Total height of the SVG in points. */
  height: number;
  /** A registered pdfmake family, `NotoSansSC` or `NotoSansJP`. */
  font: string;
  lang: Lang;
}

/** Muted categorical palette: slate blue, terracotta, sage, mauve, ochre, grey. */
export const PALETTE = ['#3d6b8c', '#c77f56', '#6b9a78', '#8e7aa6', '#b99d4f', '#8a9399'];

const INK = '#333333';
const MUTED = '#666666';

/**
 * Without a canvas vega guesses every glyph at 0.8 em, too wide for Latin and too narrow for hanzi,
 * so axis labels and legends were placed badly. vega-scenegraph lets a user-defined
 * `textMetrics.width` replace the guess (vl-convert does the same); ours measures with the very
 * font files the PDF embeds. It is module-global in vega, set once here.
 */
const textMetrics = (vega as unknown as { textMetrics: { width: (item: TextItem, text?: string) => number } })
  .textMetrics;
interface TextItem {
  text?: unknown;
  font?: string;
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}
textMetrics.width = (item: TextItem, text?: string): number => {
  const value = (text ?? (Array.isArray(item.text) ? item.text.join(' ') : item.text ?? '')) + '';
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const family: FontFamilyName = item.font?.includes(FONT_JP) ? FONT_JP : FONT_SC;
  const bold = item.fontWeight === 'bold' || (typeof item.fontWeight === 'number' && item.fontWeight >= 600);
  return measureText(value.trim(), family, size, bold);
};

function chartConfig(font: string): Record<string, unknown> {
  const text = { labelFont: font, titleFont: font };
  return {
    font,
    background: 'white',
    padding: 4,
    view: { stroke: null },
    axis: {
      ...text,
      labelFontSize: 8.5,
      titleFontSize: 9,
      titleFontWeight: 'normal',
      titleColor: MUTED,
      labelColor: MUTED,
      domainColor: '#9a9a9a',
      tickColor: '#9a9a9a',
      gridColor: '#e6e6e6',
      labelLimit: 160,
    },
    legend: {
      ...text,
      labelFontSize: 8.5,
      titleFontSize: 9,
      titleFontWeight: 'normal',
      labelColor: INK,
      titleColor: MUTED,
      orient: 'bottom',
      symbolSize: 70,
      labelLimit: 200,
    },
    header: { ...text, labelFontSize: 9, titleFontSize: 9, labelColor: INK },
    title: { font, fontSize: 10, fontWeight: 'bold', color: INK, anchor: 'start', subtitleFont: font },
    text: { font, fontSize: 8.5, color: INK },
    range: { category: PALETTE },
    mark: { color: PALETTE[0] },
    bar: { color: PALETTE[0] },
    line: { strokeWidth: 2 },
    point: { size: 28, filled: true },
  };
}

// Source labels can carry control characters (invalid in XML) or run to paragraphs.
function cleanValues(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value, LABEL_MAX);
  if (Array.isArray(value)) return value.map(cleanValues);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cleanValues(v)]));
  }
  return value;
}

/** Renders a Vega-Lite spec to a standalone SVG string of `opts.width` × `opts.height`. */
export async function renderChartSvg(
  spec: Record<string, unknown>,
  opts: { width: number; height: number; font: string; lang: Lang },
): Promise<string> {
  const data = spec.data as { values?: unknown } | undefined;
  const userConfig = (spec.config ?? {}) as Record<string, unknown>;
  const full = {
    ...spec,
    ...(data?.values ? { data: { ...data, values: cleanValues(data.values) } } : {}),
    width: opts.width,
    height: opts.height,
    autosize: { type: 'fit', contains: 'padding' },
    background: 'white',
    // Ours wins over the composer's for what must match the PDF: font and look.
    config: { ...userConfig, ...chartConfig(opts.font) },
  };
  // Discrete axes cannot "fit" and vega-lite says so; warnings are not errors for a report.
  const quiet = vega.logger(vega.None);
  const compiled = vl.compile(full as unknown as vl.TopLevelSpec, { logger: quiet }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.None });
  try {
    // Gradient and clip ids are a module counter; reset so the same spec gives the same bytes.
    vega.resetSVGDefIds();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
