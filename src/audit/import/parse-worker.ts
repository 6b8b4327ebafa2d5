/**
 * `startrail import`'s parsing thread (parse.ts): each message names a file and the import's time;
 * the answer is the file's parsed events under the request's id. Files are read concurrently, so
 * answers may come in any order: a small file read after a large one can be answered first.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParsedFile, parseFile } from './parse.ts';

export interface ParseRequest {
  id: number;
  file: string;
  now: number;
}

/** A parsed file, or a failure that is not the file's (a bug): the import stops with it. */
export type ParseReply = { id: number } & (ParsedFile | { fatal: string });

const parent = parentPort;
if (parent && workerData?.data?.importParser === true)
  parent.on('message', (r: ParseRequest) => {
    parseFile(r.file, new Date(r.now)).then(
      (parsed) => parent.postMessage({ id: r.id, ...parsed } satisfies ParseReply),
      (e: Error) => parent.postMessage({ id: r.id, fatal: e.stack ?? e.message } satisfies ParseReply),
    );
  });
