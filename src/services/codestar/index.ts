/** AWS CodeStar (JSON 1.1, regional), with project roles as IAM policies. Spec: cloudtrail-codestar.md §g, iam-sts.md §3, DESIGN §2. */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export const codestar: ServiceDef = {
  name: 'codestar',
  eventSource: 'codestar.amazonaws.com',
  actionPrefix: 'codestar',
  global: false,
  model: loadModel('codestar'),
  operations: handlers,
};
