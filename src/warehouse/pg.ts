// `pg`, for dialect.ts's requirePg. A module of its own so that dist/ puts pg, which esbuild bundles
// (scripts/build.mjs BUNDLED), in a chunk that only PostgreSQL warehouses load: its ≈ 85 KiB cost
// every SQLite command ≈ 8 ms of compiling when it shared a chunk with kysely. Importing this module
// does not run pg; loadPg() does, synchronously.
import { createRequire } from 'node:module';
import type Pg from 'pg';

export function loadPg(): typeof Pg {
  // In dist/ `require` is esbuild's, which runs the bundled pg; from src/ (tsx) there is none.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the require esbuild bundles
  return (typeof require === 'function' ? require('pg') : createRequire(import.meta.url)('pg')) as typeof Pg;
}
