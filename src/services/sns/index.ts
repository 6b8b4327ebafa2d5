/**
 * Amazon SNS (Query protocol, regional; docs/sns.md). Its denials are `AuthorizationError` (403), as
 * SNS spells them (https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html), and its actions
 * `SNS:<Operation>`.
 */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';

export const sns: ServiceDef = {
  name: 'sns',
  eventSource: 'sns.amazonaws.com',
  actionPrefix: 'SNS',
  global: false,
  model: loadModel('sns'),
  operations: handlers,
};
