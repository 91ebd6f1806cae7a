// Code lists (data/reference/*.csv) and the label → code lookup the normaliser uses to turn a
// publisher's partner or region label (`日本 Japan`, `俄罗斯\nRussia`, `中国台湾`) into a warehouse code.
// Matching is exact after normalisation; there is deliberately no fuzzy matching, because a wrong
// partner code corrupts every share and index computed from it, while an unknown label becomes a
// visible reject the operator can fix by adding an alias.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type Papa from 'papaparse';

// Required when the code lists are first built, not by every importer (config/schema.ts reaches
// this module through the API adapters).
const require = createRequire(import.meta.url);

export type ReferenceKind = 'country' | 'region' | 'group';
export type LookupKind = ReferenceKind | 'any';

/** What a label resolved to. `world` is the WLD partner (it lives in countries.csv). */
export interface LookupResult {
  code: string;
  kind: ReferenceKind | 'world';
}

export type Lang = 'en' | 'zh' | 'ja';

/** One row of countries.csv, regions.csv or groups.csv. */
export interface ReferenceEntry {
  code: string;
  kind: ReferenceKind | 'world';
  /** UN M49 numeric code, countries only (`392`). */
  m49?: string;
  names: Record<Lang, string>;
  aliases: string[];
}

/** One HS chapter and the section it belongs to (hs-sections.csv). */
export interface HsSection {
  /** Two-digit chapter, `01`…`97`. */
  chapter: string;
  /** Roman section number, `I`…`XXI`. */
  section: string;
  /** Section number 1…21. */
  sectionNo: number;
  names: Record<Lang, string>;
}

export interface Reference {
  /**
   * The code for a label, or null when it is unknown or ambiguous.
   * `kind` restricts the search (default `any`); `country` also finds the world partner (WLD).
   * Tries the whole label, then each part of a two-language label (`日本 Japan`, `日本\nJapan`,
   * `俄罗斯(Russia)`, `韩国 Korea, Rep.`); parts must agree. A leading `其中：` and a leading
   * `对`/`對`/`対` (as in customs columns `对俄罗斯`, `対ロシア`) are ignored.
   */
  lookup(label: string, kind?: LookupKind): LookupResult | null;
  /** The display name of a code in a language; throws for an unknown code (a programming error). */
  name(code: string, lang: Lang): string;
  /** Member country codes of a group (`EU27`, `ASEAN`, `RCEP`, `BRI`, `APEC`, `SEA`); [] for groups without a member list. */
  members(group: string): string[];
  /** The entry for a code, or undefined. */
  entry(code: string): ReferenceEntry | undefined;
  /** The HS section of a chapter (`84`, `8471`, `HS:8471` all give section XVI), or null. */
  hsSection(code: string): HsSection | null;
}

/**
 * The normalised form labels are compared in: NFKC (full-width → half-width, compatibility
 * ideographs), lower case, quotes and footnote stars removed, whitespace collapsed.
 */
export function normaliseLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/["'“”‘’「」『』《》〈〉*]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[:：,，.。;；]+$/, '')
    .trim();
}

const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}';
const LATIN_CJK_BOUNDARY = new RegExp(`(?<=[${CJK}）)])\\s*(?=[A-Za-z])|(?<=[A-Za-z.)）])\\s*(?=[${CJK}])`, 'u');
const PREFIX_OF_WHICH = /^其中[:：]?\s*/;
const PREFIX_WITH = /^[对對対]\s*/;

/** The candidate strings tried for a label, whole label first. */
function candidates(label: string): string[] {
  const out: string[] = [];
  const push = (s: string): void => {
    const t = s.trim();
    if (t && !out.includes(t)) out.push(t);
  };
  const base = label.normalize('NFKC').trim().replace(PREFIX_OF_WHICH, '');
  push(base);
  for (const line of base.split(/\r?\n/)) {
    push(line);
    // `俄罗斯(Russia)`: the text outside and inside the parentheses.
    const paren = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(line);
    if (paren) {
      push(paren[1] ?? '');
      push(paren[2] ?? '');
    }
    for (const piece of line.split(LATIN_CJK_BOUNDARY)) push(piece);
  }
  return out;
}

interface Index {
  byKey: Map<string, LookupResult>;
}

function splitAliases(s: string | undefined): string[] {
  return (s ?? '')
    .split('|')
    .map((a) => a.trim())
    .filter(Boolean);
}

function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const parsed = (require('papaparse') as typeof Papa).parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0];
    throw new Error(`${path}: row ${e?.row ?? '?'}: ${e?.message ?? 'parse error'}`);
  }
  return parsed.data.filter((r) => !(r.code ?? r.group ?? r.chapter ?? '').startsWith('#'));
}

