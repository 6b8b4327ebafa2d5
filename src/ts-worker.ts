/**
 * A worker thread running one of startrail's TypeScript modules. The module is loaded through tsx's
 * loader, registered inside the worker itself: the process's `--import tsx` does not reach worker
 * threads before their first import (docs/architecture.md#layout).
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const TSX_API = import.meta.resolve('tsx/esm/api');
const BOOT = `const { workerData } = require('node:worker_threads');
import(workerData.tsx).then((m) => { m.register(); return import(workerData.url); }).catch((e) => { throw e; });`;

/** Starts `module` (a file URL) in a worker; `workerData` reaches it as `workerData.data`. */
export function tsWorker(module: URL, data: unknown, options: Omit<WorkerOptions, 'eval' | 'workerData'> = {}): Worker {
  return new Worker(BOOT, { ...options, eval: true, workerData: { tsx: TSX_API, url: module.href, data } });
}
