// pdfmake's `pageBreakBefore` decided during layout instead of by laying the document out again.
//
// pdfmake lays a document out, then asks `pageBreakBefore` about each node in turn; at the first
// `true` it sets that node's `pageBreak: 'before'` and lays out — measuring every text and chart
// again — the whole document once more (bpampuch/pdfmake#1410, open in 0.3.x). With a heading kept
// with what follows it, the Chinese and Japanese briefs were laid out four times each, the English
// one twice: most of the PDF's time (issue 6).
//
// A rule that reads nothing but the node's `headlineLevel` and `startPosition.top` can be answered
// before the node is laid out: everything above it is already placed, so where its first line will
// go is known. `keepWithNext` marks such a rule; when the document uses one, the layout asks it as
// it reaches each node and sets `pageBreak: 'before'` itself, exactly where pdfmake's later pass
// would. Only a sure answer is given: when the node's first line might not fit on the page (and
// so would start on the next one), nothing is set and pdfmake's own check after the layout still
// decides, as before. The rule is still the document's `pageBreakBefore`, so the PDF is the same.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What a positional rule reads of a node; pdfmake's node info has these and more. */
export interface PositionalNode {
  headlineLevel?: number;
  startPosition: { top: number };
}

/** A `pageBreakBefore` that reads only `headlineLevel` and `startPosition.top`. */
export type PositionalRule = (node: PositionalNode) => boolean;

/** Marks a rule as positional; `Symbol.for` so a second copy of this module recognises it. */
const POSITIONAL = Symbol.for('tradebrief.positionalPageBreak');

/**
 * A `pageBreakBefore` for pdfmake that the layout may apply as it goes (one layout pass instead of
 * one more per break). The rule must read nothing of the node but `headlineLevel` and
 * `startPosition.top`.
 */
export function keepWithNext(rule: PositionalRule): PositionalRule {
  decideBreaksInLayout();
  const fn: PositionalRule = (node) => rule(node);
  (fn as unknown as Record<symbol, PositionalRule>)[POSITIONAL] = rule;
  return fn;
}

interface Inline {
  height?: number;
}

/** The parts of pdfmake's layout state read here (pdfmake 0.3 `DocumentContext`, `PageElementWriter`). */
interface LayoutState {
  writer: {
    transactionLevel: number;
    context(): { y: number; availableHeight: number; getCurrentPage(): unknown };
  };
  [RULE]?: PositionalRule;
}

interface LayoutNode {
  headlineLevel?: number;
  pageBreak?: string;
  pageBreakCalculated?: boolean;
  text?: unknown;
  _margin?: [number, number, number, number] | null;
  _inlines?: Inline[];
  unbreakable?: boolean;
  absolutePosition?: unknown;
  relativePosition?: unknown;
}

type LayoutBuilderProto = LayoutState & {
  layoutDocument(...args: unknown[]): unknown;
  processNode(node: LayoutNode, ...rest: unknown[]): unknown;
  [WRAPPED]?: true;
};

const RULE = Symbol('tradebrief.rule');
const WRAPPED = Symbol.for('tradebrief.breaksInLayout');
let installed = false;

/**
 * The top at which the node's first line will be placed, when that is sure: the same steps as
 * pdfmake's `processNode` (top margin, or the next page when the margin does not fit) and
 * `addLine` (the next page when the line does not fit), the line's height bounded by its tallest
 * inline. Only text leaves in the main flow, so a position is a position on the page.
 */
function firstLineTop(state: LayoutState, node: LayoutNode): number | undefined {
  if (node.text === undefined || !node._inlines?.length) return undefined;
  if (node.unbreakable || node.absolutePosition || node.relativePosition) return undefined;
  if (state.writer.transactionLevel !== 0) return undefined;
  const ctx = state.writer.context();
  if (!ctx.getCurrentPage() || typeof ctx.y !== 'number' || typeof ctx.availableHeight !== 'number') return undefined;
  const marginTop = node._margin ? node._margin[1] : 0;
  const room = ctx.availableHeight - marginTop;
  let height = 0;
  for (const inline of node._inlines) height = Math.max(height, inline.height ?? 0);
  // pdfmake would move the node (or its first line) to the next page; its own check decides.
  if (room < 0 || height > room) return undefined;
  return ctx.y + marginTop;
}

/** Installs the in-layout decision on pdfmake's LayoutBuilder, once per process. */
function decideBreaksInLayout(): void {
  if (installed) return;
  installed = true;
  const fromPdfmake = createRequire(require.resolve('pdfmake'));
  const proto = (fromPdfmake('./LayoutBuilder.js') as { default: { prototype: LayoutBuilderProto } }).default.prototype;
  // A second copy of this module (test runners re-import it; pdfmake stays loaded) finds it done;
  // a pdfmake without these methods keeps its own loop, which the rule still answers.
  if (proto[WRAPPED] || typeof proto.layoutDocument !== 'function' || typeof proto.processNode !== 'function') return;
  proto[WRAPPED] = true;
  const layoutDocument = proto.layoutDocument;
  const processNode = proto.processNode;
  proto.layoutDocument = function (this: LayoutBuilderProto, ...args: unknown[]) {
    // layoutDocument(content, pdfDocument, styles, defaultStyle, background, header, footer, watermark, pageBreakBefore)
    const rule = (args[8] as Record<symbol, PositionalRule> | undefined)?.[POSITIONAL];
    this[RULE] = typeof rule === 'function' ? rule : undefined;
    try {
      return layoutDocument.apply(this, args);
    } finally {
      this[RULE] = undefined;
    }
  };
  proto.processNode = function (this: LayoutBuilderProto, node: LayoutNode, ...rest: unknown[]) {
    const rule = this[RULE];
    if (rule && node.pageBreak === undefined && !node.pageBreakCalculated && node.headlineLevel !== undefined) {
      const top = firstLineTop(this, node);
      if (top !== undefined && rule({ headlineLevel: node.headlineLevel, startPosition: { top } })) node.pageBreak = 'before';
    }
    return processNode.call(this, node, ...rest);
  };
}
