// Two schedulers on one warehouse (two container replicas), ticks fired by the test: the warehouse
// lock refuses the replica that fires while the other runs, and the recorded tick refuses a late one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/dialect.js';
import { DIALECTS, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';
import { tinyProject } from '../distribute/project.js';
import { fakeCron, remoteSource, servers, until } from './helpers.js';

const pgUp = await postgresAvailable();


for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`scheduler (${dialect})`, () => {
    let s: Awaited<ReturnType<typeof servers>>;
    const urls: string[] = [];
    const opened: Warehouse[] = [];
    const running: Scheduler[] = [];
    const open = async (url: string) => {
      const wh = await openWarehouse(url);
      opened.push(wh);
      return wh;
    };
    beforeAll(async () => {
      s = await servers();
    });
    afterEach(async () => {
      for (const r of running.splice(0)) await r.stop(1000);
    });
    afterAll(async () => {
      for (const wh of opened) await wh.close();
      await s?.close();
      if (dialect === 'postgres') for (const u of urls) await dropSchema(u);
    });
    const fresh = () => {
      const u = freshWarehouseUrl(dialect);
      urls.push(u);
      return u;
    };

    it('two schedulers on one warehouse run each tick once', async () => {
      const url = fresh();
      const p = tinyProject({ warehouseUrl: url, source: remoteSource(s.source, '*/5 * * * * *') });
      const loaded = loadConfig(p.configFile);
      const events: (SchedulerEvent & { replica: string })[] = [];
      const make = async (replica: string) => {
        const c = fakeCron();
        const sched = new Scheduler({ loaded, wh: await open(url), outputDir: p.outputDir }, { catchUp: false, heartbeatMs: 0 }, { cron: c.cron, onEvent: (e) => events.push({ ...e, replica }) });
        running.push(sched);
        await sched.start();
        return c;
      };
      const a = await make('a');
      const b = await make('b');
      const requests = s.source.requests.length;
      const runs = (tick: string) => events.filter((e) => e.type === 'run' && e.tick === tick);

      // Both replicas fire the same tick while the pull is in progress: one runs, one is refused by the lock.
      s.hold();
      const t1 = new Date('2026-12-02T06:00:05.000Z');
      const both = Promise.all([a.fire('source:remote', t1), b.fire('source:remote', t1)]);
      await until(() => events.some((e) => e.type === 'skipped' && e.reason === 'locked'), 'the second replica refused');
      s.release();
      await both;
      expect(runs(t1.toISOString())).toHaveLength(1);
      // A replica that fires the same tick late finds it already run.
      await b.fire('source:remote', t1);
      await a.fire('source:remote', t1);
      expect(runs(t1.toISOString())).toHaveLength(1);
      expect(events.filter((e) => e.type === 'skipped' && e.reason === 'tick already run')).toHaveLength(2);

      // The next tick, one replica after the other: still once.
      const t2 = new Date('2026-12-02T06:00:10.000Z');
      await b.fire('source:remote', t2);
      await a.fire('source:remote', t2);
      expect(runs(t2.toISOString())).toHaveLength(1);
      expect(s.source.requests.length - requests).toBe(2);
    });
  });
}
