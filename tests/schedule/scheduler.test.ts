// The scheduler in-process with real node-cron and second-level expressions: it pulls, regenerates
// the brief and distributes it, and a tick while the pull runs is skipped, not queued.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Scheduler, type SchedulerEvent } from '../../src/schedule/scheduler.js';
import { openWarehouse, type Warehouse } from '../../src/warehouse/dialect.js';
import { DIALECTS, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';
import { tinyProject } from '../distribute/project.js';
import { remoteSource, servers, until } from './helpers.js';

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

    it('with second-level cron: pulls, regenerates the brief, distributes it, and skips a tick while the pull runs', async () => {
      const url = fresh();
      const p = tinyProject({ warehouseUrl: url, source: remoteSource(s.source, '* * * * * *'), distribute: [`{ type: webhook, id: hook, url: "${s.hook.url}/brief" }`] });
      const loaded = loadConfig(p.configFile);
      const wh = await open(url);
      const events: SchedulerEvent[] = [];
      s.hold();
      const sched = new Scheduler({ loaded, wh, outputDir: p.outputDir }, { catchUp: false, heartbeatMs: 0 }, { onEvent: (e) => events.push(e) });
      running.push(sched);
      await sched.start();
      expect(events[0]).toMatchObject({ type: 'started', jobs: expect.arrayContaining([{ name: 'source:remote', schedule: '* * * * * *', next: expect.any(String) }]) });
      // The first tick's pull waits on the source; the next tick finds it running and is skipped.
      await until(() => events.some((e) => e.type === 'skipped' && e.job === 'source:remote' && e.reason === 'overlap'), 'an overlapping tick');
      expect(s.source.requests).toHaveLength(1);
      s.release();
      await until(() => events.some((e) => e.type === 'done' && e.job === 'brief:hlj-japan'), 'the brief job');
      expect(events.find((e) => e.type === 'done' && e.job === 'brief:hlj-japan')).toMatchObject({ ok: true, trigger: 'inputs changed', summary: expect.stringContaining('1 delivered') });
      expect(s.hook.requests).toHaveLength(1);
      // Later ticks pull unchanged content: nothing re-rendered, nothing re-sent.
      const before = events.length;
      await until(() => events.slice(before).some((e) => e.type === 'done' && e.job === 'source:remote'), 'a later pull');
      expect(await sched.stop(10_000)).toBe(true);
      expect(s.hook.requests).toHaveLength(1);
      const runs = await wh.db.selectFrom('ingest_run').select(['trigger', 'status']).orderBy('id').execute();
      expect(runs[0]).toEqual({ trigger: 'schedule', status: 'loaded' });
      expect(runs.slice(1).every((r) => r.status === 'unchanged')).toBe(true);
      const briefs = await wh.db.selectFrom('brief_run').select(['trigger', 'status']).execute();
      expect(briefs).toEqual([{ trigger: 'inputs changed', status: 'rendered' }]);
    });
  });
}
