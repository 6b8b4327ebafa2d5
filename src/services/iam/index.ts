/** AWS IAM (Query protocol, global: recorded in us-east-1). Spec: iam-sts.md §3–§6. */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export const iam: ServiceDef = {
  name: 'iam',
  eventSource: 'iam.amazonaws.com',
  actionPrefix: 'iam',
  global: true,
  model: loadModel('iam'),
  operations: handlers,
};
