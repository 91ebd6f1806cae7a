// The benchmark's report: one Markdown table (also printed) and the same figures as JSON.

export interface CaseResult {
  id: string;
  status: 'ok' | 'failed' | 'timed out' | 'skipped';
  /** Measured runs (after the warm-up). */
  runs: number;
  /** Median wall time of the measured runs, seconds. */
  seconds: number | null;
  /** Highest peak RSS of the measured runs, MiB. */
  peakMiB: number | null;
  /** Rows (or value cells) the case processes; null for start-up and report. */
  rows: number | null;
  rowsPerSec: number | null;
  /** Id of the case this one is measured against. */
  floor: string | null;
  /** seconds / the floor's seconds (its interleaved runs' median when there are any). */
  ratio: number | null;
  /** Median of the floor's runs interleaved with this case's (Case.interleaveFloor). */
  pairedFloorSeconds?: number;
  target: string | null;
  /** null when there is no target or it could not be judged. */
  met: boolean | null;
  note: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string | null;
  /** How peak RSS was measured. */
  rss: string;
}

export interface Report {
  date: string;
  quick: boolean;
  /** False while the bench is still running (or was stopped): the table is as far as it got. */
  complete: boolean;
  runs: number;
  warmups: number;
  seed: number;
  data: { csvRows: number; xlsxRows: number; yearbookRows: number; quantityColumn: boolean };
  machine: Machine;
  results: CaseResult[];
}

export const COLUMNS = ['case', 'median s', 'rows/s', 'peak MiB', 'ratio to floor', 'target', 'met?', 'notes'] as const;

function fmt(n: number | null, digits: number): string {
  return n === null || !Number.isFinite(n) ? '—' : n.toFixed(digits);
}

function rate(n: number | null): string {
  if (n === null || !Number.isFinite(n)) return '—';
  return n >= 1e4 ? `${Math.round(n / 1000)}k` : String(Math.round(n));
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatTable(report: Report): string {
  const m = report.machine;
  const lines = [
    `# tradebrief benchmark ${report.date.slice(0, 10)}${report.quick ? ' (quick)' : ''}${report.complete ? '' : ' (incomplete: as far as it got)'}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}; Node ${m.node}; PostgreSQL ${m.postgres ?? 'not available'}.`,
    `Data (seed ${report.seed}): ${report.data.csvRows} CSV rows${report.data.quantityColumn ? ' (with a quantity column)' : ''}, ${report.data.xlsxRows} xlsx rows (all ${report.data.csvRows} in the large xlsx), ` +
      `${report.data.yearbookRows} yearbook rows × 45 values. Median of ${report.runs} run(s) after ${report.warmups} warm-up${minRunsNote(report)}; peak RSS by ${m.rss}.`,
    '',
    `| ${COLUMNS.join(' | ')} |`,
    `|${COLUMNS.map((c, i) => (i === 0 || c === 'target' || c === 'notes' ? '---' : '---:')).join('|')}|`,
  ];
  for (const r of report.results) {
    const failed = r.status !== 'ok';
    lines.push(
      `| ${[
        r.id,
        failed ? r.status : fmt(r.seconds, r.seconds !== null && r.seconds < 10 ? 2 : 1),
        rate(r.rowsPerSec),
        fmt(r.peakMiB, 0),
        r.ratio === null ? '—' : `${r.ratio.toFixed(2)} × ${r.floor}`,
        r.target ?? '—',
        failed && r.target ? 'no' : r.met === null ? '—' : r.met ? 'yes' : 'no',
        cell(r.note),
      ].join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The cases that ran more than --runs times (Case.minRuns), e.g. ", 15 for startup-version and …". */
function minRunsNote(report: { runs: number; results: CaseResult[] }): string {
  const more = report.results.filter((r) => r.status === 'ok' && r.runs > report.runs);
  if (more.length === 0) return '';
  const counts = [...new Set(more.map((r) => r.runs))];
  return counts.map((n) => `, ${n} for ${more.filter((r) => r.runs === n).map((r) => r.id).join(', ')}`).join('');
}
