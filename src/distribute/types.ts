// What a distribution target receives and what it may use. A target is one file (folder, email,
// webhook), listed in ./index.ts; it sends one parcel and throws on failure — the ledger decides
// whether and when to try again.
import type { DistributeTarget } from '../config/schema.js';
import type { Lang } from '../reports/document.js';

export interface ParcelFile {
  name: string;
  /** Absolute path of the rendered file (never modified by a target). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface KeyFigureLine {
  label: string;
  text: string;
  note?: string;
  figureId: string;
}

/** One rendered brief, as every target sends it. */
export interface Parcel {
  briefId: string;
  /** brief_run.id of the render. */
  briefRunId: number;
  /** The dated folder's name, e.g. `2026-11-29`. */
  date: string;
  contentSha256: string;
  dir: string;
  files: ParcelFile[];
  title: string;
  lang: Lang;
  generatedAt: string | null;
  /** The brief's key figures (from brief.json), in the brief's language; empty when no JSON was rendered. */
  keyFigures: KeyFigureLine[];
}

export interface DeliverContext {
  /** Relative folder targets resolve against this (the project root, as source paths do). */
  baseDir: string;
  /** Values from ${ENV} in the config, removed from every message. */
  secrets: readonly string[];
}

export interface DeliverEffects {
  /** Clock; frozen in tests. Default: the system clock. */
  now: () => Date;
  /** One line per notable event. */
  log: (line: string) => void;
}

/** Sends a parcel to one target; resolves with a short description ("3 files → /mnt/share/…"), throws on failure. */
export type Deliver<T extends DistributeTarget> = (target: T, parcel: Parcel, ctx: DeliverContext, effects: DeliverEffects) => Promise<string>;
