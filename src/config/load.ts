// yaml → ${ENV} interpolation → zod validation, as Evidence does it: the user's own key paths in
// every message (`tradebrief.yaml: sources[2].url: …`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigSchema, type Config } from './schema.js';
import { ConfigError } from '../errors.js';

export interface LoadedConfig {
  config: Config;
  /** Absolute path of the config file; relative source paths resolve against its folder's parent project. */
  file: string;
  /** Folder relative source paths resolve against (the project root: the config file's folder's parent when it sits in config/). */
  baseDir: string;
  /** Values interpolated from the environment, so logs and errors can redact them. */
  secrets: string[];
  /** The files read (this one, then its includes, in order) and their text, for the memo (memo.ts). */
  inputs: { file: string; text: string }[];
  /** Names of the environment variables the files interpolate, set or not, for the memo. */
  interpolated: string[];
}

/**
 * Reads, interpolates and validates a config file and the files it includes. Every problem is a
 * ConfigError naming the file (the included one when the problem is there) and the key path.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const read: Read = { secrets: [], inputs: [], interpolated: [] };
  const { config, abs, baseDir } = loadFile(file, env, read, []);
  return { config, file: abs, baseDir, ...read };
}

/** What loading the files read besides the config, gathered across includes. */
type Read = Pick<LoadedConfig, 'secrets' | 'inputs' | 'interpolated'>;

interface FileResult {
  config: Config;
  abs: string;
  baseDir: string;
}

function loadFile(file: string, env: NodeJS.ProcessEnv, read: Read, chain: readonly string[]): FileResult {
  const abs = path.resolve(file);
  const name = path.basename(abs);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const via = chain.length > 0 ? ` (included by ${path.basename(chain[chain.length - 1]!)})` : '';
    throw new ConfigError(
      code === 'ENOENT'
        ? `${file}: config file not found${via}; ${via ? 'check the include path' : 'pass --config FILE or set TRADEBRIEF_CONFIG'}`
        : `${file}: cannot read config (${code ?? String(e)})`,
    );
  }
  read.inputs.push({ file: abs, text });
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const at = lineCounter.linePos(err.pos[0]);
    throw new ConfigError(`${name}:${at.line}:${at.col}: invalid YAML: ${err.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS() ?? {};
  const interpolated = interpolate(raw, [], name, env, read);
  const parsed = ConfigSchema.safeParse(interpolated);
  if (!parsed.success) throw new ConfigError(formatIssue(name, parsed.error.issues[0]!));
  let config = parsed.data;
  checkUnique(name, config);
  checkKeysFromEnv(name, config, read.secrets);
  const dir = path.dirname(abs);
  const baseDir = path.basename(dir) === 'config' ? path.dirname(dir) : dir;

  const includes = config.include === undefined ? [] : typeof config.include === 'string' ? [config.include] : config.include;
  includes.forEach((inc, i) => {
    const target = path.resolve(dir, inc);
    const key = typeof config.include === 'string' ? 'include' : `include[${i}]`;
    if (target === abs || chain.includes(target)) throw new ConfigError(`${name}: ${key}: "${inc}" includes itself (${[...chain, abs, target].map((f) => path.basename(f)).join(' → ')}); remove the loop`);
    if (chain.length >= 8) throw new ConfigError(`${name}: ${key}: includes nest deeper than 8 files; flatten them`);
    const included = loadFile(target, env, read, [...chain, abs]);
    const hasTimezone = !!interpolated && typeof interpolated === 'object' && 'timezone' in interpolated;
    config = merge(included, { config, abs, baseDir }, hasTimezone);
  });
  return { config, abs, baseDir };
}

/**
 * The including file's config over an included one: its sources, briefs and targets are added
 * after the included ones, and one with the same id replaces the included entry in place (so an
 * online config can, say, disable a bundled source by repeating its id). The included file's
 * relative source paths stay relative to its own project folder.
 */
function merge(base: FileResult, over: FileResult, overTimezone: boolean): Config {
  const rebase = (s: Config['sources'][number]) => {
    if (base.baseDir === over.baseDir || /^[a-z][a-z0-9+.-]+:/i.test(s.url) || path.isAbsolute(s.url)) return s;
    return { ...s, url: path.resolve(base.baseDir, s.url) };
  };
  const combine = <T extends { id: string }>(a: readonly T[], b: readonly T[]): T[] => {
    const out = [...a];
    for (const item of b) {
      const i = out.findIndex((x) => x.id === item.id);
      if (i >= 0) out[i] = item;
      else out.push(item);
    }
    return out;
  };
  return {
    ...over.config,
    include: undefined,
    timezone: overTimezone ? over.config.timezone : base.config.timezone,
    sources: combine(base.config.sources.map(rebase), over.config.sources),
    briefs: combine(base.config.briefs, over.config.briefs),
    distribute: combine(base.config.distribute, over.config.distribute),
  };
}

/** Replaces `${NAME}` and `${NAME:-default}` in every string value; an unset variable without default is an error. */
function interpolate(value: unknown, at: (string | number)[], name: string, env: NodeJS.ProcessEnv, read: Read): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, key: string, fallback: string | undefined) => {
      if (!read.interpolated.includes(key)) read.interpolated.push(key);
      const v = env[key];
      if (v !== undefined && v !== '') {
        read.secrets.push(v);
        return v;
      }
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`${name}: ${keyPath(at)}: environment variable ${key} is not set; export it or use \${${key}:-default}`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolate(v, [...at, i], name, env, read));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolate(v, [...at, k], name, env, read);
    return out;
  }
  return value;
}

export function keyPath(at: readonly PropertyKey[]): string {
  let out = '';
  for (const p of at) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

function formatIssue(name: string, issue: z.core.$ZodIssue): string {
  const where = keyPath(issue.path);
  let msg = issue.message;
  if (issue.code === 'unrecognized_keys') msg = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  else if (issue.code === 'invalid_type' && /received undefined/.test(msg)) msg = `is required (${issue.expected})`;
  return `${name}: ${where}: ${msg}`;
}

/** API keys are read from the environment only, so a config file can be shared and committed. */
function checkKeysFromEnv(name: string, config: Config, secrets: readonly string[]): void {
  config.sources.forEach((s, i) => {
    const api = s.api;
    if (!api) return;
    const [key, value, variable] =
      api.type === 'comtrade' ? ['key', api.key, 'COMTRADE_API_KEY'] : api.type === 'estat' ? ['app_id', api.app_id, 'ESTAT_APP_ID'] : [null, undefined, null];
    if (key && value && !secrets.includes(value)) {
      throw new ConfigError(`${name}: sources[${i}].api.${key}: write \${${variable}} and set the variable, not the key itself (keys are read from the environment only)`);
    }
  });
}

function checkUnique(name: string, config: Config): void {
  for (const [list, items] of [
    ['sources', config.sources],
    ['briefs', config.briefs],
    ['distribute', config.distribute],
  ] as const) {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const prev = seen.get(item.id);
      if (prev !== undefined) throw new ConfigError(`${name}: ${list}[${i}].id: "${item.id}" is already used by ${list}[${prev}]`);
      seen.set(item.id, i);
    });
  }
}
