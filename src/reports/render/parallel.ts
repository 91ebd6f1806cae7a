// A brief's files rendered on this thread and on render worker threads at once (issue 6: the
// default brief's three PDFs took ≈ 2.4 s one after another, most of a `tradebrief report`; each is
// single-threaded JavaScript, so a second core renders a second PDF beside the first).
//
// Every thread takes the next job from one counter in shared memory (Atomics.add), so a thread
// busy in a synchronous layout never has to hand work out: whoever is free takes the next file.
// The worker starts before the data is gathered (startRenderWorkers; `report` starts it before
// the warehouse opens, prestartRenderWorkers), loading pdfmake, vega and the fonts while this
// thread reads the warehouse. A worker that dies or cannot start costs only time: the files it did
// not deliver are rendered here. A renderer's own error fails the brief as it would on this thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { reviveError, workerEntry, type SerialisedError } from '../../threads.js';
import type { BriefDocument } from '../document.js';
import { rendererFor, type BriefFormat } from './renderers.js';

/** One file to render: a document (by index) in a format. */
export interface RenderJob {
  doc: number;
  format: BriefFormat;
}

/** What a render worker is started with. */
export interface RenderWorkerData {
  /** One Int32: the next job to take. */
  counter: SharedArrayBuffer;
  /** Renderers to load at once. */
  formats: BriefFormat[];
}

/** What this thread sends a render worker: the jobs, once the documents are composed. */
export interface RenderWorkerJobs {
  docs: BriefDocument[];
  jobs: RenderJob[];
}

/** What a render worker posts. */
export type RenderWorkerMessage =
  | { type: 'ready' }
  | { type: 'result'; index: number; bytes: Uint8Array }
  | { type: 'error'; index: number; error: SerialisedError }
  | { type: 'done' };

/**
 * The number of render threads (this one included): `TRADEBRIEF_RENDER_THREADS` if set (1 renders
 * everything on this thread), else one per core, at most one per PDF.
 */
export function renderThreads(pdfJobs: number, env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env.TRADEBRIEF_RENDER_THREADS ?? '');
  const wanted = Number.isInteger(set) && set >= 1 ? set : availableParallelism();
  return Math.max(1, Math.min(wanted, pdfJobs));
}

/** Render workers started ahead of their jobs; `run` hands them out. */
export interface RenderWorkers {
  /**
   * Renders `jobs` (in any order, on any thread) and returns each job's bytes in the jobs' order;
   * `onDone` hears of each file as it is rendered, and where.
   */
  run(docs: BriefDocument[], jobs: RenderJob[], onDone?: (index: number, where: 'here' | 'worker') => void): Promise<Buffer[]>;
  /** Settles when every worker has loaded its renderers (or is gone). */
  ready(): Promise<void>;
  /** Stops the workers (after run, or when the render is abandoned before it). */
  close(): Promise<void>;
}

/**
 * Starts `count` render workers loading the renderers of `formats`. `entry` is the worker's script
 * (tests give one that fails); default render-worker.ts.
 */
export function startRenderWorkers(count: number, formats: readonly BriefFormat[], entry?: ReturnType<typeof workerEntry>): RenderWorkers {
  const early = prestarted;
  prestarted = null;
  if (early !== null) {
    if (entry === undefined && early.key === workersKey(count, formats)) {
      early.workers.hold(true);
      return early.workers;
    }
    void early.workers.close();
  }
  return spawnRenderWorkers(count, formats, entry ?? workerEntry('render-worker'));
}

/** Render workers started by prestartRenderWorkers, not yet taken by startRenderWorkers. */
let prestarted: { key: string; workers: RenderWorkers & { hold(on: boolean): void } } | null = null;

function workersKey(count: number, formats: readonly BriefFormat[]): string {
  return `${count}:${[...new Set(formats)].sort().join(',')}`;
}

