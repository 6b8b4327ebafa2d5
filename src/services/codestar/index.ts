/** AWS CodeStar (JSON 1.1, regional), with project roles as IAM policies. API: https://docs.aws.amazon.com/codestar/latest/APIReference/Welcome.html; roles: https://docs.aws.amazon.com/codestar/latest/userguide/working-with-teams.html; docs/architecture.md#request-path. */
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
