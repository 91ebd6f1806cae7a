// A memo of the last validated config, so a scheduled pull that finds nothing changed does not
// load yaml and zod to re-validate a config file that has not changed either (README "Performance":
// the two were ≈ 45 of the ≈ 100 ms an unchanged pull spent beyond `tradebrief --version`).
//
// loadConfig is a pure function of the files it reads, the environment variables it interpolates,
// tradebrief's own code and Node's (ICU's zone list decides `timezone`). The memo holds its result
// with those inputs and is used only while every one of them is the same, so it answers what
// loadConfig would answer, never more leniently:
// - the build: a hash of src/, package-lock.json and the build script, written into dist/ by
//   `npm run build`. Run from src/ (tsx, the tests) there is none and the memo is off.
// - Node's version, the text of the config file and of every file it includes, in order;
// - every interpolated variable still unset or empty. A config that took any value from the
//   environment is not memoised at all, so no secret is ever written to the cache.
// The memo is one JSON file per config path in the user's cache folder (TRADEBRIEF_CACHE_DIR, else
// $XDG_CACHE_HOME/tradebrief, else ~/.cache/tradebrief), mode 0600; TRADEBRIEF_CACHE_DIR=off turns it
// off. It is a cache: a missing, unreadable or stale memo is ignored and the config loaded as always.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { LoadedConfig } from './load.js';

/** The build id `npm run build` defines (scripts/build.mjs); undeclared when run from src/. */
declare const __TRADEBRIEF_BUILD__: string | undefined;

export interface ConfigMemo {
  /** Folder of the memo files. */
  dir: string;
  /** What the memo's results were computed by: the build id and Node's version. */
  build: string;
}

interface Entry {
  build: string;
  inputs: { file: string; text: string }[];
  /** Variables loadConfig interpolated, each unset or empty when the entry was written. */
  env: string[];
  loaded: LoadedConfig;
}

/** The memo for this process, or null when it is off (no build id, or TRADEBRIEF_CACHE_DIR=off). */
export function configMemo(env: NodeJS.ProcessEnv = process.env, build = typeof __TRADEBRIEF_BUILD__ === 'string' ? __TRADEBRIEF_BUILD__ : undefined): ConfigMemo | null {
  if (!build || env.TRADEBRIEF_CACHE_DIR === 'off') return null;
  const dir = env.TRADEBRIEF_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'tradebrief');
  return { dir: path.resolve(dir), build: `${build} node ${process.version}` };
}

/**
 * The memo file of a config path: named by a 64-bit FNV-1a hash of the path (the entry names the
 * path too, so a collision is only a miss). Not node:crypto, which an unchanged pull would load
 * for this alone (≈ 4 ms).
 */
function entryFile(memo: ConfigMemo, configFile: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(path.resolve(configFile))) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & 0xffffffffffffffffn;
  return path.join(memo.dir, `config-${h.toString(16).padStart(16, '0')}.json`);
}

/** The remembered LoadedConfig of `configFile`, or null unless every input is as it was. */
export function recall(memo: ConfigMemo, configFile: string, env: NodeJS.ProcessEnv): LoadedConfig | null {
  try {
    const entry = JSON.parse(readFileSync(entryFile(memo, configFile), 'utf8')) as Entry;
    if (entry.build !== memo.build || entry.inputs[0]?.file !== path.resolve(configFile)) return null;
    if (entry.env.some((name) => env[name] !== undefined && env[name] !== '')) return null;
    for (const input of entry.inputs) if (readFileSync(input.file, 'utf8') !== input.text) return null;
    return entry.loaded;
  } catch {
    // no memo, an input gone, or a memo file not of this shape: load the config as always
    return null;
  }
}

/**
 * Remembers a LoadedConfig with the inputs loadConfig read. Not when it interpolated a value (a
 * secret, perhaps); a failure to write is ignored (a read-only home only costs the memo).
 */
export function remember(memo: ConfigMemo, loaded: LoadedConfig): void {
  if (loaded.secrets.length > 0 || loaded.inputs.length === 0) return;
  const entry: Entry = { build: memo.build, inputs: loaded.inputs, env: loaded.interpolated, loaded };
  const file = entryFile(memo, loaded.file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(memo.dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // the memo is an optimisation; the config loaded fine without it
  }
}
