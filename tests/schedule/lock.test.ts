// The job lock on both dialects: one holder at a time across connections (two replicas), released
// for the next taker; on SQLite an expired lock row is taken over.
import { afterAll, describe, expect, it } from 'vitest';
import { openWarehouse, type Warehouse } from '../../src/warehouse/dialect.js';
import { DIALECTS, dropSchema, freshWarehouseUrl, postgresAvailable } from '../helpers/warehouse.js';

const pgUp = await postgresAvailable();

for (const dialect of DIALECTS) {
  describe.skipIf(dialect === 'postgres' && !pgUp)(`job lock (${dialect})`, () => {
    const url = freshWarehouseUrl(dialect);
    const opened: Warehouse[] = [];
    const open = async () => {
      const wh = await openWarehouse(url);
      opened.push(wh);
      return wh;
    };
    afterAll(async () => {
      for (const wh of opened) await wh.close();
      if (dialect === 'postgres') await dropSchema(url);
    });

    it('is held by one connection at a time and free again once released', async () => {
      const a = await open();
      const b = await open();
      const la = await a.tryLock('source:x');
      expect(la).not.toBeNull();
      expect(await b.tryLock('source:x')).toBeNull();
      expect(await a.tryLock('source:x')).toBeNull();
      const other = await b.tryLock('source:y');
      expect(other).not.toBeNull();
      await la!.release();
      await la!.release();
      const lb = await b.tryLock('source:x');
      expect(lb).not.toBeNull();
      expect(await a.tryLock('source:x')).toBeNull();
      await lb!.release();
      await other!.release();
    });

    it.skipIf(dialect !== 'sqlite')('an expired lock row is taken over', async () => {
      const a = await open();
      const b = await open();
      const t0 = new Date('2026-12-02T06:00:00.000Z');
      const held = await a.tryLock('brief:z', { ttlMs: 60_000, now: () => t0 });
      expect(held).not.toBeNull();
      expect(await b.tryLock('brief:z', { now: () => new Date(t0.getTime() + 30_000) })).toBeNull();
      const taken = await b.tryLock('brief:z', { now: () => new Date(t0.getTime() + 61_000) });
      expect(taken).not.toBeNull();
      // The old holder's release does not free the new holder's lock.
      await held!.release();
      expect(await a.tryLock('brief:z', { now: () => new Date(t0.getTime() + 62_000) })).toBeNull();
      await taken!.release();
    });
  });
}
