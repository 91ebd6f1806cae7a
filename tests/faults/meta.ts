// What a fault case measures, attached to its task (`ctx.task.meta.fault = …`) and summed by
// summary-reporter.ts into the one line `npm run test:faults` ends with.
import type { TestContext } from 'vitest';

export interface FaultMeta {
  /** Facts a clean run has that this case's final warehouse lacks (clean count − final count, ≥ 0). */
  rowsLost: number;
  /** Checks that found a source in neither its full old nor its full new state. */
  partialLoads: number;
  /** Waits that never ended (a process or request that had to be cut off). Timeouts count by themselves. */
  hung: number;
}

declare module 'vitest' {
  interface TaskMeta {
    fault?: FaultMeta;
  }
}

/** Adds to the case's measurements (every fault case records at least zeros, so it is counted as measured). */
export function record(ctx: TestContext, add: Partial<FaultMeta> = {}): FaultMeta {
  const m = (ctx.task.meta.fault ??= { rowsLost: 0, partialLoads: 0, hung: 0 });
  m.rowsLost += add.rowsLost ?? 0;
  m.partialLoads += add.partialLoads ?? 0;
  m.hung += add.hung ?? 0;
  return m;
}
