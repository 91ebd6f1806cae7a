import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { configMemo, recall, remember, type ConfigMemo } from '../../src/config/memo.js';
import { resolveContext } from '../../src/context.js';
import { ConfigError } from '../../src/errors.js';

function project(files: Record<string, string>): { dir: string; memo: ConfigMemo } {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-memo-'));
  mkdirSync(path.join(dir, 'config'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'config', name), text);
  return { dir, memo: configMemo({ TRADEBRIEF_CACHE_DIR: path.join(dir, 'cache') }, 'build-1')! };
}

const base = `
timezone: Europe/Berlin
sources:
  - id: hlj-trade
    dataset: trade
    url: \${TRADE_URL:-data/sources/hlj.xlsx}
    fixed: { reporter: CN-HL }
`;
const over = `
include: base.yaml
sources:
  - id: extra
    dataset: indicator
    url: data/extra.csv
`;

function entries(dir: string): string[] {
  return readdirSync(path.join(dir, 'cache')).filter((f) => f.endsWith('.json'));
}

describe('config memo', () => {
  it('answers what loadConfig answered while the files, the variables and the build are the same', () => {
    const { dir, memo } = project({ 'base.yaml': base, 'tradebrief.yaml': over });
    const file = path.join(dir, 'config', 'tradebrief.yaml');
    expect(recall(memo, file, {})).toBeNull();
    const loaded = loadConfig(file, {});
    expect(loaded.inputs.map((i) => path.basename(i.file))).toEqual(['tradebrief.yaml', 'base.yaml']);
    expect(loaded.interpolated).toEqual(['TRADE_URL']);
    remember(memo, loaded);
    expect(entries(dir)).toHaveLength(1);
    expect(statSync(path.join(dir, 'cache', entries(dir)[0]!)).mode & 0o777).toBe(0o600);
    expect(recall(memo, file, {})).toEqual(loaded);
    // a relative path to the same file is the same file
    expect(recall(memo, path.relative(process.cwd(), file), { TRADE_URL: '' })).toEqual(loaded);

    // Each input, changed, makes the memo stale.
    expect(recall({ ...memo, build: 'build-2' }, file, {})).toBeNull();
    expect(recall(memo, file, { TRADE_URL: 'https://example.org/t.xlsx' })).toBeNull();
    writeFileSync(path.join(dir, 'config', 'base.yaml'), base.replace('Europe/Berlin', 'Asia/Tokyo'));
    expect(recall(memo, file, {})).toBeNull();
    writeFileSync(path.join(dir, 'config', 'base.yaml'), base);
    expect(recall(memo, file, {})).toEqual(loaded);
    writeFileSync(file, `${over}\n`);
    expect(recall(memo, file, {})).toBeNull();
  });

  it('never writes a config that interpolated a value from the environment', () => {
    const { dir, memo } = project({ 'tradebrief.yaml': base });
    const loaded = loadConfig(path.join(dir, 'config', 'tradebrief.yaml'), { TRADE_URL: 'https://user:s3cret@example.org/t.xlsx' });
    expect(loaded.secrets).toHaveLength(1);
    remember(memo, loaded);
    expect(() => readdirSync(path.join(dir, 'cache'))).toThrow();
  });

  it('is off without a build id (run from src/) or with TRADEBRIEF_CACHE_DIR=off', () => {
    expect(configMemo({})).toBeNull();
    expect(configMemo({ TRADEBRIEF_CACHE_DIR: 'off' }, 'build-1')).toBeNull();
    expect(configMemo({ XDG_CACHE_HOME: '/var/cache/u' }, 'build-1')?.dir).toBe('/var/cache/u/tradebrief');
  });

  it('resolveContext uses a fresh memo, ignores a corrupt one, and check-style callers bypass it', async () => {
    const { dir, memo } = project({ 'tradebrief.yaml': base });
    const file = path.join(dir, 'config', 'tradebrief.yaml');
    const env = { OUTPUT_DIR: path.join(dir, 'output') };
    const first = await resolveContext({ config: file }, env, { memo });
    expect(first.loaded.config.timezone).toBe('Europe/Berlin');
    // The memo, not the file, answers the second time: a memo edited behind its back shows through.
    const entryPath = path.join(dir, 'cache', entries(dir)[0]!);
    const entry = JSON.parse(readFileSync(entryPath, 'utf8')) as { loaded: { config: { timezone: string } } };
    entry.loaded.config.timezone = 'Asia/Tokyo';
    writeFileSync(entryPath, JSON.stringify(entry));
    expect((await resolveContext({ config: file }, env, { memo })).loaded.config.timezone).toBe('Asia/Tokyo');
    expect((await resolveContext({ config: file }, env, { memo: false })).loaded.config.timezone).toBe('Europe/Berlin');

    writeFileSync(entryPath, JSON.stringify({ build: memo.build }));
    expect((await resolveContext({ config: file }, env, { memo })).loaded.config.timezone).toBe('Europe/Berlin');
    writeFileSync(entryPath, '{"build": "build-1", "inputs": [');
    expect((await resolveContext({ config: file }, env, { memo })).loaded.config.timezone).toBe('Europe/Berlin');
    expect(JSON.parse(readFileSync(entryPath, 'utf8'))).toMatchObject({ build: memo.build });

    // A broken config is reported as always, whatever was remembered for it before.
    writeFileSync(file, base.replace('dataset: trade', 'dataset: trades'));
    await expect(resolveContext({ config: file }, env, { memo })).rejects.toThrow(ConfigError);
    await expect(resolveContext({ config: file }, env, { memo })).rejects.toThrow(/tradebrief\.yaml: sources\[0\]\.dataset/);
  });
});
