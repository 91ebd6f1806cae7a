// `tradebrief inspect FILE`: what the parser and shaper see, and the codes labels map to — the tool an
// operator uses to write a source entry. No warehouse needed.
import path from 'node:path';
import type { Dataset, SourceRecord } from '../pipelines/types.js';
import { parseFile } from '../pipelines/parse.js';
import { shape } from '../pipelines/shape/index.js';
import { loadReference } from '../pipelines/reference.js';
import { parsePeriod, parseUnit } from '../pipelines/lexicon/index.js';
import { normalise } from '../pipelines/normalise.js';
import { UserError } from '../errors.js';
import { existsSync } from 'node:fs';

export interface InspectOptions {
  dataset?: Dataset;
  sheet?: string[];
  unit?: string;
  headerRows?: string;
  titleRows?: string;
  orientation?: 'wide' | 'long';
  reporter?: string;
  json?: boolean;
}

export async function inspectCommand(file: string, opts: InspectOptions, out: (s: string) => void): Promise<number> {
  if (!existsSync(file)) throw new UserError(`${file}: file not found`, { exitCode: 2 });
  const dataset = opts.dataset ?? 'trade';
  const parsed = await parseFile(path.resolve(file), { sheets: opts.sheet, name: file });
  const layout = {
    ...(opts.headerRows ? { header_rows: Number(opts.headerRows) } : {}),
    ...(opts.titleRows ? { title_rows: Number(opts.titleRows) } : {}),
    ...(opts.orientation ? { orientation: opts.orientation } : {}),
  };
  const shaped = shape(parsed.sheets, { dataset, unit: opts.unit, layout, sheets: opts.sheet });
  const reference = loadReference();
  // A dry normalisation (no FX rates) shows which labels map and which would be rejected.
  const fixed = dataset === 'trade' ? { reporter: opts.reporter ?? 'CN-HL' } : dataset === 'investment' ? { host: opts.reporter ?? 'CN-HL' } : dataset === 'indicator' && opts.reporter ? { region: opts.reporter } : {};
  const norm = normalise(shaped.records, { dataset, unit: opts.unit, fixed, reference, fx: () => null });

  const labels = new Map<string, string>();
  for (const r of shaped.records) {
    for (const l of [r.dims.partner, r.dims.reporter]) {
      if (l && !labels.has(l)) labels.set(l, r.total ? 'total' : (reference.lookup(l)?.code ?? 'UNKNOWN'));
    }
  }
  const periods = new Map<string, string>();
  for (const r of shaped.records) {
    const p = r.dims.period;
    if (p && !periods.has(p)) {
      const pp = parsePeriod(p);
      periods.set(p, pp ? `${pp.period} (${pp.kind})` : 'UNRECOGNISED');
    }
  }
  const report = {
    file,
    format: parsed.format,
    encoding: parsed.encoding ?? null,
    sheets: parsed.sheets.map((s) => ({ name: s.sheet, rows: s.rows.length, merges: s.merges.length })),
    tables: shaped.tables.map((t) => ({ ...t, unitParsed: t.unit ? parseUnit(t.unit) : null })),
    labels: Object.fromEntries(labels),
    periods: Object.fromEntries(periods),
    records: shaped.records.length,
    missing: shaped.records.filter((r) => r.value === null && !r.error).length,
    facts: norm.facts.length,
    rejects: norm.rejects,
    skipped: norm.skipped,
    warnings: shaped.warnings,
    sample: shaped.records.slice(0, 8),
  };
  if (opts.json) {
    out(JSON.stringify(report, null, 2));
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${file}: ${parsed.format}${parsed.encoding ? ` (${parsed.encoding})` : ''}, ${parsed.sheets.length} sheet${parsed.sheets.length === 1 ? '' : 's'}`);
  for (const t of shaped.tables) {
    lines.push('');
    lines.push(`table ${t.sheet}!${t.range}${t.title ? ` — ${t.title}` : ''}`);
    lines.push(`  header rows: ${t.headerRows}, orientation: ${t.orientation}`);
    const u = t.unit ? parseUnit(t.unit) : null;
    lines.push(`  unit: ${t.unit ?? 'none'} (from ${t.unitSource})${u ? ` = ${u.scale} ${u.currency ?? u.kind}` : t.unit ? ' — UNRECOGNISED' : ''}`);
    lines.push(`  periods: ${t.periods.map((p) => `${p} → ${periods.get(p) ?? parsePeriod(p)?.period ?? '?'}`).join(', ') || 'none'}`);
    lines.push(`  labels: ${t.labels.map((l) => `${l.replace(/\n/g, ' ')} → ${labels.get(l) ?? reference.lookup(l)?.code ?? '?'}`).join(', ') || 'none'}`);
    for (const n of t.notes) lines.push(`  note: ${n}`);
  }
  lines.push('');
  lines.push(`values: ${report.records} cells, ${report.missing} missing, ${norm.facts.length} would load as ${dataset} facts, ${norm.rejects.length} would be rejected`);
  for (const [why, n] of Object.entries(norm.skipped)) lines.push(`  skipped ${n}: ${why}`);
  for (const r of norm.rejects.slice(0, 15)) lines.push(`  reject ${r.cell}: ${r.reason}`);
  if (norm.rejects.length > 15) lines.push(`  … ${norm.rejects.length - 15} more (use --json)`);
  for (const w of shaped.warnings) lines.push(`warning: ${w}`);
  lines.push('', 'sample:');
  for (const r of report.sample as SourceRecord[]) lines.push(`  ${r.cell}: ${JSON.stringify(r.dims)} = ${r.value ?? (r.missing !== undefined ? `missing(${r.missing})` : `error(${r.error})`)} ${r.unit ?? ''}${r.total ? ' [total]' : ''}${r.indent ? ` [indent ${r.indent}]` : ''}`);
  out(lines.join('\n'));
  return 0;
}
