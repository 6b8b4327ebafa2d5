/**
 * Amazon SQS (regional), served over AWS JSON 1.0 and AWS Query, chosen per request
 * (protocols.ts, docs/sqs.md). The validator sees the model without `required` and enums: SQS
 * answers those with its own MissingParameter / InvalidAttributeName errors (handlers).
 */
import { loadModel } from '../../protocol/model.ts';
import type { ServiceDef } from '../types.ts';
import { handlers } from './handlers.ts';
import { sqsJson, sqsQuery, validatorModel } from './protocols.ts';

const model = loadModel('sqs');

export const sqs: ServiceDef = {
  name: 'sqs',
  eventSource: 'sqs.amazonaws.com',
  actionPrefix: 'sqs',
  global: false,
  model: validatorModel(model),
  wire: sqsJson,
  queryWire: sqsQuery(model),
  operations: handlers,
};
