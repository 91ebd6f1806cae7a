// The renderers of a brief's formats, each imported on first use: pdfmake, vega and exceljs take a
// few hundred milliseconds to load, which a JSON-only render or `--version` need not pay. Shared by
// report.ts and the render worker (render-worker.ts), which loads its own.
import type { BriefDocument } from '../document.js';

export type BriefFormat = 'pdf' | 'xlsx' | 'json';

export type Renderer = (doc: BriefDocument) => Promise<Buffer>;

const LOADERS: Record<BriefFormat, () => Promise<Renderer>> = {
  pdf: async () => (await import('./pdf.js')).renderPdf,
  xlsx: async () => (await import('./xlsx.js')).renderXlsx,
  json: async () => {
    const { renderJson } = await import('./json.js');
    return async (doc) => Buffer.from(renderJson(doc), 'utf8');
  },
};
const renderers = new Map<BriefFormat, Promise<Renderer>>();

/** The renderer of a format; its module is imported once per thread. */
export function rendererFor(format: BriefFormat): Promise<Renderer> {
  let r = renderers.get(format);
  if (!r) {
    r = LOADERS[format]();
    renderers.set(format, r);
  }
  return r;
}

/**
 * Starts importing the renderers of these formats and returns at once, so their files are read
 * while the caller opens the warehouse and gathers the data (issue 6). A failed import is reported
 * by the render that needs it, not here.
 */
export function preloadRenderers(formats: Iterable<BriefFormat>): void {
  for (const format of new Set(formats)) rendererFor(format).catch(() => undefined);
}
