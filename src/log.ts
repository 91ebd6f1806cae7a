// One log line per unit (Observable Framework's habit): plain text on stderr by default, JSON lines
// (pino) with --json for log collectors, and on a terminal a progress bar for long pulls and renders
// (cli-progress) with the log lines printed above it.
import { createRequire } from 'node:module';
import type CliProgress from 'cli-progress';
import type Pino from 'pino';

// Both are CommonJS and needed only by --json and on a terminal: required on first use, so plain
// runs (and `--version`, whose start-up every command shares) do not load them.
const require = createRequire(import.meta.url);

/** A unit-counting progress indicator; a no-op wherever a bar would garble the output. */
export interface Progress {
  /** One more unit done; `label` names the unit just finished. */
  advance(label: string): void;
  /** Removes the bar (also when the work failed part way). */
  done(): void;
}

export interface Logger {
  info(line: string, fields?: Record<string, unknown>): void;
  warn(line: string, fields?: Record<string, unknown>): void;
  error(line: string, fields?: Record<string, unknown>): void;
  /** A bar over `total` units of `what` on a terminal; nothing in JSON mode or when not a TTY. */
  progress(what: string, total: number): Progress;
}

const noProgress: Progress = { advance: () => undefined, done: () => undefined };

export interface LoggerOptions {
  json?: boolean;
  stream?: NodeJS.WritableStream;
  /** Draw progress bars; default: the stream is a terminal and the output is not JSON. */
  bars?: boolean;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  if (options.json) {
    const pino = require('pino') as typeof Pino;
    const p = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, stream as Pino.DestinationStream);
    return {
      info: (msg, fields) => p.info(fields ?? {}, msg),
      warn: (msg, fields) => p.warn(fields ?? {}, msg),
      error: (msg, fields) => p.error(fields ?? {}, msg),
      progress: () => noProgress,
    };
  }
  const bars = options.bars ?? Boolean((stream as NodeJS.WriteStream).isTTY);
  let active: CliProgress.MultiBar | null = null;
  const write = (prefix: string) => (line: string) => {
    if (active) {
      active.log(`${prefix}${line}\n`);
      active.update(); // print the line now, not at the next timer tick
    } else stream.write(`${prefix}${line}\n`);
  };
  return {
    info: write(''),
    warn: write('warning: '),
    error: write('error: '),
    progress(what, total) {
      if (!bars || total <= 1 || active) return noProgress;
      const cliProgress = require('cli-progress') as typeof CliProgress;
      const multi = new cliProgress.MultiBar(
        {
          stream: stream as NodeJS.WriteStream,
          format: `${what} [{bar}] {value}/{total} {label}`,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: true,
          emptyOnZero: true,
        },
        cliProgress.Presets.shades_classic,
      );
      const bar = multi.create(total, 0, { label: '' });
      active = multi;
      return {
        advance: (label) => {
          bar.increment(1, { label });
          multi.update();
        },
        done: () => {
          if (active !== multi) return;
          multi.stop();
          active = null;
        },
      };
    },
  };
}

/** A logger that drops everything (tests, --quiet). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, progress: () => noProgress };
