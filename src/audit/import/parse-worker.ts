/**
 * `startrail import`'s parsing thread (parse.ts): each message names a file and the import's time;
 * the answer is the file's parsed events, in the order asked.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type ParsedFile, parseFile } from './parse.ts';

export interface ParseRequest {
  file: string;
  now: number;
}

/** A parsed file, or a failure that is not the file's (a bug): the import stops with it. */
export type ParseReply = ParsedFile | { fatal: string };

const parent = parentPort;
if (parent && workerData?.data?.importParser === true)
  parent.on('message', (r: ParseRequest) => {
    parseFile(r.file, new Date(r.now)).then(
      (parsed) => parent.postMessage(parsed),
      (e: Error) => parent.postMessage({ fatal: e.stack ?? e.message }),
    );
  });
