// One log line per unit (Observable Framework's habit): plain text on stderr by default, JSON lines
// (pino) with --json for log collectors.
import pino from 'pino';

export interface Logger {
  info(line: string, fields?: Record<string, unknown>): void;
  warn(line: string, fields?: Record<string, unknown>): void;
  error(line: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { json?: boolean; stream?: NodeJS.WritableStream } = {}): Logger {
  const stream = options.stream ?? process.stderr;
  if (options.json) {
    const p = pino({ base: undefined, timestamp: pino.stdTimeFunctions.isoTime, formatters: { level: (label) => ({ level: label }) } }, stream as pino.DestinationStream);
    return {
      info: (msg, fields) => p.info(fields ?? {}, msg),
      warn: (msg, fields) => p.warn(fields ?? {}, msg),
      error: (msg, fields) => p.error(fields ?? {}, msg),
    };
  }
  const write = (prefix: string) => (line: string) => {
    stream.write(`${prefix}${line}\n`);
  };
  return { info: write(''), warn: write('warning: '), error: write('error: ') };
}

/** A logger that drops everything (tests, --quiet). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
