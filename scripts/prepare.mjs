// Runs on `npm ci`/`npm install` in a checkout: builds dist/ so `npx tradebrief` works at once.
// A production install (`npm ci --omit=dev`, the container's runtime stage) has neither TypeScript
// nor esbuild and ships a prebuilt dist/, so it skips the build instead of failing.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
try {
  require.resolve('typescript/bin/tsc');
  require.resolve('esbuild');
} catch {
  console.log('tradebrief: build tools not installed (production install); using the prebuilt dist/');
  process.exit(0);
}
if (!existsSync('src/cli.ts')) process.exit(0);
const r = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
