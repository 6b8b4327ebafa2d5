/** AWS STS (Query protocol, global: recorded in us-east-1). */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export const sts: ServiceDef = {
  name: 'sts',
  eventSource: 'sts.amazonaws.com',
  actionPrefix: 'sts',
  global: true,
  model: loadModel('sts'),
  operations: handlers,
};
