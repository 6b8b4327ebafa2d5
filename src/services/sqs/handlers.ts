/** Every SQS operation startrail serves (docs/sqs.md): queue operations and message operations. */
import { messageOps } from './message-ops.ts';
import { queueOps } from './queue-ops.ts';

export const handlers = { ...queueOps, ...messageOps };
