import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';
import { schemaText } from '../../scripts/write-schema.js';

function writeConfig(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tb-cfg-'));
  mkdirSync(path.join(dir, 'config'));
  const file = path.join(dir, 'config', 'tradebrief.yaml');
  writeFileSync(file, text);
  return file;
}

const minimal = `
sources:
  - id: hlj-trade
    dataset: trade
    url: data/sources/hlj.xlsx
    fixed: { reporter: CN-HL }
briefs:
  - id: hlj-japan
    subject: CN-HL
    partner: JPN
`;

describe('config', () => {
  it('loads a minimal config with defaults filled in', () => {
    const { config, baseDir, file } = loadConfig(writeConfig(minimal));
    expect(config.timezone).toBe('Asia/Shanghai');
    expect(config.sources[0]).toMatchObject({ id: 'hlj-trade', enabled: true, priority: 0, max_reject_share: 0.05, retries: 3 });
    expect(config.briefs[0]).toMatchObject({ languages: ['en'], formats: ['pdf', 'xlsx', 'json'] });
    // relative source paths resolve against the project root, the parent of config/
    expect(baseDir).toBe(path.dirname(path.dirname(file)));
  });

  it('names the file and the key path of a bad value', () => {
    const bad = minimal.replace('dataset: trade', 'dataset: trades');
    expect(() => loadConfig(writeConfig(bad))).toThrowError(/^tradebrief\.yaml: sources\[0\]\.dataset: /);
  });

  it('names unknown keys', () => {
    const bad = minimal.replace('    dataset: trade', '    datset: trade\n    dataset: trade');
    expect(() => loadConfig(writeConfig(bad))).toThrowError('tradebrief.yaml: sources[0]: unknown key "datset"');
  });

  it('rejects ids that are unsafe in file names (path traversal)', () => {
    const bad = minimal.replace('id: hlj-trade', 'id: ../../etc');
    expect(() => loadConfig(writeConfig(bad))).toThrowError(/sources\[0\]\.id: must be lower-case/);
  });

  it('rejects a schedule that is not a cron expression and a time zone that does not exist', () => {
    const badCron = minimal.replace('    dataset: trade', '    dataset: trade\n    schedule: "every day at six"');
    expect(() => loadConfig(writeConfig(badCron))).toThrowError('tradebrief.yaml: sources[0].schedule: is not a cron expression (5 fields, or 6 with seconds first), e.g. "0 6 2 * *"');
    expect(() => loadConfig(writeConfig(`timezone: Asia/Harbin_City\n${minimal}`))).toThrowError('tradebrief.yaml: timezone: is not an IANA time zone, e.g. Asia/Shanghai');
    // Names Intl's canonical list lacks on some ICU versions (UTC, one spelling of Kolkata) still pass.
    for (const tz of ['UTC', 'Etc/UTC', 'Asia/Kolkata', 'Asia/Calcutta', 'Asia/Tokyo']) expect(loadConfig(writeConfig(`timezone: ${tz}\n${minimal}`)).config.timezone).toBe(tz);
    expect(loadConfig(writeConfig(minimal.replace('    dataset: trade', '    dataset: trade\n    schedule: "*/30 * * * * *"'))).config.sources[0]!.schedule).toBe('*/30 * * * * *');
  });

  it('rejects duplicate ids', () => {
    const dup = minimal.replace('sources:\n', 'sources:\n  - { id: hlj-trade, dataset: fx, url: x.csv }\n');
    expect(() => loadConfig(writeConfig(dup))).toThrowError('tradebrief.yaml: sources[1].id: "hlj-trade" is already used by sources[0]');
  });

  it('interpolates ${ENV} after parsing and remembers the values as secrets', () => {
    const cfg = minimal.replace('url: data/sources/hlj.xlsx', 'url: "https://stats.example/t.xlsx?key=${STATS_KEY}"\n    headers: { Authorization: "Bearer ${STATS_TOKEN:-none}" }');
    const loaded = loadConfig(writeConfig(cfg), { STATS_KEY: 'k-123456' });
    expect(loaded.config.sources[0]!.url).toBe('https://stats.example/t.xlsx?key=k-123456');
    expect(loaded.config.sources[0]!.headers).toEqual({ Authorization: 'Bearer none' });
    expect(loaded.secrets).toContain('k-123456');
  });

  it('an unset variable names the key and the variable', () => {
    const cfg = minimal.replace('url: data/sources/hlj.xlsx', 'url: "https://x/${NOPE_VAR}"');
    expect(() => loadConfig(writeConfig(cfg), {})).toThrowError('tradebrief.yaml: sources[0].url: environment variable NOPE_VAR is not set');
  });

  it('reports YAML syntax errors with the line', () => {
    expect(() => loadConfig(writeConfig('sources: [\n  - id: x\n'))).toThrowError(/^tradebrief\.yaml:\d+:\d+: invalid YAML/);
  });

  it('a missing file is a ConfigError (exit 2)', () => {
    try {
      loadConfig('/nonexistent/tradebrief.yaml');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).exitCode).toBe(2);
    }
  });

  it('the committed JSON Schema matches the zod schema (run `npm run schema` after changing it)', () => {
    const committed = readFileSync(new URL('../../config/tradebrief.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(schemaText());
  });

  describe('include', () => {
    function project(files: Record<string, string>): string {
      const dir = mkdtempSync(path.join(tmpdir(), 'tb-inc-'));
      mkdirSync(path.join(dir, 'config'));
      for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'config', name), text);
      return dir;
    }

    it('reads the included file first; the including file adds sources and replaces same-id ones in place', () => {
      const dir = project({
        'tradebrief.yaml': `timezone: Asia/Tokyo\n${minimal}  - id: other\n    subject: CN-HL\n    partner: RUS\n`.replace('briefs:\n', 'briefs:\n'),
        'online.yaml': [
          'include: tradebrief.yaml',
          'sources:',
          '  - { id: wdi, dataset: indicator, url: "https://api.worldbank.org/v2", priority: 20 }',
          '  - { id: hlj-trade, dataset: trade, url: data/sources/hlj.xlsx, enabled: false }',
          'briefs:',
          '  - { id: other, subject: CN-HL, partner: KOR }',
        ].join('\n'),
      });
      const { config, file, baseDir } = loadConfig(path.join(dir, 'config/online.yaml'));
      expect(path.basename(file)).toBe('online.yaml');
      expect(baseDir).toBe(dir);
      expect(config.timezone).toBe('Asia/Tokyo');
      expect(config.sources.map((s) => [s.id, s.enabled])).toEqual([['hlj-trade', false], ['wdi', true]]);
      expect(config.briefs.map((b) => [b.id, b.partner])).toEqual([['hlj-japan', 'JPN'], ['other', 'KOR']]);
      expect(config.include).toBeUndefined();
    });

    it('the including file\'s time zone wins only when it sets one', () => {
      const dir = project({ 'base.yaml': 'timezone: Asia/Tokyo\n', 'a.yaml': 'include: base.yaml\n', 'b.yaml': 'include: base.yaml\ntimezone: Europe/Moscow\n' });
      expect(loadConfig(path.join(dir, 'config/a.yaml')).config.timezone).toBe('Asia/Tokyo');
      expect(loadConfig(path.join(dir, 'config/b.yaml')).config.timezone).toBe('Europe/Moscow');
    });

    it('names the included file in its errors, and refuses a missing file and a loop', () => {
      const dir = project({
        'bad.yaml': 'sources:\n  - { id: x, dataset: trades, url: a.xlsx }\n',
        'a.yaml': 'include: bad.yaml\n',
        'missing.yaml': 'include: nowhere.yaml\n',
        'loop1.yaml': 'include: loop2.yaml\n',
        'loop2.yaml': 'include: loop1.yaml\n',
      });
      expect(() => loadConfig(path.join(dir, 'config/a.yaml'))).toThrowError(/^bad\.yaml: sources\[0\]\.dataset: /);
      expect(() => loadConfig(path.join(dir, 'config/missing.yaml'))).toThrowError(/nowhere\.yaml: config file not found \(included by missing\.yaml\); check the include path/);
      expect(() => loadConfig(path.join(dir, 'config/loop1.yaml'))).toThrowError('loop2.yaml: include: "loop1.yaml" includes itself (loop1.yaml → loop2.yaml → loop1.yaml); remove the loop');
    });

    it('keeps an included file\'s relative paths relative to its own project', () => {
      const shared = project({ 'tradebrief.yaml': minimal });
      const mine = mkdtempSync(path.join(tmpdir(), 'tb-inc-mine-'));
      writeFileSync(path.join(mine, 'site.yaml'), `include: ${path.join(shared, 'config/tradebrief.yaml')}\n`);
      const { config } = loadConfig(path.join(mine, 'site.yaml'));
      expect(config.sources[0]!.url).toBe(path.join(shared, 'data/sources/hlj.xlsx'));
    });

    it('takes API keys only from the environment', () => {
      const dir = project({
        'literal.yaml': 'sources:\n  - { id: c, dataset: trade, url: "https://comtradeapi.un.org", api: { type: comtrade, partners: [JPN], years: 2023, key: abcd1234 } }\n',
        'env.yaml': 'sources:\n  - { id: c, dataset: trade, url: "https://comtradeapi.un.org", api: { type: comtrade, partners: [JPN], years: 2023, key: "${COMTRADE_API_KEY:-}" } }\n',
      });
      expect(() => loadConfig(path.join(dir, 'config/literal.yaml'), {})).toThrowError('literal.yaml: sources[0].api.key: write ${COMTRADE_API_KEY} and set the variable, not the key itself (keys are read from the environment only)');
      const { config, secrets } = loadConfig(path.join(dir, 'config/env.yaml'), { COMTRADE_API_KEY: 'abcd1234' });
      expect(config.sources[0]!.api).toMatchObject({ key: 'abcd1234' });
      expect(secrets).toContain('abcd1234');
      expect(loadConfig(path.join(dir, 'config/env.yaml'), {}).config.sources[0]!.api).toMatchObject({ key: '' });
    });

    it('the shipped online config includes the default one and validates', () => {
      const { config } = loadConfig(path.resolve(import.meta.dirname, '../../config/online.yaml'), {});
      const ids = config.sources.map((s) => s.id);
      expect(ids).toContain('hlj-trade-by-partner');
      expect(config.sources.filter((s) => s.api).map((s) => s.api!.type).sort()).toEqual(expect.arrayContaining(['comtrade', 'estat', 'worldbank']));
    });
  });
});
