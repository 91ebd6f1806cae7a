// The Dockerfile's runtime stage, reproduced without a Docker engine: the build output, config and
// data with a production-only install (`npm ci --omit=dev`, as the `deps` stage runs it) run
// `tradebrief run` through a `tradebrief` bin like the image's ENTRYPOINT, and write the briefs.
// Slow (an npm install; better-sqlite3 may compile), so it runs only with TRADEBRIEF_CONTAINER_TEST=1
// (set by .ci/run).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const enabled = process.env.TRADEBRIEF_CONTAINER_TEST === '1';

function sh(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env, timeout = 600_000) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

describe.skipIf(!enabled)('container runtime stage', () => {
  it('a production-only install of the build output runs `tradebrief run` on the bundled sources', { timeout: 900_000 }, () => {
    const build = sh('npm', ['run', 'build', '--silent'], ROOT);
    expect(build.code, build.out).toBe(0);

    // What the Dockerfile copies into the deps and runtime stages.
    const app = mkdtempSync(path.join(tmpdir(), 'tb-container-'));
    for (const f of ['package.json', 'package-lock.json']) cpSync(path.join(ROOT, f), path.join(app, f));
    for (const d of ['dist', 'config', 'data', 'scripts']) cpSync(path.join(ROOT, d), path.join(app, d), { recursive: true });
    const install = sh('npm', ['ci', '--omit=dev', '--ignore-scripts=false', '--no-audit', '--no-fund'], app);
    expect(install.code, install.out).toBe(0);
    // Production dependencies only, and prepare kept the prebuilt dist/ instead of building.
    expect(existsSync(path.join(app, 'node_modules/typescript'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules/vitest'))).toBe(false);
    expect(existsSync(path.join(app, 'node_modules/better-sqlite3'))).toBe(true);
    expect(existsSync(path.join(app, 'node_modules/@embedpdf/fonts-sc'))).toBe(true);

    // ENTRYPOINT ["tradebrief"]: a bin on PATH linked to dist/cli.js.
    const bin = path.join(app, 'bin');
    mkdirSync(bin);
    chmodSync(path.join(app, 'dist/cli.js'), 0o755);
    symlinkSync(path.join(app, 'dist/cli.js'), path.join(bin, 'tradebrief'));
    const output = path.join(app, 'output');
    // WAREHOUSE_URL unset: the default SQLite file under OUTPUT_DIR, as in the image.
    const { WAREHOUSE_URL: _unset, ...inherited } = process.env;
    const env = { ...inherited, PATH: `${bin}:${process.env.PATH}`, NODE_ENV: 'production', OUTPUT_DIR: output, TRADEBRIEF_CONFIG: path.join(app, 'config/tradebrief.yaml'), TRADEBRIEF_CACHE_DIR: path.join(output, '.cache') };
    const version = sh('tradebrief', ['--version'], app, env);
    expect(version.code, version.out).toBe(0);
    const run = sh('tradebrief', ['run'], app, env, 300_000);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toMatch(/run: 10 sources \(0 failed\), 1 briefs rendered \(0 failed\)/);
    const latest = path.join(output, 'briefs/hlj-japan/latest');
    // brief.pdf, or brief.<lang>.pdf when the config asks for several languages.
    const files = readdirSync(latest);
    for (const ext of ['pdf', 'xlsx', 'json']) {
      const named = files.filter((f) => new RegExp(`^brief(\\.[a-z]{2})?\\.${ext}$`).test(f));
      expect(named.length, `${ext} in ${files.join(', ')}`).toBeGreaterThan(0);
      for (const f of named) expect(statSync(path.join(latest, f)).size).toBeGreaterThan(1000);
    }
    const pdf = files.find((f) => f.endsWith('.pdf'))!;
    expect(readFileSync(path.join(latest, pdf)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const status = sh('tradebrief', ['status', '--json'], app, env);
    expect(status.code, status.out).toBe(0);
    expect((JSON.parse(status.out.slice(status.out.indexOf('{'))) as { briefs: { status: string }[] }).briefs[0]!.status).toBe('rendered');
    // The prebuilt dist/ carries its build id: the validated config is memoised on the volume.
    expect(readdirSync(path.join(output, '.cache')).filter((f) => /^config-[0-9a-f]{16}\.json$/.test(f))).toHaveLength(1);
  });
});
