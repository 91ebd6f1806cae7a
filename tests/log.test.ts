import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';

function capture(tty = false) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  if (tty) Object.assign(stream, { isTTY: true, columns: 100 });
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString('utf8')));
  return { stream, text: () => text };
}

describe('logger', () => {
  it('not on a terminal: plain one-line logs and no progress bar', () => {
    const out = capture();
    const log = createLogger({ stream: out.stream });
    const bar = log.progress('pull', 3);
    bar.advance('fx-rates');
    log.info('pull fx-rates → loaded 32 facts');
    log.warn('sheet "资料来源": no table found');
    bar.done();
    expect(out.text()).toBe('pull fx-rates → loaded 32 facts\nwarning: sheet "资料来源": no table found\n');
  });

  it('on a terminal: a bar over the units, with log lines printed above it', () => {
    const out = capture(true);
    const log = createLogger({ stream: out.stream });
    const bar = log.progress('pull', 3);
    bar.advance('fx-rates');
    log.info('pull fx-rates → loaded 32 facts');
    bar.advance('hlj-trade');
    bar.done();
    const text = out.text();
    expect(text).toMatch(/pull \[[█░]+\] \d\/3/);
    expect(text).toContain('pull fx-rates → loaded 32 facts\n');
    // a second bar can start once the first is done
    expect(log.progress('render hlj-japan', 9)).not.toBe(bar);
  });

  it('--json: one JSON object per line, never a bar', () => {
    const out = capture();
    const log = createLogger({ stream: out.stream, json: true, bars: true });
    log.progress('pull', 3).advance('x');
    log.info('pull x → loaded 1 facts', { source: 'x' });
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'pull x → loaded 1 facts', source: 'x' });
  });
});
