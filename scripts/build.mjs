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
//   dist/{stream,parse,render}-worker.js worker entries, found by workerEntry() (src/threads.ts) as ./<name>.js
//   dist/chunk-*.js, <command>-*.js   shared code split out by esbuild
//   dist/bench/{bench,floor,rss-hook}.js     the benchmark (`npm run bench`), bundled on its own
//   dist/THIRD_PARTY_LICENSES.txt     the licences of the bundled packages
// Only small pure-JS packages needed at start-up are bundled (BUNDLED); every other package stays
// an import of node_modules: native ones (better-sqlite3, pg's optional native), ones that read
// their own files (pdfmake, fonts, exceljs), and large ones loaded only when used (xlsx, vega).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLED = new Set([
  'commander',
  'yaml',
  'zod',
  'kysely',
  // pg and what it requires (not its optional pg-native and pg-cloudflare, which stay external):
  // ≈ 30 CommonJS files resolved and compiled one by one were ≈ 10 ms of a PostgreSQL command's start-up.
  'pg',
  'pg-pool',
  'pg-protocol',
  'pg-types',
  'pg-int8',
  'pg-connection-string',
  'pgpass',
  'split2',
  'postgres-array',
  'postgres-bytea',
  'postgres-date',
  'postgres-interval',
  'xtend',
  // better-sqlite3's JavaScript (its addon is loaded from node_modules by path: src/warehouse/sqlite.ts).
  'better-sqlite3',
]);

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

/**
 * pg requires its crypto helpers (pg/lib/crypto/utils.js) when it loads, and they load node:crypto
 * and its Web Crypto at once: ≈ 8 ms of every PostgreSQL command's start-up, for functions used only
 * when the server asks for a password (md5, SCRAM). pg's two requires of the helpers get a module
 * whose functions load the real one on their first call (a bundled CommonJS module runs when first
 * required). The list of functions is read from the real module, so a pg upgrade cannot drop one.
 */
const lazyPgCrypto = {
  name: 'lazy-pg-crypto',
  setup(b) {
    b.onResolve({ filter: /^\.\/(crypto\/)?utils$/ }, (args) => {
      if (!/node_modules[\\/]pg[\\/]lib[\\/](client|crypto[\\/]sasl)\.js$/.test(args.importer)) return undefined;
      const real = path.join(args.resolveDir, `${args.path}.js`);
      if (!real.endsWith(path.join('pg', 'lib', 'crypto', 'utils.js'))) return undefined;
      return { path: real, namespace: 'lazy-pg-crypto' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-pg-crypto' }, (args) => {
      const names = Object.keys(createRequire(import.meta.url)(args.path));
      if (names.length === 0) throw new Error(`build: ${args.path} exports nothing; the lazy pg crypto shim needs revisiting`);
      const wrappers = names.map((n) => `  ${JSON.stringify(n)}: (...a) => load()[${JSON.stringify(n)}](...a),`).join('\n');
      return {
        contents: `let real;\nconst load = () => (real ??= require(${JSON.stringify(args.path)}));\nmodule.exports = {\n${wrappers}\n};\n`,
        loader: 'js',
        resolveDir: path.dirname(args.path),
      };
    });
  },
};

const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // TRADEBRIEF_NO_MINIFY=1: readable function names in a --cpu-prof profile.
  minify: !process.env.TRADEBRIEF_NO_MINIFY,
  // Stack traces map back to src/ under --debug (cli.ts turns source maps on).
  sourcemap: 'linked',
  legalComments: 'none',
  plugins: [lazyPgCrypto, externals],
  logLevel: 'warning',
  // Bundled CommonJS (commander, pg) calls require(); ESM has none, so give each file one, made on
  // its first call: most chunks never call it, and createRequire costs ≈ 0.15 ms a chunk (13 tiny
  // modules each making one loaded in 5.0–6.7 ms, without in 3.7–5.0 ms; an unchanged pull loads 13
  // chunks, `--version` 4).
  banner: {
    js: "import { createRequire as __tbCreateRequire } from 'node:module'; let __tbReal; const __tbRequire = () => (__tbReal ??= __tbCreateRequire(import.meta.url)); const require = Object.assign((id) => __tbRequire()(id), { resolve: (id, options) => __tbRequire().resolve(id, options) });",
  },
};

/**
 * What the bundle is made of: src/, the locked package versions and this script. The config memo
 * (src/config/memo.ts) trusts a remembered config only from the build that validated it.
 */
export function buildId() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const f = path.join(dir, e.name);
      if (e.isDirectory()) walk(f);
      else hash.update(`${path.relative(ROOT, f)}\0`).update(readFileSync(f));
    }
  };
  walk(path.join(ROOT, 'src'));
  for (const f of ['package-lock.json', 'scripts/build.mjs']) if (existsSync(path.join(ROOT, f))) hash.update(`${f}\0`).update(readFileSync(path.join(ROOT, f)));
  return hash.digest('hex').slice(0, 16);
}

/** Builds the app and the benchmark into `outdir` (default dist/). */
export async function bundle(outdir = path.join(ROOT, 'dist')) {
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...common,
    define: { __TRADEBRIEF_BUILD__: JSON.stringify(buildId()) },
    absWorkingDir: ROOT,
    entryPoints: ['src/cli.ts', 'src/pipelines/stream-worker.ts', 'src/pipelines/parse-worker.ts', 'src/reports/render/render-worker.ts'],
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
      return `${name} ${version} (${license})\n\n${licenceText(dir, name)}\n`;
    })
    .join(`\n${'-'.repeat(80)}\n\n`);
}

/** A package's licence file, else the License section of its README (pg-types and pgpass ship no file). */
function licenceText(dir, name) {
  const files = readdirSync(dir);
  const file = files.find((f) => /^licen[cs]e/i.test(f));
  if (file) return readFileSync(path.join(dir, file), 'utf8').trim();
  const readme = files.find((f) => /^readme/i.test(f));
  const section = readme && /^#+\s*licen[cs]e\s*$([\s\S]*?)(?=^#+\s|(?![\s\S]))/im.exec(readFileSync(path.join(dir, readme), 'utf8'));
  if (!section?.[1].trim()) throw new Error(`build: ${name} has neither a licence file nor a License section in its README; add its licence text to scripts/build.mjs`);
  return section[1].trim();
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
