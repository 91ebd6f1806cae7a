// Runs (ingest_run, brief_run) left `running` by a process that no longer exists — kill -9, a crashed
// container — are marked `abandoned`, so `status` does not show them in progress forever. On another
// host the process cannot be seen, so only runs older than a day are marked there.
import { hostname } from 'node:os';
import type { WarehouseConnection } from './dialect.js';

/** True while a process with this pid exists on this host (EPERM: it exists but is not ours). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface AbandonSpec {
  table: 'ingest_run' | 'brief_run';
  /** The column naming the unit: `source_id` or `brief_id`. */
  unit: 'source_id' | 'brief_id';
  /** Stored as the run's message. */
  message: string;
  /** The log line for one abandoned run. */
  describe: (unit: string, runId: number) => string;
}

export async function markAbandonedRuns(wh: WarehouseConnection, spec: AbandonSpec, now: () => Date, log: (line: string) => void): Promise<number> {
  // Plain SQL (WarehouseConnection.query): every pull starts here, and one that finds its sources
  // unchanged never loads the query builder. Table and column names come from AbandonSpec's unions.
  type Running = { id: number; unit: string; pid: number | null; host: string | null; started_at: string };
  const running = await wh.query<Running>(`SELECT id, ${spec.unit} AS unit, pid, host, started_at FROM ${spec.table} WHERE status = 'running'`);
  const host = hostname();
  const dayAgo = new Date(now().getTime() - 24 * 3600 * 1000).toISOString();
  let n = 0;
  for (const r of running) {
    const dead = r.host === host ? r.pid !== null && r.pid !== process.pid && !processAlive(r.pid) : r.started_at < dayAgo;
    if (!dead) continue;
    await wh.query(`UPDATE ${spec.table} SET status = 'abandoned', finished_at = ?, message = ? WHERE id = ? AND status = 'running'`, [now().toISOString(), spec.message, r.id]);
    log(spec.describe(r.unit, r.id));
    n++;
  }
  return n;
}
