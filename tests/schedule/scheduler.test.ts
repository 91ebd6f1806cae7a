// The scheduler in-process with real node-cron and second-level expressions: it pulls, regenerates
// the brief and distributes it, and a tick while the pull runs is skipped, not queued.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { DIALECTS, postgresAvailable } from '../helpers/warehouse.js';
import { tinyProject } from '../distribute/project.js';
import { remoteSource, schedulerHarness, until } from './helpers.js';

const pgUp = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`scheduler (${dialect})`, () => {
    const h = schedulerHarness(dialect);
    const { open, fresh, running } = h;

    it('with second-level cron: pulls, regenerates the brief, distributes it, and skips a tick while the pull runs', async () => {
      const url = fresh();
      const p = tinyProject({ warehouseUrl: url, source: remoteSource(h.s.source, '* * * * * *'), distribute: [`{ type: webhook, id: hook, url: "${h.s.hook.url}/brief" }`] });
      const loaded = loadConfig(p.configFile);
      const wh = await open(url);
      const events: SchedulerEvent[] = [];
      h.s.hold();
      const sched = new Scheduler({ loaded, wh, outputDir: p.outputDir }, { catchUp: false, heartbeatMs: 0 }, { onEvent: (e) => events.push(e) });
      running.push(sched);
      await sched.start();
      expect(events[0]).toMatchObject({ type: 'started', jobs: expect.arrayContaining([{ name: 'source:remote', schedule: '* * * * * *', next: expect.any(String) }]) });
      // The first tick's pull waits on the source; the next tick finds it running and is skipped.
      await until(() => events.some((e) => e.type === 'skipped' && e.job === 'source:remote' && e.reason === 'overlap'), 'an overlapping tick');
      expect(h.s.source.requests).toHaveLength(1);
      h.s.release();
      await until(() => events.some((e) => e.type === 'done' && e.job === 'brief:hlj-japan'), 'the brief job');
      expect(events.find((e) => e.type === 'done' && e.job === 'brief:hlj-japan')).toMatchObject({ ok: true, trigger: 'inputs changed', summary: expect.stringContaining('1 delivered') });
      expect(h.s.hook.requests).toHaveLength(1);
      // Later ticks pull unchanged content: nothing re-rendered, nothing re-sent.
      const before = events.length;
      await until(() => events.slice(before).some((e) => e.type === 'done' && e.job === 'source:remote'), 'a later pull');
      expect(await sched.stop(10_000)).toBe(true);
      expect(h.s.hook.requests).toHaveLength(1);
      const runs = await wh.db.selectFrom('ingest_run').select(['trigger', 'status']).orderBy('id').execute();
      expect(runs[0]).toEqual({ trigger: 'schedule', status: 'loaded' });
      expect(runs.slice(1).every((r) => r.status === 'unchanged')).toBe(true);
      const briefs = await wh.db.selectFrom('brief_run').select(['trigger', 'status']).execute();
      expect(briefs).toEqual([{ trigger: 'inputs changed', status: 'rendered' }]);
    });
  });
}
