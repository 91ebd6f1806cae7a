// Catch-up at start (an overdue source runs once, however many ticks it missed) and a stop past its
// grace period (the download is aborted, the run recorded as failed, nothing loaded or left running).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/dialect.js';
import { tinyProject } from '../distribute/project.js';
import { fakeCron, remoteSource, servers, until } from './helpers.js';



describe('scheduler catch-up and stop', () => {
  let s: Awaited<ReturnType<typeof servers>>;
  const opened: Warehouse[] = [];
  beforeAll(async () => {
    s = await servers();
  });
  afterAll(async () => {
    for (const wh of opened) await wh.close();
    await s?.close();
  });

  it('a source overdue at start runs once, however many ticks it missed', async () => {
    const p = tinyProject({ source: '{ id: hlj-trade, dataset: trade, url: data/trade.xlsx, sheet: "11-4", fixed: { reporter: CN-HL }, schedule: "0 6 2 * *" }' });
    const loaded = loadConfig(p.configFile);
    const wh = await openWarehouse(p.env.WAREHOUSE_URL!);
    opened.push(wh);
    const start = async (now: Date) => {
      const events: SchedulerEvent[] = [];
      const sched = new Scheduler({ loaded, wh, outputDir: p.outputDir }, { heartbeatMs: 0 }, { cron: fakeCron().cron, now: () => now, onEvent: (e) => events.push(e) });
      await sched.start();
      await sched.stop(5000);
      return events.filter((e) => e.type === 'run').map((e) => (e.type === 'run' ? `${e.job} ${e.trigger}` : ''));
    };
    // Never pulled: overdue.
    expect(await start(new Date('2026-12-05T00:00:00.000Z'))).toEqual(['source:hlj-trade catch-up', 'brief:hlj-japan inputs changed']);
    // Pulled since the last tick (2 December 06:00 Shanghai): up to date.
    expect(await start(new Date('2026-12-20T00:00:00.000Z'))).toEqual([]);
    // Three monthly ticks missed: one run.
    expect(await start(new Date('2027-03-20T00:00:00.000Z'))).toEqual(['source:hlj-trade catch-up']);
    const runs = await wh.db.selectFrom('ingest_run').select(['trigger', 'status']).orderBy('id').execute();
    expect(runs).toEqual([
      { trigger: 'schedule', status: 'loaded' },
      { trigger: 'schedule', status: 'unchanged' },
    ]);
  });

  it('a stop waits for the unit in progress; past the grace period it aborts the download, and nothing is left running', async () => {
    const p = tinyProject({ source: remoteSource(s.source, '0 6 2 * *') });
    const loaded = loadConfig(p.configFile);
    const wh = await openWarehouse(p.env.WAREHOUSE_URL!);
    opened.push(wh);
    const c = fakeCron();
    const events: SchedulerEvent[] = [];
    const sched = new Scheduler({ loaded, wh, outputDir: p.outputDir }, { catchUp: false, heartbeatMs: 0 }, { cron: c.cron, onEvent: (e) => events.push(e) });
    await sched.start();
    s.hold();
    const requests = s.source.requests.length;
    const job = c.fire('source:remote', new Date('2026-12-01T22:00:00.000Z'));
    await until(() => s.source.requests.length > requests, 'the download to start');
    const clean = await sched.stop(200);
    await job;
    expect(clean).toBe(false);
    const order = events.map((e) => e.type);
    expect(order.indexOf('stopping')).toBeLessThan(order.indexOf('done'));
    expect(order.indexOf('done')).toBeLessThan(order.indexOf('stopped'));
    const runs = await wh.db.selectFrom('ingest_run').select(['status', 'message']).execute();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe('failed');
    expect(await wh.db.selectFrom('trade_flow').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst()).toEqual({ n: 0 });
    // After the stop, a tick is not taken.
    await c.fire('source:remote', new Date('2027-01-01T22:00:00.000Z'));
    expect(s.source.requests.length).toBe(requests + 1);
  });
});
