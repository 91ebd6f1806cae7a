// kill -9 of a real `tradebrief pull` at seeded random points — during the download (from a slow
// local server), during parse/shape/normalise, and inside the load transaction — on SQLite and on
// PostgreSQL. After every kill the source holds exactly its old or its new file's facts (never a
// mix: that would be a partial load), the next pull marks the killed run `abandoned` and completes,
// and the row count ends equal to a clean run's.
//
// Each trial costs a CLI start (~2 s) and a full in-process pull, so `npm test` runs a few trials per
// dialect and `npm run test:faults` runs FAULT_TRIALS=20 (README, Reliability). This module holds the
// suite; crash-sqlite.test.ts and crash-postgres.test.ts run it, as two files so they run in parallel.
import { utimesSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pull } from '../../src/pipelines/run.js';
import { openWarehouse, type DialectName, type Warehouse } from '../../src/warehouse/dialect.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { dropSchema, freshWarehouseUrl } from '../helpers/warehouse.js';
import { frozen, listFiles, longTradeCsv, project, sourceState, spawnCli, type Project, type SourceState } from './helpers.js';
import { record } from './meta.js';
import { rng } from '../../src/bench/data.js';

const TRIALS = Math.max(1, Number(process.env.FAULT_TRIALS ?? 3));
const ROWS = 8_000;
/** The server spreads the body over this long, so a kill can land inside the download. */
const DRIP_MS = 600;
const HOOK = path.join(import.meta.dirname, 'trace-hook.mjs');


type Phase = 'download' | 'parse' | 'load';
const PHASES: Phase[] = ['download', 'parse', 'load'];

