// keepWithNext: pdfmake's pageBreakBefore answered during layout gives the very PDF that pdfmake's
// lay-out-again loop gives, in one layout pass (issue 6).

import { createRequire } from 'node:module';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FONT_SC, fontFaces, fontFiles, shareParsedFaces } from '../../src/reports/fonts.js';
import { keepWithNext, type PositionalNode } from '../../src/reports/render/pdf-layout.js';

const PAGE_HEIGHT = 841.89;
const BOTTOM = 58;
/** Headings starting below this go to the next page (the brief uses the page's last 150 pt). */
const LIMIT = PAGE_HEIGHT - BOTTOM - 150;
const rule = (node: PositionalNode) => node.headlineLevel === 1 && node.startPosition.top > LIMIT;

const LOREM =
  'Heilongjiang trades with Japan in machinery, food and chemicals; the figures below come from the customs tables. ';

/** Paragraphs and headings; `shift` pushes everything down so the headings land at other heights. */
function content(shift: number): Content[] {
  const out: Content[] = [{ text: 'Cover', margin: [0, shift, 0, 0] }];
  for (let s = 1; s <= 12; s++) {
    // Some headings wrap to two lines, and some are taller than the rest.
    const title = s % 5 === 0 ? `Section ${s}: ${LOREM}` : `Section ${s}`;
    out.push({ text: `${s}  ${title}`, fontSize: s % 3 === 0 ? 24 : 15, bold: true, lineHeight: 1.2, headlineLevel: 1, margin: [0, 18, 0, 10] } as Content);
    out.push({ text: LOREM.repeat(1 + ((s * 7) % 9)), fontSize: 10, lineHeight: 1.4, margin: [0, 0, 0, 8] });
    if (s % 2 === 0) out.push({ ul: [LOREM, LOREM.repeat(2)], margin: [4, 0, 0, 10] } as Content);
  }
  return out;
}

let passes = 0;
let restore: () => void;
beforeAll(() => {
  const fromPdfmake = createRequire(createRequire(import.meta.url).resolve('pdfmake'));
  const proto = (fromPdfmake('./LayoutBuilder.js') as { default: { prototype: { tryLayoutDocument: (...a: unknown[]) => unknown } } }).default.prototype;
  const tryLayout = proto.tryLayoutDocument;
  proto.tryLayoutDocument = function (...args: unknown[]) {
    passes += 1;
    return tryLayout.apply(this, args);
  };
  restore = () => {
    proto.tryLayoutDocument = tryLayout;
  };
});
afterAll(() => restore());

/** One heading whose top margin starts `at` pt from the page top, a paragraph after it. */
function headingAt(at: number): Content[] {
  return [
    { canvas: [{ type: 'rect', x: 0, y: 0, w: 10, h: at - 64, color: '#eeeeee' }] },
    { text: '1  Trade with Japan', fontSize: 15, bold: true, lineHeight: 1.2, headlineLevel: 1, margin: [0, 18, 0, 10] } as Content,
    { text: LOREM.repeat(4), fontSize: 10, lineHeight: 1.4 },
  ];
}

async function render(shift: number | Content[], pageBreakBefore: TDocumentDefinitions['pageBreakBefore']): Promise<{ pdf: Buffer; passes: number }> {
  pdfmake.setFonts(fontFaces());
  shareParsedFaces();
  const allowed = new Set(fontFiles());
  pdfmake.setLocalAccessPolicy((file) => allowed.has(file));
  pdfmake.setUrlAccessPolicy(() => false);
  passes = 0;
  const pdf = await pdfmake
    .createPdf({
      pageSize: 'A4',
      pageMargins: [56, 64, 56, BOTTOM],
      info: { creationDate: new Date('2026-11-30T00:00:00Z') },
      content: typeof shift === 'number' ? content(shift) : shift,
      pageBreakBefore,
      defaultStyle: { font: FONT_SC, fontSize: 9.5 },
    })
    .getBuffer();
  return { pdf, passes };
}

describe('keepWithNext', () => {
  it('is the rule it wraps', () => {
    const kept = keepWithNext(rule);
    for (const top of [64, LIMIT - 1, LIMIT + 1, PAGE_HEIGHT - BOTTOM]) {
      for (const headlineLevel of [undefined, 1, 2]) {
        expect(kept({ headlineLevel, startPosition: { top } })).toBe(rule({ headlineLevel, startPosition: { top } }));
      }
    }
  });

  it('gives the same PDF as pdfmake laying the document out again, wherever the headings land, in one pass', async () => {
    const kept = keepWithNext(rule);
    let broke = 0;
    let saved = 0;
    // Shifts in 5 pt steps move every heading through the band above the limit and the foot of
    // the page, where a heading no longer fits and starts the next page without a break.
    for (let shift = 0; shift <= 150; shift += 5) {
      const plain = await render(shift, (node) => rule(node));
      const fast = await render(shift, kept);
      expect(Buffer.compare(fast.pdf, plain.pdf), `shift ${shift}`).toBe(0);
      expect(fast.passes).toBeLessThanOrEqual(plain.passes);
      if (plain.passes > 1) broke += 1;
      if (fast.passes < plain.passes) saved += 1;
    }
    // The sweep did exercise breaks, and the layout decided them itself.
    expect(broke).toBeGreaterThan(5);
    expect(saved).toBeGreaterThan(5);
  }, 120_000);

  it('leaves to pdfmake a heading near the foot of the page, where it may not fit', async () => {
    const kept = keepWithNext(rule);
    // From above the limit to past the last line that fits: the heading breaks, stays, or
    // (its top margin or line not fitting) moves to the next page on its own.
    let broke = 0;
    for (let at = LIMIT - 30; at <= PAGE_HEIGHT - BOTTOM; at += 3) {
      const plain = await render(headingAt(at), (node) => rule(node));
      const fast = await render(headingAt(at), kept);
      expect(Buffer.compare(fast.pdf, plain.pdf), `heading at ${at}`).toBe(0);
      expect(fast.passes).toBe(1);
      if (plain.passes > 1) broke += 1;
    }
    expect(broke).toBeGreaterThan(10);
  }, 120_000);
});
