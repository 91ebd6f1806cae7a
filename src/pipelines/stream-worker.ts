// Worker-thread entry for the streaming path's producer (stream.ts, produceInWorker): reads, shapes
// and normalises the file and posts each batch as staging rows, waiting whenever `ahead` batches
// are not yet staged by the main thread, so a slow warehouse holds the reading back instead of
// letting batches pile up in memory.
import { parentPort, workerData } from 'node:worker_threads';
import { serialiseError } from '../threads.js';
import { loadReference } from './reference.js';
import { transferables } from './stage-encode.js';
import { produce, type ProducerMessage, type ProducerWorkerData } from './stream.js';

const { request, ahead } = workerData as ProducerWorkerData;
const port = parentPort!;
let waiting = 0;
let wake: (() => void) | null = null;
port.on('message', () => {
  waiting--;
  if (wake !== null && waiting < ahead) {
    const w = wake;
    wake = null;
    w();
  }
});
const post = (msg: ProducerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

try {
  const produced = await produce(request, loadReference(), async (batch) => {
    post({ type: 'batch', batch }, transferables(batch));
    waiting++;
    if (waiting >= ahead) await new Promise<void>((resolve) => (wake = resolve));
  });
  post({ type: 'end', produced });
} catch (err) {
  post({ type: 'error', error: serialiseError(err) });
}
