// What every worker thread of tradebrief shares: where its entry file is, and how an error crosses
// back to the thread that started it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from './errors.js';

/** The worker entries, by their sources under src/. dist/ is flat: every entry is dist/<name>.js. */
const ENTRIES = {
  'parse-worker': 'pipelines/parse-worker',
  'stream-worker': 'pipelines/stream-worker',
  'render-worker': 'reports/render/render-worker',
} as const;

export type WorkerName = keyof typeof ENTRIES;

/**
 * A worker's entry: the bundled `.js` next to this module in dist (scripts/build.mjs), or, when
 * running from the TypeScript sources (vitest, tsx), a tiny bootstrap that loads the `.ts` entry
 * through tsx's `tsImport`. `execArgv: ['--import', 'tsx']` would be simpler but does nothing in a
 * Node 20 worker: loader hooks are not applied to workers there (nodejs/node#47747,
 * privatenumber/tsx#354). tsx is resolved from this file, not from the working directory, so any
 * cwd works.
 */
export function workerEntry(name: WorkerName): { script: URL | string; eval: boolean } {
  const js = new URL(`./${name}.js`, import.meta.url);
  if (existsSync(fileURLToPath(js))) return { script: js, eval: false };
  const ts = new URL(`./${ENTRIES[name]}.ts`, import.meta.url);
  if (existsSync(fileURLToPath(ts))) {
    // require.resolve picks the package's `require` condition (index.cjs), whose own import of tsx's
    // loader misresolves when loaded from ESM; the sibling index.mjs is the `import` condition.
    const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
    const mjs = cjs.replace(/\.cjs$/, '.mjs');
    const tsxApi = pathToFileURL(existsSync(mjs) ? mjs : cjs).href;
    const script = `import(${JSON.stringify(tsxApi)}).then((api) => api.tsImport(${JSON.stringify(ts.href)}, ${JSON.stringify(ts.href)}));`;
    return { script, eval: true };
  }
  throw new Error(`${name} not found next to ${fileURLToPath(import.meta.url)}`);
}

/** An error as it crosses a thread boundary (structured clone keeps neither class nor exit code). */
export interface SerialisedError {
  name: string;
  message: string;
  stack?: string;
  /** Set for UserError, which is rebuilt as one on the calling side. */
  exitCode?: number;
}

export function serialiseError(err: unknown): SerialisedError {
  if (err instanceof UserError) return { name: err.name, message: err.message, exitCode: err.exitCode };
  if (err instanceof Error) return { name: err.name, message: err.message, stack: err.stack };
  return { name: 'Error', message: String(err) };
}

export function reviveError(e: SerialisedError): Error {
  if (e.exitCode !== undefined) return new UserError(e.message, { exitCode: e.exitCode });
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}
