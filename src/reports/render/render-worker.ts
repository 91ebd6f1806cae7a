// Worker-thread entry for parallel rendering (parallel.ts): loads the renderers at once (and says
// so), then, when the documents arrive, takes jobs from the shared counter until none is left and
// posts each file.
import { parentPort, workerData } from 'node:worker_threads';
import { serialiseError } from '../../threads.js';
import { rendererFor } from './renderers.js';
import type { RenderWorkerData, RenderWorkerJobs, RenderWorkerMessage } from './parallel.js';

const { counter, formats } = workerData as RenderWorkerData;
const next = new Int32Array(counter);
const port = parentPort!;
const post = (msg: RenderWorkerMessage) => port.postMessage(msg);
void Promise.allSettled(formats.map(rendererFor)).then(() => post({ type: 'ready' }));

port.once('message', async ({ docs, jobs }: RenderWorkerJobs) => {
  for (;;) {
    const i = Atomics.add(next, 0, 1);
    if (i >= jobs.length) break;
    const job = jobs[i]!;
    try {
      const bytes = await (await rendererFor(job.format))(docs[job.doc]!);
      post({ type: 'result', index: i, bytes });
    } catch (err) {
      post({ type: 'error', index: i, error: serialiseError(err) });
      break;
    }
  }
  post({ type: 'done' });
  port.close();
});