interface Timing {
  /** From the end of the response body to the load transaction's first statement. */
  parseMs: number;
  /** From the load transaction's first statement to its commit. */
  loadMs: number;
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

/** The suite for one dialect; crash-sqlite.test.ts and crash-postgres.test.ts run it in parallel. */
export function crashSuite(dialect: DialectName, enabled = true): void {
  describe.skipIf(!enabled)(`kill -9 during pull on ${dialect}`, () => {
    const versions = [Buffer.from(longTradeCsv(ROWS, 1)), Buffer.from(longTradeCsv(ROWS, 2))];
    let serving = 0;
    /** Called when the response body has been sent in full. */
    let onSent: () => void = () => undefined;
    let onRequest: () => void = () => undefined;
    let server: TestServer;
    let p: Project;
    let url: string;
    let wh: Warehouse;
    const states: SourceState[] = [];

    beforeAll(async () => {
      server = await startServer((_req, res) => {
        onRequest();
        const body = versions[serving]!;
        res.writeHead(200, { 'Content-Type': 'text/csv', 'Content-Length': String(body.length) });
        const parts = 6;
        const size = Math.ceil(body.length / parts);
        let i = 0;
        const next = () => {
          if (res.destroyed) return;
          if (i >= parts) return res.end(() => onSent());
          res.write(body.subarray(i * size, (i + 1) * size));
          i++;
          setTimeout(next, DRIP_MS / parts);
        };
        next();
      });
      p = project(`  - { id: big, dataset: trade, url: "${server.url}/big.csv", fixed: { reporter: CN-HL }, timeout_s: 5, retries: 0 }\n`);
      url = freshWarehouseUrl(dialect);
      wh = await openWarehouse(url);
    });
    afterAll(async () => {
      await wh?.close();
      await server?.close();
      if (dialect === 'postgres') await dropSchema(url);
    });

    const env = () => ({ OUTPUT_DIR: p.outputDir, WAREHOUSE_URL: url, TRADEBRIEF_CONFIG: p.config, NODE_OPTIONS: `--import ${HOOK}` });

    it(`${TRIALS} seeded kills leave every source whole, and the next pull completes`, { timeout: 30_000 + TRIALS * 15_000 }, async (ctx) => {
      const fault = record(ctx);
      // Calibrate on a clean CLI run of v1: how long parse and load take here, now.
      serving = 0;
      let sentAt = 0;
      onSent = () => (sentAt = Date.now());
      const clean = spawnCli(['pull'], env());
      const out = await clean.done;
      expect(out.code, out.stderr).toBe(0);
      const loadAt = Number(/TRACE load \d+ (\d+)/.exec(out.stderr)?.[1]);
      const commitAt = Number(/TRACE commit \d+ (\d+)/.exec(out.stderr)?.[1]);
      const timing: Timing = { parseMs: Math.max(50, loadAt - sentAt), loadMs: Math.max(20, commitAt - loadAt) };
      states[0] = await sourceState(wh, 'big');
      expect(states[0].rows).toBe(ROWS);
      // The clean state of v2, loaded in-process.
      serving = 1;
      const [r2] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
      expect(r2!.status).toBe('loaded');
      states[1] = await sourceState(wh, 'big');
      expect(states[1].rows).toBe(ROWS);
      expect(states[1].checksum).not.toBe(states[0].checksum);
      const cleanCount = ROWS;

      const random = rng(dialect === 'sqlite' ? 20261129 : 5432);
      const hits: Record<string, number> = {};
      for (let trial = 0; trial < TRIALS; trial++) {
        const target = trial % 2 === 0 ? 0 : 1; // the warehouse holds the other version now
        const old = 1 - target;
        serving = target;
        const phase = PHASES[trial % PHASES.length]!;
        const delay = Math.round(random() * (phase === 'download' ? DRIP_MS : phase === 'parse' ? timing.parseMs : timing.loadMs));
        const lastRun = await wh.db.selectFrom('ingest_run').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();

        const run = spawnCli(['pull'], env());
        let killedAt: Phase | null = null;
        const kill = (why: Phase) => {
          if (killedAt || run.child.exitCode !== null) return;
          killedAt = why;
          try {
            process.kill(-run.child.pid!, 'SIGKILL'); // the group: tsx's launcher and the CLI it starts
          } catch {
            /* already gone */
          }
        };
        let timer: NodeJS.Timeout | undefined;
        const arm = () => (timer = setTimeout(() => kill(phase), delay));
        onRequest = phase === 'download' ? arm : () => undefined;
        onSent = phase === 'parse' ? arm : () => undefined;
        if (phase === 'load') run.child.stderr!.on('data', (d: Buffer) => (/TRACE load/.test(d.toString()) ? arm() : undefined));
        const ended = await Promise.race([run.done, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
        clearTimeout(timer);
        if (ended === null) {
          fault.hung++;
          kill(phase);
          await run.done;
        }
        const cliPid = Number(/TRACE load (\d+)/.exec(run.stdout() + (ended?.stderr ?? ''))?.[1] ?? 0);
        const runs = await wh.db.selectFrom('ingest_run').select(['id', 'pid', 'status']).where('id', '>', lastRun?.id ?? 0).execute();
        for (const r of runs) if (r.pid && !(await until(() => pidGone(r.pid!), 5000))) fault.hung++;
        if (cliPid && !(await until(() => pidGone(cliPid), 5000))) fault.hung++;
        const key = `${phase}${killedAt ? '' : ' (finished first)'}`;
        hits[key] = (hits[key] ?? 0) + 1;

        // Right after the kill: all of the old file or all of the new one.
        const after = await sourceState(wh, 'big');
        const whole = after.checksum === states[old]!.checksum || after.checksum === states[target]!.checksum;
        if (!whole || after.rows !== cleanCount) fault.partialLoads++;
        expect(whole, `trial ${trial} (${phase}, ${delay} ms): ${after.rows} rows, checksum ${after.checksum}`).toBe(true);

        // The next pull marks the killed run abandoned and completes.
        const [next] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, {}, { now: frozen });
        expect(['loaded', 'unchanged'], next!.message).toContain(next!.status);
        const killedRuns = await wh.db.selectFrom('ingest_run').select(['id', 'status']).where('id', '>', lastRun?.id ?? 0).where('id', '<', next!.runId!).execute();
        for (const r of killedRuns) expect(['abandoned', 'loaded', 'unchanged']).toContain(r.status);
        const final = await sourceState(wh, 'big');
        fault.rowsLost += Math.max(0, cleanCount - final.rows);
        expect(final).toEqual(states[target]);
      }
      console.log(`crash ${dialect}: ${TRIALS} trials, kills by phase ${JSON.stringify(hits)}`);
      // Every phase was aimed at; with enough trials, each one must really have been hit at least once.
      if (TRIALS >= 9) for (const ph of PHASES) expect(hits[ph] ?? 0, JSON.stringify(hits)).toBeGreaterThan(0);
      expect(await wh.db.selectFrom('ingest_run').select('id').where('status', '=', 'running').execute()).toEqual([]);

      // Temp files of killed downloads: they do not break the next runs (above), and once older than
      // the deadline plus a minute the next download sweeps them.
      const dir = path.join(p.outputDir, 'raw', 'big');
      const leftovers = listFiles(dir).filter((f) => f.startsWith('.tmp-'));
      const old = new Date(Date.now() - 10 * 60_000);
      for (const f of leftovers) utimesSync(path.join(dir, f), old, old);
      serving = TRIALS % 2 === 0 ? 0 : 1;
      const [sweep] = await pull({ loaded: p.loaded(), wh, outputDir: p.outputDir }, { force: true }, { now: frozen });
      expect(sweep!.status).toBe('loaded');
      expect(listFiles(dir).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
      fault.rowsLost += Math.max(0, cleanCount - (await sourceState(wh, 'big')).rows);
    });
  });
}
