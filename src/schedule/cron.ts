// Cron expressions as the scheduler and `status` need them: validation, the next tick after any
// moment (node-cron only answers "after now"), and whether a schedule was missed since a given time.
// node-cron itself decides every match, so `status` and the scheduler cannot disagree about a tick.
import cron, { type ScheduledTask } from 'node-cron';
import { ConfigError } from '../errors.js';

/** What the scheduler needs of a cron library; node-cron 4 by default, injectable in tests. */
export interface CronLike {
  /** Starts a task firing `fn` at each tick of `expression` (5 or 6 fields; the 6th-from-right is seconds) in `timezone`. */
  schedule(expression: string, fn: (tick: Date) => unknown, options: { timezone: string; name: string; log?: (line: string) => void }): { stop(): unknown };
}

/** node-cron 4: `schedule(expr, fn, { timezone, name })`; the context's `date` is the tick's slot. */
export const nodeCron: CronLike = {
  schedule(expression, fn, options) {
    const log = options.log ?? (() => undefined);
    // node-cron's own warnings (a tick missed while the event loop was busy) go to our log, not the console.
    const logger = {
      info: () => undefined,
      debug: () => undefined,
      warn: (m: string) => log(`schedule ${options.name}: ${m}`),
      error: (m: string | Error) => log(`schedule ${options.name}: ${m instanceof Error ? m.message : m}`),
    };
    return cron.schedule(expression, (ctx) => fn(ctx.date), { timezone: options.timezone, name: options.name, logger });
  },
};

/** Throws a ConfigError naming the key when `expression` is not a cron expression node-cron accepts. */
export function checkCron(expression: string, where: string): void {
  if (!cron.validate(expression)) throw new ConfigError(`${where}: "${expression}" is not a cron expression (5 fields, or 6 with seconds first)`);
}

const matchers = new Map<string, ScheduledTask>();

/** A never-started node-cron task per expression and zone, used only for `match()`. */
function matcher(expression: string, timezone: string): ScheduledTask {
  const key = `${timezone}\u0000${expression}`;
  let t = matchers.get(key);
  if (!t) {
    t = cron.createTask(expression, () => undefined, { timezone });
    matchers.set(key, t);
  }
  return t;
}

const partsFormat = new Map<string, Intl.DateTimeFormat>();

function localParts(d: Date, timezone: string): { year: number; month: number; day: number } {
  let f = partsFormat.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric', month: 'numeric', day: 'numeric' });
    partsFormat.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return { year: Number(p.year), month: Number(p.month), day: Number(p.day) };
}

const offsetFormat = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset of `timezone` at `d`, in minutes. */
function offsetMinutes(d: Date, timezone: string): number {
  let f = offsetFormat.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    offsetFormat.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24, Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60_000);
}

function localToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, timezone: string): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s);
  const first = guess - offsetMinutes(new Date(guess), timezone) * 60_000;
  return guess - offsetMinutes(new Date(first), timezone) * 60_000;
}

/**
 * The first tick of `expression` strictly after `after`, or null when there is none within eight
 * years (e.g. 30 February). Candidates come from the expression's fields day by day in the zone;
 * node-cron's own `match()` confirms each, so day tokens (L, W, #) behave as the scheduler's.
 */
export function nextTick(expression: string, timezone: string, after: Date): Date | null {
  const fields = cron.parse(expression);
  const task = matcher(expression, timezone);
  const numeric = (xs: (number | string)[]) => xs.every((x) => typeof x === 'number');
  const dom = numeric(fields.dayOfMonth) ? new Set(fields.dayOfMonth as number[]) : null;
  const dow = numeric(fields.dayOfWeek) ? new Set(fields.dayOfWeek as number[]) : null;
  const months = new Set(fields.month);
  const hours = [...fields.hour].sort((a, b) => a - b);
  const minutes = [...fields.minute].sort((a, b) => a - b);
  const seconds = [...fields.second].sort((a, b) => a - b);
  const afterMs = after.getTime();
  const start = localParts(after, timezone);
  for (let i = 0; i < 366 * 8; i++) {
    const day = new Date(Date.UTC(start.year, start.month - 1, start.day + i));
    const y = day.getUTCFullYear();
    const mo = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (!months.has(mo)) continue;
    // node-cron ANDs day-of-month and day-of-week; skip days that cannot match before trying times.
    if (dom && !dom.has(d)) continue;
    if (dow && !dow.has(day.getUTCDay())) continue;
    // Asking Intl per candidate second is slow; when the zone's offset is the same on both sides of
    // the local day (no DST change that day) it is the offset of every time in it.
    const midnight = day.getTime();
    const before = offsetMinutes(new Date(midnight - 15 * 3600_000), timezone);
    const constant = before === offsetMinutes(new Date(midnight + 39 * 3600_000), timezone);
    for (const h of hours) {
      for (const mi of minutes) {
        for (const s of seconds) {
          const ts = constant ? Date.UTC(y, mo - 1, d, h, mi, s) - before * 60_000 : localToUtc(y, mo, d, h, mi, s, timezone);
          if (ts > afterMs && task.match(new Date(ts))) return new Date(ts);
        }
      }
    }
  }
  return null;
}

/** True when a tick of `expression` fell in (`since`, `now`]: the job missed (or is due for) a run. */
export function missedTick(expression: string, timezone: string, since: Date, now: Date): boolean {
  const next = nextTick(expression, timezone, since);
  return next !== null && next.getTime() <= now.getTime();
}
