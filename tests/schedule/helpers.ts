// Shared by the scheduler tests: a cron whose ticks the test fires, a gate that holds an HTTP source's
// response until the test opens it, and a wait that polls a condition.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CronLike } from '../../src/schedule/cron.js';
import type { Scheduler } from '../../src/schedule/scheduler.js';
import { openWarehouse, type DialectName, type Warehouse } from '../../src/warehouse/dialect.js';
import { dropSchema, freshWarehouseUrl } from '../helpers/warehouse.js';
import { startServer, type TestServer } from '../helpers/http-server.js';
import { ROOT } from '../distribute/project.js';

const XLSX = readFileSync(path.join(ROOT, 'data/sources/hlj-trade-by-partner.xlsx'));

export interface FakeCron {
  cron: CronLike;
  /** Fires a tick of the named job's task, as node-cron would; resolves when the job's callback has. */
  fire(name: string, tick: Date): Promise<void>;
}

export function fakeCron(): FakeCron {
  const tasks: { name: string; fn: (tick: Date) => unknown; stopped: boolean }[] = [];
  return {
    cron: {
      schedule(_expression, fn, options) {
        const t = { name: options.name, fn, stopped: false };
        tasks.push(t);
        return { stop: () => (t.stopped = true) };
      },
    },
    async fire(name, tick) {
      await Promise.all(tasks.filter((t) => t.name === name && !t.stopped).map((t) => t.fn(tick)));
    },
  };
}

export interface Gate {
  promise: Promise<void>;
  open(): void;
}

export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Polls `check` every 25 ms until it is truthy; fails after `ms` with `what`. */
export async function until<T>(check: () => T | Promise<T>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A source server whose responses wait for the test's gate, and a webhook receiver. */
export async function servers() {
  let held: Gate = gate();
  const source = await startServer(async (_req, res) => {
    await held.promise;
    res.writeHead(200, { 'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    res.end(XLSX);
  });
  const hook = await startServer((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  return {
    source,
    hook,
    hold: () => (held = gate()),
    release: () => held.open(),
    close: async () => {
      held.open();
      await source.close();
      await hook.close();
    },
  };
}

export function remoteSource(server: TestServer, schedule: string): string {
  return `{ id: remote, dataset: trade, url: "${server.url}/trade.xlsx", sheet: "11-4", fixed: { reporter: CN-HL }, retries: 0, timeout_s: 30, schedule: "${schedule}" }`;
}

/**
 * Per-dialect fixtures of the scheduler tests, with their hooks registered in the calling describe:
 * the gated source server and webhook (`s`), warehouses opened for the test (closed afterwards),
 * fresh warehouse URLs (PostgreSQL schemas dropped afterwards) and schedulers to stop after each test.
 */
export function schedulerHarness(dialect: DialectName) {
  const urls: string[] = [];
  const opened: Warehouse[] = [];
  const running: Scheduler[] = [];
  const h = {
    s: undefined as unknown as Awaited<ReturnType<typeof servers>>,
    running,
    open: async (url: string) => {
      const wh = await openWarehouse(url);
      opened.push(wh);
      return wh;
    },
    fresh: () => {
      const u = freshWarehouseUrl(dialect);
      urls.push(u);
      return u;
    },
  };
  beforeAll(async () => {
    h.s = await servers();
  });
  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop(1000);
  });
  afterAll(async () => {
    for (const wh of opened) await wh.close();
    await h.s?.close();
    if (dialect === 'postgres') for (const u of urls) await dropSchema(u);
  });
  return h;
}