/** The project's data/reference folder, found by walking up from this module (works from src/ and dist/). */
export function defaultReferenceDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'data', 'reference');
    if (existsSync(join(candidate, 'countries.csv'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'data', 'reference');
}

const cache = new Map<string, Reference>();

/**
 * Reads the code lists once per directory (later calls return the cached Reference).
 * Throws when an alias maps to two different codes, so a bad edit fails loudly, not silently.
 */
export function loadReference(dir: string = defaultReferenceDir()): Reference {
  const key = resolve(dir);
  const cached = cache.get(key);
  if (cached) return cached;
  const ref = buildReference(key);
  cache.set(key, ref);
  return ref;
}

function buildReference(dir: string): Reference {
  const entries = new Map<string, ReferenceEntry>();
  const indexes: Record<ReferenceKind, Index> = {
    country: { byKey: new Map() },
    region: { byKey: new Map() },
    group: { byKey: new Map() },
  };

  const add = (file: string, kind: ReferenceKind, row: Record<string, string>): void => {
    const code = (row.code ?? '').trim();
    if (!code) return;
    const entryKind: ReferenceEntry['kind'] = code === 'WLD' ? 'world' : kind;
    const names: Record<Lang, string> = {
      en: (row.name_en ?? '').trim(),
      zh: (row.name_zh ?? '').trim(),
      ja: (row.name_ja ?? '').trim(),
    };
    const aliases = splitAliases(row.aliases);
    const entry: ReferenceEntry = { code, kind: entryKind, names, aliases };
    if (row.m49) entry.m49 = row.m49.trim();
    if (entries.has(code)) throw new Error(`${file}: duplicate code ${code}`);
    entries.set(code, entry);
    const result: LookupResult = { code, kind: entryKind };
    for (const label of [code, names.en, names.zh, names.ja, ...aliases]) {
      const k = normaliseLabel(label);
      if (!k) continue;
      for (const [otherKind, index] of Object.entries(indexes)) {
        const existing = index.byKey.get(k);
        if (existing && existing.code !== code) {
          throw new Error(`${file}: alias "${label}" of ${code} is already used by ${existing.code} (${otherKind})`);
        }
      }
      indexes[kind].byKey.set(k, result);
    }
  };

  for (const row of readCsv(join(dir, 'countries.csv'))) add('countries.csv', 'country', row);
  for (const row of readCsv(join(dir, 'regions.csv'))) add('regions.csv', 'region', row);
  for (const row of readCsv(join(dir, 'groups.csv'))) add('groups.csv', 'group', row);

  const members = new Map<string, string[]>();
  for (const row of readCsv(join(dir, 'group_members.csv'))) {
    const group = (row.group ?? '').trim();
    const country = (row.country ?? '').trim();
    if (!group || !country) continue;
    if (entries.get(group)?.kind !== 'group') throw new Error(`group_members.csv: unknown group ${group}`);
    if (entries.get(country)?.kind !== 'country') throw new Error(`group_members.csv: unknown country ${country}`);
    const list = members.get(group) ?? [];
    list.push(country);
    members.set(group, list);
  }

  const hs = new Map<string, HsSection>();
  for (const row of readCsv(join(dir, 'hs-sections.csv'))) {
    const chapter = (row.chapter ?? '').trim();
    hs.set(chapter, {
      chapter,
      section: (row.section ?? '').trim(),
      sectionNo: Number(row.section_no),
      names: { en: row.section_en ?? '', zh: row.section_zh ?? '', ja: row.section_ja ?? '' },
    });
  }

  const kindsFor = (kind: LookupKind): ReferenceKind[] =>
    kind === 'any' ? ['country', 'region', 'group'] : [kind];

  const exact = (text: string, kinds: ReferenceKind[]): LookupResult | null => {
    const k = normaliseLabel(text);
    if (!k) return null;
    for (const kind of kinds) {
      const hit = indexes[kind].byKey.get(k);
      if (hit) return hit;
    }
    return null;
  };

  const resolveOne = (text: string, kinds: ReferenceKind[]): LookupResult | null => {
    const hit = exact(text, kinds);
    if (hit) return hit;
    // `对俄罗斯` / `対ロシア`: the partner after the preposition, never the bare character.
    const t = text.normalize('NFKC').trim();
    if (PREFIX_WITH.test(t)) {
      const rest = t.replace(PREFIX_WITH, '');
      if (rest) return exact(rest, kinds);
    }
    return null;
  };

  return {
    lookup(label: string, kind: LookupKind = 'any'): LookupResult | null {
      if (typeof label !== 'string' || !label.trim()) return null;
      const kinds = kindsFor(kind);
      const [whole, ...parts] = candidates(label);
      const direct = whole ? resolveOne(whole, kinds) : null;
      if (direct) return direct;
      let found: LookupResult | null = null;
      for (const part of parts) {
        const hit = resolveOne(part, kinds);
        if (!hit) continue;
        // Two parts naming different places (`日本 Korea`) is a publisher error, not ours to guess.
        if (found && found.code !== hit.code) return null;
        found = hit;
      }
      return found;
    },
    name(code: string, lang: Lang): string {
      const e = entries.get(code);
      if (!e) throw new Error(`unknown reference code ${code}`);
      return e.names[lang] || e.names.en;
    },
    members(group: string): string[] {
      return [...(members.get(group) ?? [])];
    },
    entry(code: string): ReferenceEntry | undefined {
      return entries.get(code);
    },
    hsSection(code: string): HsSection | null {
      const digits = code.replace(/^HS:/i, '').trim();
      if (!/^\d{2,}$/.test(digits)) return null;
      return hs.get(digits.slice(0, 2)) ?? null;
    },
  };
}
