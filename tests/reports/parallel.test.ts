// Rendering on worker threads beside this one (render/parallel.ts): the same bytes as on one
// thread, a worker that dies costs only time, and a renderer's error in a worker fails the render.
import { afterEach, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import type { BriefDocument } from '../../src/reports/document.js';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { prestartRenderWorkers, renderInOrder, renderThreads, startRenderWorkers, type RenderJob, type RenderWorkers } from '../../src/reports/render/parallel.js';
import { centralDirectory } from '../../src/zip.js';
import { fixtureDocument } from './fixture-document.js';

/**
 * What a file holds: PDF and JSON bytes are the same from run to run; a workbook's zip entries carry
 * the time they were written, so it is compared by its entries' names and checksums.
 */
function content(job: RenderJob, bytes: Buffer): string {
  if (job.format !== 'xlsx') return bytes.toString('base64');
  return [...centralDirectory(bytes).values()].map((e) => `${e.name} ${e.crc} ${e.inflated}`).join('\n');
}

function docs(): BriefDocument[] {
  const en = fixtureDocument();
  return [en, { ...en, lang: 'ja' as const, title: `${en.title}（日本語版）` }];
}

const JOBS: RenderJob[] = [
  { doc: 0, format: 'pdf' },
  { doc: 1, format: 'pdf' },
  { doc: 0, format: 'json' },
  { doc: 1, format: 'xlsx' },
];

let workers: RenderWorkers | null = null;
afterEach(async () => {
  await workers?.close();
  workers = null;
});

describe('renderThreads', () => {
  it('takes TRADEBRIEF_RENDER_THREADS, else one per core, never more than one per PDF', () => {
    expect(renderThreads(3, { TRADEBRIEF_RENDER_THREADS: '1' })).toBe(1);
    expect(renderThreads(3, { TRADEBRIEF_RENDER_THREADS: '8' })).toBe(3);
    expect(renderThreads(1, { TRADEBRIEF_RENDER_THREADS: '2' })).toBe(1);
    expect(renderThreads(0, {})).toBe(1);
    expect(renderThreads(3, {})).toBe(Math.min(3, availableParallelism()));
    expect(renderThreads(3, { TRADEBRIEF_RENDER_THREADS: 'many' })).toBe(Math.min(3, availableParallelism()));
  });
});

describe('startRenderWorkers', () => {
  it('renders the same bytes as one thread, whichever thread took each file', async () => {
    const d = docs();
    const alone = await renderInOrder(d, JOBS);
    workers = startRenderWorkers(1, ['pdf', 'xlsx', 'json']);
    // Loaded before the jobs come, the worker takes the second PDF while this thread lays out the first.
    await workers.ready();
    const done: number[] = [];
    const where: string[] = [];
    const shared = await workers.run(d, JOBS, (i, w) => (done.push(i), where.push(w)));
    expect(where).toContain('worker');
    expect(where).toContain('here');
    for (let i = 0; i < JOBS.length; i++) expect(content(JOBS[i]!, shared[i]!), `job ${i}`).toBe(content(JOBS[i]!, alone[i]!));
    expect(done.sort()).toEqual([0, 1, 2, 3]);
    expect(shared[0]!.subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('renders here what a worker that died did not deliver', async () => {
    const d = docs();
    workers = startRenderWorkers(1, ['pdf'], { script: 'process.exit(3)', eval: true });
    const out = await workers.run(d, JOBS);
    expect(out).toHaveLength(JOBS.length);
    const alone = await renderInOrder(d, JOBS);
    for (let i = 0; i < JOBS.length; i++) expect(content(JOBS[i]!, out[i]!), `job ${i}`).toBe(content(JOBS[i]!, alone[i]!));
  }, 60_000);

  it("fails with a worker's render error, as a render on this thread would", async () => {
    // A worker that takes a job and reports its renderer's failure.
    const script = `
      const { parentPort, workerData } = require('node:worker_threads');
      const next = new Int32Array(workerData.counter);
      parentPort.once('message', () => {
        const index = Atomics.add(next, 0, 1);
        parentPort.postMessage({ type: 'error', index, error: { name: 'Error', message: 'font file unreadable' } });
        parentPort.postMessage({ type: 'done' });
      });`;
    workers = startRenderWorkers(1, ['pdf'], { script, eval: true });
    await expect(workers.run(docs(), JOBS)).rejects.toThrow('font file unreadable');
  }, 60_000);
});

describe('prestartRenderWorkers', () => {
  it('hands its workers to the first startRenderWorkers that asks for as many, for the same formats', async () => {
    const early = prestartRenderWorkers(1, ['xlsx', 'pdf', 'json']);
    expect(early).not.toBeNull();
    workers = startRenderWorkers(1, ['pdf', 'json', 'xlsx', 'pdf']);
    expect(workers).toBe(early);
    await workers.ready();
    const d = docs();
    const where: string[] = [];
    const shared = await workers.run(d, JOBS, (_, w) => where.push(w));
    expect(where).toContain('worker');
    const alone = await renderInOrder(d, JOBS);
    for (let i = 0; i < JOBS.length; i++) expect(content(JOBS[i]!, shared[i]!), `job ${i}`).toBe(content(JOBS[i]!, alone[i]!));
    // Taken once: the next call starts workers of its own.
    const second = startRenderWorkers(1, ['pdf', 'json', 'xlsx']);
    expect(second).not.toBe(workers);
    await second.close();
  }, 60_000);

  it('is not taken by a call for other workers, which get their own', async () => {
    const early = prestartRenderWorkers(1, ['pdf']);
    expect(prestartRenderWorkers(1, ['pdf'])).toBeNull(); // one set at a time
    workers = startRenderWorkers(1, ['pdf', 'xlsx']);
    expect(workers).not.toBe(early);
    const script = `require('node:worker_threads').parentPort.postMessage({ type: 'ready' });`;
    const custom = prestartRenderWorkers(1, ['pdf']);
    const other = startRenderWorkers(1, ['pdf'], { script, eval: true }); // another entry: its own
    expect(other).not.toBe(custom);
    await other.close();
    const more = prestartRenderWorkers(2, ['pdf']);
    const fewer = startRenderWorkers(1, ['pdf']);
    expect(fewer).not.toBe(more);
    await fewer.close();
  }, 60_000);

  it('does not keep a process alive that never renders', () => {
    // A command that fails before its render (a warehouse it cannot open) must still exit.
    const tsx = createRequire(import.meta.url).resolve('tsx/cli');
    const parallel = fileURLToPath(new URL('../../src/reports/render/parallel.ts', import.meta.url));
    const code = `import { prestartRenderWorkers } from ${JSON.stringify(parallel)}; prestartRenderWorkers(1, ['pdf']); setTimeout(() => console.log('left'), 100);`;
    const r = spawnSync(process.execPath, [tsx, '--eval', code], { encoding: 'utf8', timeout: 30_000 });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('left');
  }, 60_000);
});
