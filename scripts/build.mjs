// `npm run build`: type-check, then bundle src/ into dist/ with esbuild
// (`node scripts/build.mjs [--no-typecheck] [--outdir DIR]`).
//
// Why a bundle and not tsc's one-file-per-module output: every command starts by loading its
// modules, and a scheduled pull that finds nothing changed is little else. From tsc's output that
// start-up read ~440 module files (kysely alone is 263, zod 94) and took 3.4 × `tradebrief --version`;
// bundled, the pull command is a handful of files (README "Performance").
//
// Layout (flat, so a module finds its neighbours the same way from src/ and from dist/):
//   dist/cli.js                       the bin; commands are lazily imported chunks next to it
//   dist/{stream,parse}-worker.js        worker entries, found by workerEntry() (src/threads.ts) as ./<name>.js
//   dist/chunk-*.js, <command>-*.js   shared code split out by esbuild
//   dist/bench/{bench,floor,rss-hook}.js     the benchmark (`npm run bench`), bundled on its own
//   dist/THIRD_PARTY_LICENSES.txt     the licences of the bundled packages
// Only small pure-JS packages needed at start-up are bundled (BUNDLED); every other package stays
// an import of node_modules: native ones (better-sqlite3, pg's optional native), ones that read
// their own files (pdfmake, fonts, exceljs), and large ones loaded only when used (xlsx, vega).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLED = new Set(['commander', 'yaml', 'zod', 'kysely']);

/** Keeps every package outside BUNDLED an import of node_modules. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
      return BUNDLED.has(name) ? undefined : { external: true };
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  // Stack traces map back to src/ under --debug (cli.ts turns source maps on).
  sourcemap: 'linked',
  legalComments: 'none',
  plugins: [externals],
  logLevel: 'warning',
  // Bundled CommonJS (commander) calls require(); ESM has none, so give each file one.
  banner: { js: "import { createRequire as __tbRequire } from 'node:module'; const require = __tbRequire(import.meta.url);" },
};

/** Builds the app and the benchmark into `outdir` (default dist/). */
export async function bundle(outdir = path.join(ROOT, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...common,
    absWorkingDir: ROOT,
    entryPoints: ['src/cli.ts', 'src/pipelines/stream-worker.ts', 'src/pipelines/parse-worker.ts'],
    outdir,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    splitting: true,
  });
  await build({
    ...common,
    absWorkingDir: ROOT,
    entryPoints: ['src/bench/bench.ts', 'src/bench/floor.ts', 'src/bench/rss-hook.ts'],
    outdir: path.join(outdir, 'bench'),
    entryNames: '[name]',
  });
  chmodSync(path.join(outdir, 'cli.js'), 0o755);
  writeFileSync(path.join(outdir, 'THIRD_PARTY_LICENSES.txt'), thirdPartyLicenses());
}

/** The licences of the bundled packages, which the bundle carries instead of their folders. */
function thirdPartyLicenses() {
  const require = createRequire(import.meta.url);
  return [...BUNDLED]
    .map((name) => {
      // Not require.resolve(`${name}/package.json`): commander and kysely do not export it.
      let dir = path.dirname(require.resolve(name));
      const ours = (d) => existsSync(path.join(d, 'package.json')) && JSON.parse(readFileSync(path.join(d, 'package.json'), 'utf8')).name === name;
      while (!ours(dir)) {
        if (dir === path.dirname(dir)) throw new Error(`build: no package.json of ${name} above ${require.resolve(name)}`);
        dir = path.dirname(dir);
      }
      const { version, license } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
      return `${name} ${version} (${license})\n\n${file ? readFileSync(path.join(dir, file), 'utf8').trim() : '(no licence file)'}\n`;
    })
    .join(`\n${'-'.repeat(80)}\n\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes('--no-typecheck')) {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { stdio: 'inherit', cwd: ROOT });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
  const at = process.argv.indexOf('--outdir');
  await bundle(at > 0 ? path.resolve(process.argv[at + 1]) : undefined);
}