/**
 * Starts the render workers a command will want before it opens the warehouse (`report`); the
 * first brief's startRenderWorkers with the same count and formats takes them. Returns them, or
 * null when none were started. Until taken they do not keep the process alive, so a command that
 * fails first still exits. Issue 6: started from the brief's render, the worker began loading
 * pdfmake, vega and the fonts ≈ 290 ms into the process, after this thread had loaded the same and
 * opened the warehouse.
 */
export function prestartRenderWorkers(count: number, formats: readonly BriefFormat[]): RenderWorkers | null {
  if (count < 1 || prestarted !== null) return null;
  const workers = spawnRenderWorkers(count, formats, workerEntry('render-worker'));
  workers.hold(false);
  prestarted = { key: workersKey(count, formats), workers };
  return workers;
}

function spawnRenderWorkers(count: number, formats: readonly BriefFormat[], entry: ReturnType<typeof workerEntry>): RenderWorkers & { hold(on: boolean): void } {
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  const workers: Worker[] = [];
  for (let i = 0; i < count; i++) {
    workers.push(
      new Worker(entry.script, {
        eval: entry.eval,
        workerData: { counter, formats: [...new Set(formats)] } satisfies RenderWorkerData,
        // A font or chart gone wrong costs the worker, not the process.
        resourceLimits: { maxOldGenerationSizeMb: 1024 },
      }),
    );
  }
  // Until run() listens, a worker's early death is noted here (its jobs are then rendered on this thread).
  const gone = new Set<Worker>();
  const loaded = workers.map(
    (w) =>
      new Promise<void>((resolve) => {
        w.on('message', (msg: RenderWorkerMessage) => msg.type === 'ready' && resolve());
        w.on('error', () => (gone.add(w), resolve()));
        w.on('exit', () => (gone.add(w), resolve()));
      }),
  );
  let closed = false;
  return {
    async run(docs, jobs, onDone) {
      const out: (Buffer | undefined)[] = new Array<Buffer | undefined>(jobs.length);
      let failure: unknown = null;
      // Each live worker settles when it has posted `done`, or when it died.
      const finished = workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (gone.has(w)) return resolve();
            w.on('message', (msg: RenderWorkerMessage) => {
              if (msg.type === 'result') {
                out[msg.index] = Buffer.from(msg.bytes.buffer, msg.bytes.byteOffset, msg.bytes.byteLength);
                onDone?.(msg.index, 'worker');
              } else if (msg.type === 'error') {
                failure ??= reviveError(msg.error);
                Atomics.store(next, 0, jobs.length); // nobody starts another file
              } else if (msg.type === 'done') resolve();
            });
            w.on('error', () => resolve());
            w.on('exit', () => resolve());
            w.postMessage({ docs, jobs } satisfies RenderWorkerJobs);
          }),
      );
      for (;;) {
        const i = Atomics.add(next, 0, 1);
        if (i >= jobs.length || failure !== null) break;
        try {
          out[i] = await renderHere(docs, jobs[i]!);
        } catch (e) {
          failure ??= e;
          Atomics.store(next, 0, jobs.length);
          break;
        }
        onDone?.(i, 'here');
      }
      await Promise.all(finished);
      if (failure !== null) throw failure;
      // Jobs a worker took and never delivered (it died): render them here.
      for (let i = 0; i < jobs.length; i++) {
        if (out[i] !== undefined) continue;
        out[i] = await renderHere(docs, jobs[i]!);
        onDone?.(i, 'here');
      }
      return out as Buffer[];
    },
    async ready() {
      await Promise.all(loaded);
    },
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(workers.map((w) => w.terminate()));
    },
    hold(on) {
      for (const w of workers) if (on) w.ref();
      else w.unref();
    },
  };
}

/** Renders `jobs` on this thread alone, in order. */
export async function renderInOrder(docs: BriefDocument[], jobs: RenderJob[], onDone?: (index: number) => void): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (let i = 0; i < jobs.length; i++) {
    out.push(await renderHere(docs, jobs[i]!));
    onDone?.(i);
  }
  return out;
}

async function renderHere(docs: BriefDocument[], job: RenderJob): Promise<Buffer> {
  return (await rendererFor(job.format))(docs[job.doc]!);
}
