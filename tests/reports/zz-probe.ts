import { fitTable, tableTexts } from '/work/main/src/reports/render/pdf.js';
import { wideTablesDocument } from '/work/main/tests/reports/fixture-document.js';
import { FONT_SC } from '/work/main/src/reports/fonts.js';
const t = wideTablesDocument().sections[0]!.blocks[0]!;
if (t.type !== 'table') throw 0;
for (const a of [483, 420, 380, 340, 300, 250]) {
  const f = fitTable(tableTexts(t), t.columns.map((c) => c.kind !== 'text'), FONT_SC, a);
  console.log(a, f.fontSize, f.padding, f.widths.map((w) => w.toFixed(1)).join(' '));
}
