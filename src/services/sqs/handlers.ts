/** Every SQS operation startrail serves (docs/sqs.md): queue operations, permissions and message operations. */
import { messageOps } from './message-ops.ts';
import { permissionOps } from './permissions.ts';
import { queueOps } from './queue-ops.ts';

export const handlers = { ...queueOps, ...permissionOps, ...messageOps };
