// Two schedulers on one warehouse (two container replicas), ticks fired by the test: the warehouse
// lock refuses the replica that fires while the other runs, and the recorded tick refuses a late one.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { DIALECTS, postgresAvailable } from '../helpers/warehouse.js';
import { tinyProject } from '../distribute/project.js';
import { fakeCron, remoteSource, schedulerHarness, until } from './helpers.js';

const pgUp = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`scheduler (${dialect})`, () => {
    const h = schedulerHarness(dialect);
    const { open, fresh, running } = h;

    it('two schedulers on one warehouse run each tick once', async () => {
      const url = fresh();
      const p = tinyProject({ warehouseUrl: url, source: remoteSource(h.s.source, '*/5 * * * * *') });
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
      const requests = h.s.source.requests.length;
      const runs = (tick: string) => events.filter((e) => e.type === 'run' && e.tick === tick);

      // Both replicas fire the same tick while the pull is in progress: one runs, one is refused by the lock.
      h.s.hold();
      const t1 = new Date('2026-12-02T06:00:05.000Z');
      const both = Promise.all([a.fire('source:remote', t1), b.fire('source:remote', t1)]);
      await until(() => events.some((e) => e.type === 'skipped' && e.reason === 'locked'), 'the second replica refused');
      h.s.release();
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
      expect(h.s.source.requests.length - requests).toBe(2);
    });
  });
}
