import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'src/**/*.test.ts'],
    // The PostgreSQL half of the suite shares one server; files run in parallel but each test
    // uses its own schema, so no ordering is needed.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The fault suite (tests/faults/) ends any run that includes it with one summary line:
    // `faults: N cases, N survived, 0 rows lost, 0 partial loads, 0 hangs`.
    reporters: ['default', './tests/faults/summary-reporter.ts'],
  },
});
