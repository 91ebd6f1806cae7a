// Ends a run that included the fault suite (tests/faults/) with one line:
//   faults: N cases, N survived, 0 rows lost, 0 partial loads, 0 hangs
// cases = fault tests that ran, survived = those that passed; rows lost, partial loads and hangs are
// the sums of what the cases measured (task.meta.fault, see meta.ts), plus one hang per case that
// hit its timeout. Runs without fault tests (e.g. `vitest run tests/reports`) print nothing.
import type { Reporter, TestCase, TestModule } from 'vitest/node';
import type { FaultMeta } from './meta.js';

const FAULTS_DIR = /[\\/]tests[\\/]faults[\\/]/;

export default class FaultSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let cases = 0;
    let survived = 0;
    const sum: FaultMeta = { rowsLost: 0, partialLoads: 0, hung: 0 };
    for (const mod of testModules) {
      if (!FAULTS_DIR.test(mod.moduleId)) continue;
      for (const test of mod.children.allTests()) {
        const result = test.result();
        if (result.state === 'skipped' || result.state === 'pending') continue;
        cases++;
        if (result.state === 'passed') survived++;
        const m = (test as TestCase).meta().fault;
        if (m) {
          sum.rowsLost += m.rowsLost;
          sum.partialLoads += m.partialLoads;
          sum.hung += m.hung;
        }
        if (result.state === 'failed' && result.errors.some((e) => /timed out/i.test(e.message))) sum.hung++;
      }
    }
    if (cases === 0) return;
    process.stdout.write(
      `faults: ${cases} cases, ${survived} survived, ${sum.rowsLost} rows lost, ${sum.partialLoads} partial loads, ${sum.hung} hangs\n`,
    );
  }
}
