// `better-sqlite3`, for dialect.ts's openSqlite. Like pg (pg.ts), dist/ bundles its JavaScript
// (scripts/build.mjs BUNDLED) into a chunk of its own, loaded by SQLite warehouses only: required
// from node_modules it was a dozen CommonJS files resolved and compiled one by one.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

const nodeRequire = createRequire(import.meta.url);

export function loadSqlite(): { Database: typeof BetterSqlite3; nativeBinding: string } {
  // In dist/ `require` is esbuild's, which runs the bundled better-sqlite3; from src/ (tsx) there is none.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the require esbuild bundles
  const Database = (typeof require === 'function' ? require('better-sqlite3') : nodeRequire('better-sqlite3')) as typeof BetterSqlite3;
  // The addon, given by path: bundled, better-sqlite3 cannot find it itself (its `bindings` helper
  // looks next to the calling file, dist/), and the search cost ≈ 1.5 ms anyway.
  const nativeBinding = path.join(path.dirname(nodeRequire.resolve('better-sqlite3/package.json')), 'build/Release/better_sqlite3.node');
  if (!existsSync(nativeBinding)) throw new Error(`better-sqlite3's addon is missing (${nativeBinding}); run \`npm rebuild better-sqlite3\``);
  return { Database, nativeBinding };
}
