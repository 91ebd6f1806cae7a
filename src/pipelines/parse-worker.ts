// Worker-thread entry for parseFile: parses the transferred bytes and posts back the ParsedFile or
// the error. It runs under the heap limit parseFile sets, so a hostile file costs this thread, not
// the process.
import { parentPort, workerData } from 'node:worker_threads';
import { serialiseError } from '../threads.js';
import { parseBytes } from './parse.js';
import type { WorkerReply, WorkerRequest } from './parse.js';

const request = workerData as WorkerRequest;
let reply: WorkerReply;
try {
  const buf = Buffer.from(request.bytes.buffer, request.bytes.byteOffset, request.bytes.byteLength);
  reply = { ok: true, result: parseBytes(buf, { sheets: request.sheets, fileName: request.fileName, name: request.name }) };
} catch (err) {
  reply = { ok: false, error: serialiseError(err) };
}
parentPort?.postMessage(reply);
